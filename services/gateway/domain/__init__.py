"""Who may use the API, as data: local accounts, API tokens and sessions. No I/O imports here."""
