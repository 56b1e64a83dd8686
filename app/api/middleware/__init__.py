"""The app's ASGI middleware, one per module: security headers, HEAD as GET, JSON bodies only, the request
body limit, CORS (refusal.py: how a middleware answers a refusal)."""
