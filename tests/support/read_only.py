"""A data folder that cannot be written, even by root (CI runs the tests as root).

``chmod`` does not stop root, so the folder is made read-only the way a counter PC meets
it, by the first of these that works here:

1. ``unshare -m``: the command runs in its own mount namespace where the folder is bind
   mounted read-only (``EROFS``, as on a read-only share); nothing changes outside it;
2. ``chattr +i`` on the folder and its files (``EPERM`` for root too), undone after;
3. not root: ``chmod a-w``, undone after.

Otherwise the test is skipped, saying why.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

# Mount the folder ($0) read-only over itself, then run the command ("$@").
_READ_ONLY_MOUNT = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" "$0" && exec "$@"'


def _works(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _unshare_works(probe: Path) -> bool:
    """Whether a read-only bind mount in a private mount namespace stops a write here."""
    if shutil.which("unshare") is None or shutil.which("mount") is None:
        return False
    script = _READ_ONLY_MOUNT.replace('exec "$@"', '! touch "$0/written" 2>/dev/null')
    return (
        _works(["unshare", "-m", "sh", "-c", script, str(probe)])
        and not (probe / "written").exists()
    )


def _chattr_works(probe: Path) -> bool:
    target = probe / "file"
    target.touch()
    if shutil.which("chattr") is None or not _works(["chattr", "+i", str(target)]):
        return False
    stopped = not _works(["sh", "-c", f'echo x >> "{target}"'])
    _works(["chattr", "-i", str(target)])
    return stopped


def _everything(folder: Path) -> list[Path]:
    return [folder, *sorted(folder.rglob("*"))]


@contextmanager
def read_only(folder: Path) -> Iterator[list[str]]:
    """Make ``folder`` read-only; yields the prefix to run a command under.

    With a mount namespace the prefix carries the read-only view (the folder stays
    writable for this process); otherwise the prefix is empty and the folder itself is
    read-only until the ``with`` block ends.
    """
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch)
        if _unshare_works(probe):
            yield ["unshare", "-m", "sh", "-c", _READ_ONLY_MOUNT, str(folder)]
            return
        if _chattr_works(probe):
            paths = [str(p) for p in _everything(folder)]
            subprocess.run(["chattr", "+i", *paths], check=True)
            try:
                yield []
            finally:
                subprocess.run(["chattr", "-i", *paths], check=True)
            return
    if os.geteuid() != 0:
        modes = {p: p.stat().st_mode for p in _everything(folder)}
        for path, mode in modes.items():
            path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
        try:
            yield []
        finally:
            for path, mode in modes.items():
                path.chmod(mode)
        return
    pytest.skip(
        "no way to make a folder read-only for root here: no private mount namespace "
        "(unshare -m), and chattr +i is not supported by this file system"
    )
