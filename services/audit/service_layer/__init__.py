"""What audit answers: queries on the ledger (the ledger writer fills it from `adapters`)."""
