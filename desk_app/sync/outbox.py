"""The outbox: every write meant for the platform, kept until the platform has it.

An entry is written in the same transaction as the record it belongs to, with its
own id, which is also the idempotency key the platform sees on every retry. One
sync worker delivers entries in order; an entry whose delivery failed waits its own
backoff and does not hold back the others (except those that depend on it: a
settlement waits for its decision). An entry the platform refuses moves to "needs
attention" with the reason, and is never dropped.

Payloads that carry an identity number (decision registrations) are encrypted with
a key kept in the keyring, and the number is wiped from the payload once delivered.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import sqlite_utils
from cryptography.fernet import Fernet, InvalidToken

from desk_app.domain.model import Decision
from desk_app.platform.client import PlatformClient
from desk_app.platform.errors import (
    PlatformBadAnswerError,
    PlatformRefusedError,
    PlatformUnreachableError,
)
from desk_app.services.context import DeskContext, epoch_ms

log = logging.getLogger(__name__)

# Backoff per entry: 2 s doubling to 5 minutes. A malformed answer is retried this many
# times before the entry needs attention.
BACKOFF_FIRST_MS = 2_000
BACKOFF_MAX_MS = 300_000
MAX_BAD_ANSWERS = 5


class Kind(StrEnum):
    """What an outbox entry delivers."""

    DECISION = "decision"  # a decision made offline or from the list: register the case
    SETTLEMENT = "settlement"
    SETTLEMENT_UPDATE = "settlement_update"
    REPORT = "report"


class State(StrEnum):
    """Where an entry stands."""

    PENDING = "pending"
    DELIVERED = "delivered"
    ATTENTION = "attention"


@dataclass(frozen=True)
class Entry:
    """One outbox entry as the sync screen and ``desk-app sync`` show it."""

    id: str
    kind: Kind
    ref: str
    state: State
    attempts: int
    error_code: str | None
    error_zh: str | None
    error_en: str | None


@dataclass
class Round:
    """What one delivery round did."""

    sent: list[str]
    kept: list[str]
    attention: list[str]
    unreachable: bool = False


class Sealer:
    """Encrypts outbox payloads that carry identity numbers (Fernet, key in the keyring)."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def seal(self, payload: Mapping[str, Any]) -> str:
        """Encrypt a payload to text."""
        return "sealed:" + self._fernet.encrypt(json.dumps(payload).encode()).decode()

    def open(self, text: str) -> dict[str, Any]:
        """Decrypt (or just parse) a stored payload."""
        if not text.startswith("sealed:"):
            value: dict[str, Any] = json.loads(text)
            return value
        try:
            opened: dict[str, Any] = json.loads(self._fernet.decrypt(text[7:].encode()))
        except InvalidToken as exc:
            raise ValueError("the outbox key does not open this payload") from exc
        return opened


def enqueue(
    db: sqlite_utils.Database,
    ctx: DeskContext,
    kind: Kind,
    ref: str,
    payload: str,
    depends_on: str | None = None,
) -> str:
    """Add an entry inside the caller's write transaction; returns its id."""
    entry_id = str(uuid.uuid4())
    seq = db.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM outbox").fetchone()[0]
    db.execute(
        "INSERT INTO outbox (id, seq, kind, ref, payload, depends_on, created_ms) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (entry_id, seq, kind.value, ref, payload, depends_on, epoch_ms(ctx.now())),
    )
    return entry_id


def pending_for(db: sqlite_utils.Database, kind: Kind, ref: str) -> str | None:
    """The id of an undelivered entry of ``kind`` for ``ref``, if there is one."""
    row = db.execute(
        "SELECT id FROM outbox WHERE kind = ? AND ref = ? AND state != 'delivered' "
        "ORDER BY seq DESC LIMIT 1",
        (kind.value, ref),
    ).fetchone()
    return None if row is None else str(row[0])


