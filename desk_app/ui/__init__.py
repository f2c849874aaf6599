"""The desk's user interface: the only package that imports PySide6."""
