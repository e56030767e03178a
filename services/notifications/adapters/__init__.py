"""SQL persistence of notifications."""
