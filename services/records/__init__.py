"""records: the correspondence register, complaints, access to documents and the archive."""
