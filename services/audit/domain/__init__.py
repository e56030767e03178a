"""Pure ledger rules: capture parsing, the hash chain, verification. No I/O imports here."""
