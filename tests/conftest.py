"""Test setup shared by every test: Qt runs offscreen, translations are compiled."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest

# Before anything imports Qt: no display is needed, and none is used even if present.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desk_app.training_platform.server import EmbeddedPlatform
from tests.support.keyrings import MemoryKeyring

ROOT = Path(__file__).resolve().parent.parent
VECTORS = Path(__file__).resolve().parent / "vectors"


@pytest.fixture
def platform(tmp_path: Path) -> Iterator[EmbeddedPlatform]:
    """A fresh training platform on a free loopback port, with its own data folder."""
    with EmbeddedPlatform(tmp_path / "platform") as running:
        yield running


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    """The OS keyring, replaced for the test by one in memory."""
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(previous)
