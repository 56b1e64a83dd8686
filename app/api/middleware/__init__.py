"""The app's ASGI middleware, one per module: security headers, the request body limit, CORS."""
