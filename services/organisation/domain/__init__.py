"""Pure organisation rules: no I/O imports here."""
