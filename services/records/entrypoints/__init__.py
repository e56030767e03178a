"""How records is reached: commands and queries by request/reply, events by durable consumers."""
