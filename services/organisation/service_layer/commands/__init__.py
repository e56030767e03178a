"""Command handlers of organisation, one class per aggregate: tasks, mandates, the organogram."""
