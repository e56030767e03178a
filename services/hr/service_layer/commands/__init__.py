"""Command handlers of hr: one class per module, built with its policy and the clock.

`delegations` grants (by the algemeen directeur; a body delegates by decision) and revokes
delegations, `consultations` opens and concludes union consultation (BOC) files, `personnel` keeps
evaluations, `discipline` keeps disciplinary cases and applies sanctions.
"""
