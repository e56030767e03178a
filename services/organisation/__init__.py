"""organisation: legal entities, organogram and the follow-up tasks of every decision."""
