"""How audit is reached: queries by request/reply; the ledger writer reads CAPTURE directly."""
