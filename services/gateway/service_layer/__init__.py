"""The gateway's use cases: sign-in, sessions and API tokens (`access.py`)."""
