"""What records does: commands per register, reactions to other services' events, queries."""
