"""The gateway's entrypoints: the HTTP API (`api.py`) and its (empty) NATS registry."""
