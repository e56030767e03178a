"""What external does: commands (none yet), reactions to other services' events, queries (none yet)."""
