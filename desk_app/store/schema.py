"""The schema, as versioned migrations (sqlite-utils ``Migrations``).

Each migration is one step in one transaction. The file is copied aside before any
pending migration runs on a file that already holds data. Never edit a released
migration: add the next one.
"""

from __future__ import annotations

import sqlite_utils
from sqlite_utils import Migrations

from desk_app.store.database import Store

migrations = Migrations("desk")


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    """The first schema: items, decisions, settlements, outbox, alerts, operators, audit."""
    db.executescript(
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE items (
            code TEXT PRIMARY KEY,
            position INTEGER NOT NULL,
            json TEXT NOT NULL
        );

        -- One row per decision the desk made or took over (a case of this counter).
        -- Identity numbers are never stored: subject_key is an HMAC of the number.
        CREATE TABLE decisions (
            local_id TEXT PRIMARY KEY,
            decision_id TEXT UNIQUE,
            subject_key TEXT NOT NULL,
            subject_kind TEXT NOT NULL,
            subject_masked TEXT NOT NULL,
            item_code TEXT NOT NULL,
            outcome TEXT NOT NULL,
            source TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
            waived_fen INTEGER NOT NULL CHECK (waived_fen >= 0),
            decided_at TEXT NOT NULL,
            decided_at_ms INTEGER NOT NULL,
            valid_until_ms INTEGER NOT NULL,
            emergency INTEGER NOT NULL DEFAULT 0,
            json TEXT NOT NULL,
            operator_id TEXT NOT NULL,
            counter_id TEXT NOT NULL,
            verification TEXT
        );
        CREATE INDEX decisions_cache
            ON decisions (subject_key, item_code, valid_until_ms);
        CREATE INDEX decisions_day ON decisions (source, decided_at_ms);

        CREATE TABLE settlements (
            settlement_id TEXT PRIMARY KEY,
            local_id TEXT NOT NULL UNIQUE REFERENCES decisions(local_id),
            status TEXT NOT NULL CHECK (status IN ('settled', 'deferred')),
            due_date TEXT,
            total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
            insurance_fen INTEGER NOT NULL CHECK (insurance_fen >= 0),
            self_pay_fen INTEGER NOT NULL CHECK (self_pay_fen >= 0),
            paid_fen INTEGER NOT NULL CHECK (paid_fen >= 0),
            method TEXT NOT NULL,
            operator_id TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            recorded_at_ms INTEGER NOT NULL,
            final_outcome TEXT,
            confirmed_at_ms INTEGER
        );

        CREATE TABLE settlement_updates (
            update_id TEXT PRIMARY KEY,
            settlement_id TEXT NOT NULL REFERENCES settlements(settlement_id),
            outcome TEXT NOT NULL,
            paid_fen INTEGER NOT NULL CHECK (paid_fen >= 0),
            paid_on TEXT,
            operator_id TEXT NOT NULL,
            recorded_at_ms INTEGER NOT NULL
        );

        CREATE TABLE deposits (
            local_id TEXT PRIMARY KEY REFERENCES decisions(local_id),
            collected_fen INTEGER NOT NULL CHECK (collected_fen >= 0),
            method TEXT NOT NULL,
            collected_at_ms INTEGER NOT NULL,
            refunded_fen INTEGER,
            refunded_at_ms INTEGER
        );

        -- Every write meant for the platform, with its own id (the idempotency key).
        CREATE TABLE outbox (
            id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            payload TEXT NOT NULL,
            depends_on TEXT REFERENCES outbox(id),
            state TEXT NOT NULL DEFAULT 'pending'
                CHECK (state IN ('pending', 'delivered', 'attention')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_ms INTEGER NOT NULL DEFAULT 0,
            error_code TEXT,
            error_zh TEXT,
            error_en TEXT,
            created_ms INTEGER NOT NULL,
            delivered_ms INTEGER,
            answer TEXT
        );
        CREATE INDEX outbox_due ON outbox (state, next_attempt_ms);

        -- What a clerk must see and act on, kept until acknowledged.
        CREATE TABLE alerts (
            id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            ref TEXT NOT NULL,
            subject_masked TEXT NOT NULL,
            message_zh TEXT NOT NULL,
            message_en TEXT NOT NULL,
            amount_fen INTEGER NOT NULL DEFAULT 0,
            created_ms INTEGER NOT NULL,
            acknowledged_ms INTEGER,
            acknowledged_by TEXT,
            UNIQUE (kind, ref)
        );

        CREATE TABLE operators (
            operator_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
            pin_hash TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_ms INTEGER NOT NULL
        );

        -- A hash chain: each entry's mac covers the previous entry's mac.
        CREATE TABLE audit (
            seq INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            operator_id TEXT NOT NULL,
            action TEXT NOT NULL,
            details TEXT NOT NULL,
            prev_mac TEXT NOT NULL,
            mac TEXT NOT NULL
        );
        """
    )


@migrations()
def m002_reports(db: sqlite_utils.Database) -> None:
    """Monthly reports queued for the platform: one row per month and revision."""
    db.executescript(
        """
        CREATE TABLE reports (
            month TEXT NOT NULL,
            revision INTEGER NOT NULL CHECK (revision >= 1),
            fingerprint TEXT NOT NULL,
            outbox_id TEXT NOT NULL REFERENCES outbox(id),
            created_ms INTEGER NOT NULL,
            PRIMARY KEY (month, revision)
        );
        CREATE INDEX deposits_collected ON deposits (collected_at_ms);
        CREATE INDEX settlements_recorded ON settlements (recorded_at_ms);
        """
    )


def latest_version() -> int:
    """How many migrations this build knows."""
    return len(migrations.pending(sqlite_utils.Database(memory=True)))


def migrate(store: Store, steps: Migrations = migrations) -> int:
    """Bring the file up to this build's schema, copying it aside first if it holds data.

    Args:
        store: the database.
        steps: the migration set (tests pass a longer one).

    Returns:
        The schema version now.

    Raises:
        StoreError: the file is corrupt, full or read-only (typed by :meth:`Store.read`).
    """
    with store.read() as db:
        pending = steps.pending(db)
        if pending and steps.applied(db):
            store.copy_aside("before-" + pending[0].name)
        steps.apply(db)
        return len(steps.applied(db))
