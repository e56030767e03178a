"""NATS messaging: CloudEvents envelope, outbox relay, idempotent subscribers, commands."""
