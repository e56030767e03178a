"""Command handlers of finance: one module per aggregate or use case, one class per module.

`visums` (grant, refuse), `budget_changes` (propose, adjust, carry over), `plan` (import),
`commitments` (a budget holder's commitment) and `payments` (order, mark paid).
"""
