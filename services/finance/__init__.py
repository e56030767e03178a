"""finance: the multi-year plan, credits per entity, budget checks and commitments (vastleggingen)."""
