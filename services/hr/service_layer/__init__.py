"""Handlers of hr's events."""
