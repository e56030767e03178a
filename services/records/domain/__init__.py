"""The rules of records: letters and their signatures, complaints, access requests, the archive."""
