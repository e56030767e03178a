"""external: external entities, representatives, and reporting to the supervisory authority."""