def entries(
    ctx: DeskContext, states: tuple[State, ...] = (State.PENDING, State.ATTENTION)
) -> list[Entry]:
    """Entries in the given states, oldest first."""
    marks = ",".join("?" for _ in states)
    with ctx.store.read() as db:
        rows = db.execute(
            f"SELECT id, kind, ref, state, attempts, error_code, error_zh, error_en "
            f"FROM outbox WHERE state IN ({marks}) ORDER BY seq",
            tuple(s.value for s in states),
        ).fetchall()
    return [Entry(r[0], Kind(r[1]), r[2], State(r[3]), r[4], r[5], r[6], r[7]) for r in rows]


def counts(ctx: DeskContext) -> dict[str, int]:
    """How many entries are pending and need attention."""
    with ctx.store.read() as db:
        rows = db.execute("SELECT state, COUNT(*) FROM outbox GROUP BY state").fetchall()
    found = {state: n for state, n in rows}
    return {"pending": found.get("pending", 0), "attention": found.get("attention", 0)}


class _Result(StrEnum):
    SENT = "sent"
    KEPT = "kept"  # retried later
    UNREACHABLE = "unreachable"  # kept, and the platform is gone for now
    ATTENTION = "attention"


def refuse_known_decision_id(db: sqlite_utils.Database, answer: Decision, local_id: str) -> None:
    """An answer naming a decision id this desk holds for another case cannot be kept.

    The platform gives every case its own id; an answer that repeats another case's id
    (a replaying proxy, a platform bug) would break the store's one-case-per-id rule. The
    rule holds for a decision made online and for a registration delivered from here.

    Raises:
        PlatformBadAnswerError: the id belongs to another case here.
    """
    row = db.execute(
        "SELECT 1 FROM decisions WHERE decision_id = ? AND local_id != ?",
        (answer.decision_id, local_id),
    ).fetchone()
    if row is not None:
        raise PlatformBadAnswerError("the answer repeats the decision id of another case")


