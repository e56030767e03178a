"""Handlers of external's events."""
