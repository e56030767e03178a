"""SQL persistence of meetings."""
