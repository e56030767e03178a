"""Handlers of meetings' commands and events."""
