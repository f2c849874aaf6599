"""Outbox delivery to the platform, exactly once as the platform sees it."""
