"""How external is reached: events by durable consumers."""
