"""SQL persistence of organisation."""
