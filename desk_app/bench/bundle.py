"""Bundle: the size of the built one-folder bundle, when there is one.

Running from the bundle, that is the folder of the running program (what a counter PC
has installed); from a checkout, ``dist/desk-app-<version>/`` as ``installer/build``
makes it. There is no baseline and the issue sets no goal: the size is reported.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from desk_app import __version__
from desk_app.bench.report import Figure

MB = 2**20


def bundle_folder() -> Path:
    """Where the bundle is (or would be, from a checkout)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return Path(__file__).resolve().parents[2] / "dist" / f"desk-app-{__version__}"


def folder_size(folder: Path) -> tuple[int, int]:
    """``(bytes, files)`` under ``folder``, links not followed."""
    total = files = 0
    for root, _, names in os.walk(folder):
        for name in names:
            total += (Path(root) / name).lstat().st_size
            files += 1
    return total, files


def bundle() -> Figure:
    """The figure: the bundle's size, or null values when it is not built."""
    folder = bundle_folder()
    values: dict[str, Any] = {
        "size_mb": None,
        "files": None,
        "built": False,
        "path": str(folder),
        "baseline": None,
        "ratio": None,
        "goal": None,
        "met": None,
    }
    if not folder.is_dir():
        return Figure("bundle", "not built", "-", values)
    size, files = folder_size(folder)
    values.update(size_mb=round(size / MB, 1), files=files, built=True)
    return Figure("bundle", f"{size / MB:.1f} MB, {files:,} files", "-", values)
