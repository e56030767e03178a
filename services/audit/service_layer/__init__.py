"""Handlers of audit's queries."""
