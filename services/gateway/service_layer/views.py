"""The gateway answers no NATS query: its HTTP routes forward queries to the services that own them."""
