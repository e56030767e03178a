"""Pure notification rules: no I/O imports here."""
