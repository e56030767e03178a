"""SQL persistence of the ledger and the writer that fills it from the CAPTURE stream."""
