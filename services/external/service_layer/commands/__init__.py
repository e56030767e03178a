"""Command handlers of external: none yet.

Every supervision report comes from another service's events (`reactions.py`): an adopted
decision queues it, the published document sends it. The coming registry of external entities
(AGBs, vzw's, kerkfabrieken and their representatives) will be commanded here.
"""
