"""Where the desk finds its resources, in a checkout and in a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "deposit-free-desk"


def resources_dir() -> Path:
    """The ``resources/`` folder: beside the package, or inside a frozen bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle is not None:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def default_data_dir() -> Path:
    """The OS's per-user data folder for the desk."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_log_dir() -> Path:
    """The OS's per-user log folder for the desk."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
