"""audit: the append-only, hash-chained ledger of every message captured at broker level."""
