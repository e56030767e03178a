"""The gateway consumes no events: it holds no read model of other services (they check powers themselves)."""
