"""hr: staff, appointments, delegations, union consultation (for now: decision effects and staff)."""
