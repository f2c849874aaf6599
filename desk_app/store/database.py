"""The counter's SQLite file: one connection per thread, WAL, BEGIN IMMEDIATE writes.

Failures of the file itself become typed environment errors with a clear message:
a corrupt file, a full disk, a read-only folder. A write either commits whole or
leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlite_utils

from desk_app.errors import DeskError, Fault

DB_NAME = "desk.sqlite3"
BUSY_TIMEOUT_MS = 5000


class StoreError(DeskError):
    """The local database cannot be used as it is."""

    fault = Fault.ENVIRONMENT


class StoreCorruptError(StoreError):
    """The database file is damaged."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"本机数据库文件已损坏（{path.name}）。请勿关闭电脑，联系信息科恢复。已记录的数据不会被覆盖。",
            f"The local database file is damaged ({path.name}). Call IT to restore it; "
            "nothing recorded will be overwritten.",
        )
        self.detail = detail


class StoreFullError(StoreError):
    """The disk is full (or the file hit its size limit)."""

    def __init__(self) -> None:
        super().__init__(
            "磁盘已满，本次操作未保存（之前的记录完好）。请联系信息科清理磁盘。",
            "The disk is full; this was not saved (earlier records are intact). Call IT.",
        )


class StoreReadOnlyError(StoreError):
    """The data folder cannot be written."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"数据文件夹不能写入（{path}）。本次操作未保存，请联系信息科。",
            f"The data folder cannot be written ({path}). This was not saved; call IT.",
        )


class StoreRecordError(StoreError):
    """A record's stored text cannot be read back (the file checks out, a value does not).

    Args:
        table: where the record is.
        detail: what could not be read, for the log.
    """

    def __init__(self, table: str, detail: str) -> None:
        super().__init__(
            f"本机数据库中有记录已损坏，无法读取（{table}）。请联系信息科恢复数据库；数据未被改写。",
            f"A record in the local database is damaged and cannot be read ({table}). Call IT "
            "to restore the database; nothing was overwritten.",
        )
        self.detail = detail


# What reading a damaged stored value (JSON text, an enum, a date) raises.
DAMAGED_VALUE_ERRORS = (ValueError, KeyError, TypeError, AttributeError)


class StoreDiskError(StoreError):
    """The disk failed a read or a write (a bad disk, a quota, a network share gone)."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"本机磁盘读写出错（{path}），本次操作未保存（之前的记录完好）。请联系信息科检查磁盘。",
            f"The local disk failed to read or write ({path}); this was not saved (earlier "
            "records are intact). Call IT to check the disk.",
        )


# A file this close to the process's file-size limit has no room for the next write.
_ROOM_BYTES = 1 << 20


def _no_room(path: Path) -> bool:
    """Whether the disk is full, or the database's files reached the file-size limit.

    SQLite reports ENOSPC as "database or disk is full" but every other failed write,
    EFBIG from a file-size limit (``ulimit -f``, a FAT32 stick's 4 GB) included, as a
    plain "disk I/O error": the clerk should still read "disk full" when that is what
    happened.
    """
    try:
        if shutil.disk_usage(path.parent).free < _ROOM_BYTES:
            return True
    except OSError:
        return False
    try:
        import resource  # not on Windows
    except ImportError:
        return False
    limit = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
    if limit == resource.RLIM_INFINITY:
        return False
    for suffix in ("", "-wal", "-journal"):
        try:
            if Path(str(path) + suffix).stat().st_size + _ROOM_BYTES >= limit:
                return True
        except OSError:
            continue
    return False


def classify(error: sqlite3.Error, path: Path) -> StoreError | None:
    """The typed error for an SQLite failure of the file, or None for our own bug."""
    text = str(error).lower()
    name = getattr(error, "sqlite_errorname", "") or ""
    if "disk is full" in text or name == "SQLITE_FULL":
        return StoreFullError()
    if name.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return StoreFullError() if _no_room(path) else StoreDiskError(path.parent)
    if "malformed" in text or "not a database" in text or "file is encrypted" in text:
        return StoreCorruptError(path, str(error))
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StoreReadOnlyError(path.parent)
    return None


class Store:
    """The local database of one counter.

    Args:
        folder: the data folder; the file is ``desk.sqlite3`` inside it.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / DB_NAME
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()

    def db(self) -> sqlite_utils.Database:
        """This thread's connection, opened on first use.

        Raises:
            StoreError: when the file cannot be opened.
        """
        db: sqlite_utils.Database | None = getattr(self._local, "db", None)
        if db is None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                conn = sqlite3.connect(
                    self.path, isolation_level=None, check_same_thread=False, timeout=5
                )
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
            except sqlite3.Error as exc:
                raise classify(exc, self.path) or StoreCorruptError(self.path, str(exc)) from exc
            except OSError as exc:
                raise StoreReadOnlyError(self.folder) from exc
            db = sqlite_utils.Database(conn)
            self._local.db = db
            with self._lock:
                self._all.append(conn)
        return db

    @property
    def open_connections(self) -> int:
        """How many connections are open: one per thread that has used the store."""
        with self._lock:
            return len(self._all)

    @contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """A write transaction, ``BEGIN IMMEDIATE``: all of it commits, or none of it.

        Raises:
            StoreError: disk full, corrupt or read-only file (nothing was written).
        """
        db = self.db()
        try:
            db.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise classify(exc, self.path) or exc from exc
        try:
            yield db
            db.conn.execute("COMMIT")
        except BaseException as exc:
            if db.conn.in_transaction:
                # After a failed write SQLite may have rolled back already, or the disk
                # fails this too; the error that matters is the first one.
                with contextlib.suppress(sqlite3.Error):
                    db.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                typed = classify(exc, self.path)
                if typed is not None:
                    raise typed from exc
            raise

    @contextmanager
    def read(self) -> Iterator[sqlite_utils.Database]:
        """This thread's connection for reading; SQLite failures become typed errors."""
        try:
            yield self.db()
        except sqlite3.Error as exc:
            typed = classify(exc, self.path)
            if typed is not None:
                raise typed from exc
            raise

    def copy_aside(self, reason: str) -> Path:
        """A consistent copy of the file beside it (before a migration), via SQLite's backup.

        Returns:
            The copy's path.
        """
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.{reason}.{stamp}.sqlite3")
        with sqlite3.connect(target) as copy:
            self.db().conn.backup(copy)
        copy.close()
        return target

    def close(self) -> None:
        """Close every thread's connection."""
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
