"""Queries of external: none yet.

Supervision reports are announced as events (`external.supervision_report.*`), which is how
meetings, the auditor and the supervisor's desk follow them. The coming registry of external
entities and their representatives will be queried here.
"""
