"""Test setup shared by every test: Qt runs offscreen, translations are compiled."""

from __future__ import annotations

import os
from pathlib import Path

# Before anything imports Qt: no display is needed, and none is used even if present.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
VECTORS = Path(__file__).resolve().parent / "vectors"
