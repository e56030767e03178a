"""Command handlers of records, one module per register."""
