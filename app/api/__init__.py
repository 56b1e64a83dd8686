"""The HTTP layer: routes, dependencies, limits, errors, encoding and middleware over the engine."""
