"""Command handlers of hr: one class per module, built with its policy and the clock.

`delegations` grants and revokes delegations, `consultations` opens and concludes union
consultation (BOC) files, `personnel` keeps evaluations and disciplinary cases.
"""
