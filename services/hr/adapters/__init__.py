"""SQL persistence of hr and the demo staff loader."""
