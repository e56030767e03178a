"""Handlers of finance's commands and events."""
