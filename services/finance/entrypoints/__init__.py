"""How finance is reached: commands by request/reply, events by durable consumers."""
