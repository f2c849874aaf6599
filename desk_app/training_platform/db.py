"""The training platform's SQLite state: one file in the data folder.

One connection shared by the server's worker threads, serialised by a lock; every
write runs in ``BEGIN IMMEDIATE`` so that two requests racing for the same
idempotency key see one winner. Subjects are keyed by HMAC-SHA256 under a secret
kept in the same folder; raw numbers are kept only for the synthetic residents
(the trainer's cheat sheet needs them), never for numbers typed in by people.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from desk_app.identity import mask_number
from desk_app.training_platform import residents as synthetic

DB_NAME = "training-platform.sqlite3"
SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS residents (
    subject_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    number TEXT,                -- synthetic residents only
    masked TEXT NOT NULL,
    name TEXT NOT NULL,
    score INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS score_history (
    id INTEGER PRIMARY KEY,
    subject_key TEXT NOT NULL REFERENCES residents(subject_key),
    at TEXT NOT NULL,
    delta INTEGER NOT NULL,
    score_after INTEGER NOT NULL,
    reason TEXT NOT NULL,
    reference TEXT
);
CREATE TABLE IF NOT EXISTS tokens (
    token_hash TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    expires_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS decisions (
    decision_id TEXT PRIMARY KEY,
    institution_id TEXT NOT NULL,
    request_id TEXT,
    request_hash TEXT NOT NULL,
    item_code TEXT NOT NULL,
    subject_key TEXT NOT NULL,
    subject_kind TEXT NOT NULL,
    subject_masked TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    outcome TEXT NOT NULL,
    amount_fen INTEGER NOT NULL,
    waived_fen INTEGER NOT NULL,
    counter_id TEXT NOT NULL,
    operator_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (institution_id, request_id)
);
CREATE INDEX IF NOT EXISTS decisions_subject ON decisions (institution_id, subject_key);
-- Overdue settlements count city-wide: every credit decision looks a person up across
-- institutions (without this index, a scan of every decision held).
CREATE INDEX IF NOT EXISTS decisions_by_subject ON decisions (subject_key);
CREATE TABLE IF NOT EXISTS settlements (
    settlement_id TEXT PRIMARY KEY,
    decision_id TEXT NOT NULL UNIQUE REFERENCES decisions(decision_id),
    institution_id TEXT NOT NULL,
    body_hash TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    status TEXT NOT NULL,
    due_date TEXT,
    final_outcome TEXT,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS settlement_updates (
    update_id TEXT PRIMARY KEY,
    settlement_id TEXT NOT NULL REFERENCES settlements(settlement_id),
    body_hash TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reports (
    institution_id TEXT NOT NULL,
    month TEXT NOT NULL,
    revision INTEGER NOT NULL,
    body_hash TEXT NOT NULL,
    answer_json TEXT NOT NULL,
    received_at TEXT NOT NULL,
    PRIMARY KEY (institution_id, month, revision)
);
"""


class PlatformDb:
    """The platform's database, safe to use from the server's worker threads.

    Args:
        data_dir: the folder holding the database file (created if missing).
        seed: seed of the synthetic residents, used when the file is new.
    """

    def __init__(self, data_dir: Path, seed: int = synthetic.DEFAULT_SEED) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / DB_NAME
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(
            self.path, check_same_thread=False, isolation_level=None, timeout=10
        )
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA foreign_keys=ON")
        # executescript commits on its own: it cannot run inside write().
        self._conn.executescript(_SCHEMA)
        secret = self._meta("subject_secret")
        if secret is None:
            with self.write() as conn:
                conn.execute(
                    "INSERT INTO meta VALUES ('subject_secret', ?)", (secrets.token_hex(32),)
                )
                conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (SCHEMA_VERSION,))
                conn.execute("INSERT INTO meta VALUES ('seed', ?)", (seed,))
            secret = self._meta("subject_secret")
        assert secret is not None
        self._secret = bytes.fromhex(secret)
        if self.read_one("SELECT 1 FROM residents LIMIT 1") is None:
            self._seed_residents(seed)

    def _meta(self, key: str) -> str | None:
        row = self.read_one("SELECT value FROM meta WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def subject_key(self, number: str) -> str:
        """HMAC-SHA256 of a normalised document number under this platform's secret."""
        return hmac.new(self._secret, number.encode("ascii"), hashlib.sha256).hexdigest()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction (``BEGIN IMMEDIATE``), committed on success."""
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def read_one(self, sql: str, params: tuple[object, ...] = ()) -> sqlite3.Row | None:
        """The first row of a query, or None."""
        with self._lock:
            row: sqlite3.Row | None = self._conn.execute(sql, params).fetchone()
            return row

    def read_all(self, sql: str, params: tuple[object, ...] = ()) -> list[sqlite3.Row]:
        """Every row of a query."""
        with self._lock:
            return list(self._conn.execute(sql, params).fetchall())

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    def _seed_residents(self, seed: int) -> None:
        with self.write() as conn:
            for r in synthetic.generate(seed):
                conn.execute(
                    "INSERT INTO residents VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        self.subject_key(r.number),
                        r.kind.value,
                        r.number,
                        mask_number(r.number),
                        r.name,
                        r.score,
                        r.note,
                    ),
                )
