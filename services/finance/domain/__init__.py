"""Pure finance rules: no I/O imports here."""
