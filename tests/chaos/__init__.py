"""Chaos tier: the whole system started as `make run` starts it, with processes killed under it."""
