"""Command handlers of meetings: one class per use case, built with the policy and the clock.

`items` proposes and decides agenda items; `agenda` schedules and convenes meetings and amends
their agendas; `session` runs the session (attendance, amendments, votes, postponement, closing);
`minutes` approves and signs them; `publication` publishes documents. `common` holds what they
share: loading aggregates (a missing one is a `RuleViolation`), publishing an agenda, announcing a
decision.
"""
