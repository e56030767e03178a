"""SQL persistence of external."""
