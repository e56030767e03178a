"""Handlers of organisation's commands and events."""
