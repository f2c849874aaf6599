"""The counter's local store: SQLite through sqlite-utils. No Qt."""
