"""Command handlers of audit: none, by design.

Nobody tells the ledger what to record: the ledger writer (`adapters/ledger_writer.py`) reads
every message from the CAPTURE stream at broker level and appends it in capture order. People
and services only read it (`views.py`).
"""
