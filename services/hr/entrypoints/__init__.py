"""How hr is reached: events by durable consumers."""
