"""Pure rules of external relations and supervision reporting: no I/O imports here."""
