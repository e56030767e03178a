"""`rw`: the operator's command line for Raderwerk."""
