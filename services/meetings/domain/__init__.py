"""Pure meeting rules: no I/O imports here."""
