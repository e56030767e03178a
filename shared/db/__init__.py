"""Async SQLAlchemy helpers: engine per service schema, outbox/inbox tables, unit of work."""
