"""The audit trail: every query, decision, settlement, override and sign-in, chained.

Each entry carries an HMAC-SHA256 over its own fields and the previous entry's MAC,
under a key kept in the keyring. Editing an entry breaks its MAC; deleting one
breaks the next entry's link (and a gap in ``seq``); re-computing the chain needs the
key, which the database does not hold. The newest entry's ``seq`` and MAC are also
kept in ``meta`` so that deleting entries from the end is found too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desk_app.store.database import Store

GENESIS = "0" * 64
_HEAD = "audit_head"


def _mac(key: bytes, seq: int, at: str, operator_id: str, action: str, details: str,
         prev_mac: str) -> str:  # fmt: skip
    message = json.dumps([seq, at, operator_id, action, details, prev_mac], ensure_ascii=False)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def append(db: sqlite_utils.Database, key: bytes, operator_id: str, action: str,
           details: dict[str, Any], now: dt.datetime) -> int:  # fmt: skip
    """Add an entry inside the caller's write transaction.

    Args:
        db: the connection, inside :meth:`Store.write`.
        key: the audit key.
        operator_id: who acted (``system`` for the desk itself).
        action: what happened, e.g. ``decision``, ``settlement``, ``sign_in``.
        details: what the entry records; never a raw identity number.
        now: when.

    Returns:
        The entry's ``seq``.
    """
    row = db.execute("SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
    at = now.isoformat(timespec="milliseconds")
    text = json.dumps(details, ensure_ascii=False, sort_keys=True)
    mac = _mac(key, seq, at, operator_id, action, text, prev)
    db.execute(
        "INSERT INTO audit (seq, at, operator_id, action, details, prev_mac, mac) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, at, operator_id, action, text, prev, mac),
    )
    db.execute(
        "INSERT INTO meta (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_HEAD, f"{seq} {mac}"),
    )
    return seq


@dataclass(frozen=True)
class Verdict:
    """The result of checking the chain."""

    intact: bool
    entries: int
    first_broken: int | None = None
    reason: str = ""


def verify(store: Store, key: bytes) -> Verdict:
    """Check every entry's MAC, every link, the numbering and the recorded head."""
    with store.read() as db:
        rows = db.execute(
            "SELECT seq, at, operator_id, action, details, prev_mac, mac FROM audit ORDER BY seq"
        ).fetchall()
        head_row = db.execute("SELECT value FROM meta WHERE key = ?", (_HEAD,)).fetchone()
    prev = GENESIS
    expected_seq = 1
    for seq, at, operator_id, action, details, prev_mac, mac in rows:
        if seq != expected_seq:
            return Verdict(False, len(rows), expected_seq, f"entry {expected_seq} is missing")
        if prev_mac != prev:
            return Verdict(False, len(rows), seq, f"entry {seq} does not follow entry {seq - 1}")
        if not hmac.compare_digest(mac, _mac(key, seq, at, operator_id, action, details, prev)):
            return Verdict(False, len(rows), seq, f"entry {seq} was changed")
        prev = mac
        expected_seq += 1
    head = f"{expected_seq - 1} {prev}" if rows else None
    recorded = head_row[0] if head_row else None
    if recorded != head:
        last = int(recorded.split()[0]) if recorded else 0
        return Verdict(False, len(rows), min(last, expected_seq), "entries at the end were removed")
    return Verdict(True, len(rows))
