"""SQL persistence of finance."""
