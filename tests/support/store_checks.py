"""Checks of a desk's SQLite file after a drill, read with plain sqlite3 as IT would.

"No half-written rows" made concrete: the file passes SQLite's own checks, and every
record came with everything written in its transaction (its outbox entry, its audit
entry), so none was cut in half by a kill, a full disk or a refusal.
"""

from __future__ import annotations

import collections
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote


def rows(path: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
    """Rows of the file, opened read-only (a drill's file is evidence: never changed)."""
    uri = f"file:{quote(str(path))}?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        return list(db.execute(sql, params).fetchall())


def assert_whole(path: Path) -> None:
    """The file is sound and holds no half-written record."""
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "PRAGMA foreign_key_check") == []
    queued = collections.Counter(rows(path, "SELECT kind, ref FROM outbox"))
    settlements = [r[0] for r in rows(path, "SELECT settlement_id FROM settlements")]
    updates = [r[0] for r in rows(path, "SELECT update_id FROM settlement_updates")]
    for settlement_id in settlements:
        assert queued[("settlement", settlement_id)] == 1, settlement_id
    for update_id in updates:
        assert queued[("settlement_update", update_id)] == 1, update_id
    for local_id, source in rows(path, "SELECT local_id, source FROM decisions"):
        # Decisions the platform did not make itself are registered through the outbox.
        assert queued[("decision", local_id)] == (0 if source == "online" else 1), local_id
    audited = collections.Counter(
        dict(rows(path, "SELECT action, COUNT(*) FROM audit GROUP BY action"))
    )
    assert audited["decision"] == len(rows(path, "SELECT 1 FROM decisions"))
    assert audited["settlement"] == len(settlements)
    assert audited["settlement_outcome"] == len(updates)
