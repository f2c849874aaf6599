"""Locks on a desk's data folder, between the processes that open it.

A data folder is opened by the window and by support commands, sometimes at the same
moment (a double click on the icon, IT running ``desk-app status`` beside the open
window). Three things must not interleave, and SQLite's own locking does not cover them:

- **setting up** (:func:`setting_up`): the first open of a folder makes its settings
  (with the desk id that names its keyring entries), its keys and its database, and
  records which keys the database was written with. Two processes doing it at once kept
  one's keys in the keyring and the other's fingerprint in the database: the desk then
  refused to open, for good (KeysLostError).
- **a training session without a keyring** (:func:`hold`, ``TRAINING_SESSION``): its
  keys live only in the process's memory, so a second such process would find the
  database unreadable and set a live database aside.
- **the window** (:func:`hold`, ``WINDOW``): one window per data folder.

File locks (``filelock``: ``fcntl.flock`` on Linux, ``LockFileEx`` on Windows) are
released by the operating system when a process dies, so a killed desk never leaves a
folder locked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from desk_app.store.database import StoreError, StoreReadOnlyError

SETUP = "desk.lock"
TRAINING_SESSION = "training-session.lock"
WINDOW = "window.lock"
# Setting a folder up takes well under a second; another process waits this long for it.
SETUP_WAIT_S = 30.0


class FolderBusyError(StoreError):
    """Another desk process holds this data folder in a way that excludes this one."""


class SetupBusyError(FolderBusyError):
    """Another process has been setting the folder up for longer than it ever takes."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"另一个服务台程序正在打开本柜台的数据（{folder}），请稍候再试。",
            f"Another desk process is opening this desk's data ({folder}); try again shortly.",
        )


class TrainingSessionBusyError(FolderBusyError):
    """A keyring-less training desk is open: its keys live only in that process."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            "培训服务台已在另一个程序中打开。本机没有系统钥匙串，它的密钥只保存在那个程序里："
            "请先关闭它，或为本机配置钥匙串。",
            f"A training desk on {folder} is open in another process. Without a keyring its "
            "keys live only in that process: close it first, or set up a keyring.",
        )


class WindowOpenError(FolderBusyError):
    """The desk's window is already open on this data folder."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"服务台已经在这台电脑上打开（同一柜台只能打开一个窗口：{folder}）。",
            f"The desk is already open on this computer (one window per desk: {folder}).",
        )


def _lock(folder: Path, name: str) -> FileLock:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreReadOnlyError(folder) from error
    return FileLock(folder / name, thread_local=False)


@contextmanager
def setting_up(folder: Path, wait_s: float = SETUP_WAIT_S) -> Iterator[None]:
    """Hold the folder's setup lock for the ``with`` block (waiting for another holder).

    Raises:
        SetupBusyError: another process held it for ``wait_s``.
        StoreReadOnlyError: the folder cannot be written (the lock file cannot be made).
    """
    lock = _lock(folder, SETUP)
    try:
        lock.acquire(timeout=wait_s)
    except Timeout:
        raise SetupBusyError(folder) from None
    except OSError as error:
        raise StoreReadOnlyError(folder) from error
    try:
        yield
    finally:
        lock.release()


def hold(folder: Path, name: str, busy: Callable[[Path], FolderBusyError]) -> FileLock:
    """Take the lock ``name`` of the folder for as long as the caller keeps it (no wait).

    Returns:
        The held lock: ``release()`` it when done (the OS does when the process ends).

    Raises:
        FolderBusyError: ``busy(folder)``, when another process holds it.
        StoreReadOnlyError: the folder cannot be written.
    """
    lock = _lock(folder, name)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise busy(folder) from None
    except OSError as error:
        raise StoreReadOnlyError(folder) from error
    return lock
