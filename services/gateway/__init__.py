"""The gateway: sign-in and the HTTP API over every command and query (DESIGN §5)."""
