"""Pure HR rules: no I/O imports here."""
