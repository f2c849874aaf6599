"""The desk's services: what a counter does, over the store, the platform and the outbox."""
