"""Raderwerk's shared kernel: contracts, messaging, persistence helpers, logging, settings.

Services import from here and never from each other.
"""
