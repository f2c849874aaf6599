"""The city platform client: the desk's side of ``docs/platform-api.md``. No Qt."""
