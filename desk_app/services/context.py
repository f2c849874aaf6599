"""What every service needs: the store, keys, clock, counter and audit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from desk_app.store import audit
from desk_app.store.database import Store

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
SYSTEM = "system"


def china_now() -> dt.datetime:
    """Now, in China time."""
    return dt.datetime.now(CHINA_TIME)


def epoch_ms(moment: dt.datetime) -> int:
    """Milliseconds since the epoch, for comparisons in SQL."""
    return int(moment.timestamp() * 1000)


@dataclass
class DeskContext:
    """Shared by the services of one desk.

    Attributes:
        store: the local database.
        subject_key_secret: the HMAC key for identity numbers (from the keyring).
        audit_key: the HMAC key of the audit chain (from the keyring).
        counter_id: this counter.
        now: the clock (tests move it).
    """

    store: Store
    subject_key_secret: bytes
    audit_key: bytes
    counter_id: str
    now: Callable[[], dt.datetime] = china_now

    def subject_key(self, number: str) -> str:
        """HMAC-SHA256 of a normalised document number: how a person is keyed at rest."""
        return hmac.new(self.subject_key_secret, number.encode(), hashlib.sha256).hexdigest()

    def audit(
        self, db: sqlite_utils.Database, operator_id: str, action: str, **details: Any
    ) -> None:
        """Add an audit entry inside the caller's write transaction."""
        audit.append(db, self.audit_key, operator_id, action, details, self.now())