class Outbox:
    """Delivers the outbox to the platform.

    Args:
        ctx: the desk's context.
        client: the platform client.
        sealer: opens sealed payloads.
        on_decision_registered: applies a registered decision's answer to the store
            (the decision id, and a provisional waiver's verification).
    """

    def __init__(
        self,
        ctx: DeskContext,
        client: PlatformClient,
        sealer: Sealer,
        on_decision_registered: Callable[[sqlite_utils.Database, str, Decision], None],
    ) -> None:
        self.ctx = ctx
        self.client = client
        self.sealer = sealer
        self._on_decision = on_decision_registered

    def retry_now(self) -> None:
        """Make every pending entry due now, and give entries needing attention one more try."""
        with self.ctx.store.write() as db:
            db.execute("UPDATE outbox SET next_attempt_ms = 0 WHERE state = 'pending'")
            db.execute(
                "UPDATE outbox SET state = 'pending', next_attempt_ms = 0 "
                "WHERE state = 'attention' AND error_code IN ('bad_answer')"
            )

    def deliver_due(self, limit: int = 500) -> Round:
        """Deliver due entries, in order, until done, ``limit``, or the platform is gone."""
        result = Round([], [], [])
        now_ms = epoch_ms(self.ctx.now())
        with self.ctx.store.read() as db:
            due = db.execute(
                "SELECT o.id, o.kind, o.ref, o.payload, o.attempts FROM outbox o "
                "LEFT JOIN outbox d ON d.id = o.depends_on "
                "WHERE o.state = 'pending' AND o.next_attempt_ms <= ? "
                "AND (o.depends_on IS NULL OR d.state = 'delivered') "
                "ORDER BY o.seq LIMIT ?",
                (now_ms, limit),
            ).fetchall()
        for entry_id, kind, ref, payload, attempts in due:
            outcome = self._deliver_one(entry_id, Kind(kind), ref, payload, attempts)
            if outcome is _Result.SENT:
                result.sent.append(entry_id)
            elif outcome is _Result.ATTENTION:
                result.attention.append(entry_id)
            else:
                result.kept.append(entry_id)
            if outcome is _Result.UNREACHABLE:
                # The platform is gone: the rest would fail the same way.
                result.unreachable = True
                break
        if result.sent:
            with self.ctx.store.write() as db:
                db.execute(
                    "INSERT OR REPLACE INTO meta (key, value) VALUES ('last_sync_ok', ?)",
                    (self.ctx.now().isoformat(timespec="seconds"),),
                )
        return result

    def _deliver_one(
        self, entry_id: str, kind: Kind, ref: str, payload: str, attempts: int
    ) -> _Result:
        try:
            body = self.sealer.open(payload)
            answer = self._send(kind, ref, body)
        except PlatformUnreachableError as error:
            self._backoff(entry_id, attempts, error.retry_after_s)
            return _Result.UNREACHABLE
        except PlatformBadAnswerError:
            if attempts + 1 >= MAX_BAD_ANSWERS:
                self._attention(
                    entry_id,
                    "bad_answer",
                    "信用平台的答复多次无法识别。",
                    "The platform's answers could not be read, several times.",
                )
                return _Result.ATTENTION
            self._backoff(entry_id, attempts, None)
            return _Result.KEPT
        except PlatformRefusedError as error:
            self._attention(entry_id, error.code, error.message_zh, error.message_en)
            return _Result.ATTENTION
        except ValueError as error:
            self._attention(entry_id, "unreadable_payload", "待发送记录无法读取。", str(error))
            return _Result.ATTENTION
        with self.ctx.store.write() as db:
            if kind is Kind.DECISION:
                decision = answer.pop("_decision")
                self._on_decision(db, ref, decision)
                # The number is not needed any more: keep nothing of it at rest.
                body["subject"]["number"] = "delivered"
                stored = json.dumps(body)
            else:
                stored = payload
            if kind is Kind.SETTLEMENT:
                db.execute(
                    "UPDATE settlements SET confirmed_at_ms = ? WHERE settlement_id = ?",
                    (epoch_ms(self.ctx.now()), ref),
                )
            db.execute(
                "UPDATE outbox SET state = 'delivered', delivered_ms = ?, attempts = attempts + 1, "
                "payload = ?, answer = ?, error_code = NULL, error_zh = NULL, error_en = NULL "
                "WHERE id = ?",
                (epoch_ms(self.ctx.now()), stored, json.dumps(answer, default=str), entry_id),
            )
        return _Result.SENT

    def _send(self, kind: Kind, ref: str, body: dict[str, Any]) -> dict[str, Any]:
        if kind is Kind.DECISION:
            decision = self.client.decide(body, attempts=1)
            with self.ctx.store.read() as db:
                refuse_known_decision_id(db, decision, ref)
            return {"decision_id": decision.decision_id, "_decision": decision}
        if kind is Kind.SETTLEMENT:
            with self.ctx.store.read() as db:
                row = db.execute(
                    "SELECT d.decision_id FROM settlements s JOIN decisions d USING (local_id) "
                    "WHERE s.settlement_id = ?",
                    (ref,),
                ).fetchone()
            if row is None or row[0] is None:
                raise PlatformUnreachableError("the decision is not registered yet")
            return self.client.settle({**body, "decision_id": row[0]}, attempts=1)
        if kind is Kind.SETTLEMENT_UPDATE:
            settlement_id = body.pop("settlement_id")
            return self.client.update_settlement(settlement_id, body, attempts=1)
        return self.client.submit_report(body, attempts=1)

    def _backoff(self, entry_id: str, attempts: int, retry_after_s: float | None) -> None:
        delay = min(BACKOFF_FIRST_MS * 2**attempts, BACKOFF_MAX_MS)
        if retry_after_s is not None:
            delay = max(delay, int(retry_after_s * 1000))
        with self.ctx.store.write() as db:
            db.execute(
                "UPDATE outbox SET attempts = attempts + 1, next_attempt_ms = ? WHERE id = ?",
                (epoch_ms(self.ctx.now()) + delay, entry_id),
            )

    def _attention(self, entry_id: str, code: str, zh: str, en: str) -> None:
        with self.ctx.store.write() as db:
            db.execute(
                "UPDATE outbox SET state = 'attention', attempts = attempts + 1, "
                "error_code = ?, error_zh = ?, error_en = ? WHERE id = ?",
                (code, zh, en, entry_id),
            )
        log.warning("outbox entry %s needs attention: %s", entry_id, code)
