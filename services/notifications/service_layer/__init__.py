"""Handlers of notifications' commands and events."""
