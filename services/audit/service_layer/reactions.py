"""Reactions of audit: none, by design.

Audit records every message, not what other services tell it: the ledger writer
(`adapters/ledger_writer.py`) reads the CAPTURE stream at broker level with nats-py and appends
whole batches in capture order, in one transaction each (ADR 0003). A reaction per event would be
handled concurrently within a pulled batch, and the ledger must be written in capture order at
thousands of messages a second.
"""
