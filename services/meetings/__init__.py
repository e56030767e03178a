"""meetings: meetings of every body, agenda items, votes and decisions."""
