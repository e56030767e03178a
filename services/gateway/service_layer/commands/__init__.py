"""The gateway serves no NATS command of its own: it forwards the other services' commands over HTTP.

Sign-in, sessions and API tokens are its use cases (`service_layer/access.py`); the HTTP routes
that forward commands and queries are in `entrypoints/api.py`.
"""
