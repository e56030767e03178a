"""notifications: personal inboxes, subscriptions and (later) the district feeds."""
