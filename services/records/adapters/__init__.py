"""SQL persistence of records."""
