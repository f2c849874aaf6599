"""Operators: who may act at the counter, signed in with a PIN.

PINs are stored only as a salted scrypt hash (the standard library's memory-hard
key derivation): a stolen database does not give the PINs away cheaply. Every
sign-in, failed or not, is in the audit trail.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from enum import StrEnum

from desk_app.errors import BadInputError
from desk_app.services.context import DeskContext, epoch_ms

# scrypt cost: about 50 ms on a counter PC, too slow to guess a 6-digit PIN quickly
# from a copied file, fast enough for a clerk.
_N, _R, _P = 2**14, 8, 1
_PIN = re.compile(r"^[0-9]{4,8}$")
# After this many wrong PINs in a row, the operator waits for a supervisor.
MAX_FAILURES = 5


class Role(StrEnum):
    """What an operator may do."""

    CLERK = "clerk"
    SUPERVISOR = "supervisor"


@dataclass(frozen=True)
class Operator:
    """A signed-in operator."""

    operator_id: str
    name: str
    role: Role

    @property
    def is_supervisor(self) -> bool:
        """Supervisors change settings and manage operators."""
        return self.role is Role.SUPERVISOR


class SignInError(BadInputError):
    """Wrong operator or PIN, or a locked account."""


def hash_pin(pin: str) -> str:
    """A salted scrypt hash of ``pin``, as stored."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def pin_matches(pin: str, stored: str) -> bool:
    """Whether ``pin`` is the one ``stored`` was made from (constant time)."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hashlib.scrypt(
        pin.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32
    )
    return hmac.compare_digest(candidate.hex(), digest)


class OperatorService:
    """Operators of one desk.

    Args:
        ctx: the desk's context.
    """

    def __init__(self, ctx: DeskContext) -> None:
        self.ctx = ctx

    def any(self) -> bool:
        """Whether any operator exists (first run: the supervisor creates the first)."""
        with self.ctx.store.read() as db:
            return db.execute("SELECT 1 FROM operators LIMIT 1").fetchone() is not None

    def add(self, operator_id: str, name: str, role: Role, pin: str, by: str) -> Operator:
        """Create an operator.

        Raises:
            SignInError: an id already taken, or a PIN that is not 4 to 8 digits.
        """
        if not _PIN.match(pin):
            raise SignInError("PIN 须为 4 到 8 位数字。", "A PIN is 4 to 8 digits.")
        if not operator_id.strip() or not name.strip():
            raise SignInError("请填写工号和姓名。", "Enter the operator id and name.")
        with self.ctx.store.write() as db:
            if db.execute(
                "SELECT 1 FROM operators WHERE operator_id = ?", (operator_id,)
            ).fetchone():
                raise SignInError("该工号已存在。", "This operator id exists already.")
            db.execute(
                "INSERT INTO operators (operator_id, name, role, pin_hash, created_ms) "
                "VALUES (?, ?, ?, ?, ?)",
                (operator_id, name, role.value, hash_pin(pin), epoch_ms(self.ctx.now())),
            )
            self.ctx.audit(db, by, "operator_added", operator=operator_id, role=role.value)
        return Operator(operator_id, name, role)

    def sign_in(self, operator_id: str, pin: str) -> Operator:
        """Check the PIN and sign the operator in.

        Raises:
            SignInError: unknown operator, wrong PIN, or locked after too many failures.
        """
        with self.ctx.store.read() as db:
            row = db.execute(
                "SELECT name, role, pin_hash, active FROM operators WHERE operator_id = ?",
                (operator_id,),
            ).fetchone()
        failures = self._recent_failures(operator_id)
        if row is not None and failures >= MAX_FAILURES:
            raise SignInError(
                "PIN 连续输错次数过多，账号已锁定，请主管解锁。",
                "Too many wrong PINs: the account is locked until a supervisor unlocks it.",
            )
        if row is None or not row[3] or not pin_matches(pin, row[2]):
            with self.ctx.store.write() as db:
                self.ctx.audit(db, operator_id or "-", "sign_in_failed")
            raise SignInError("工号或 PIN 不正确。", "Wrong operator id or PIN.")
        with self.ctx.store.write() as db:
            self.ctx.audit(db, operator_id, "sign_in")
        return Operator(operator_id, str(row[0]), Role(row[1]))

    def sign_out(self, operator: Operator, reason: str = "sign_out") -> None:
        """Record that the operator left (signed out or locked by idle time)."""
        with self.ctx.store.write() as db:
            self.ctx.audit(db, operator.operator_id, reason)

    def unlock(self, operator_id: str, by: Operator) -> None:
        """A supervisor clears an operator's failed sign-ins."""
        with self.ctx.store.write() as db:
            self.ctx.audit(db, by.operator_id, "operator_unlocked", operator=operator_id)

    def _recent_failures(self, operator_id: str) -> int:
        """Failed sign-ins since the operator's last success or unlock."""
        with self.ctx.store.read() as db:
            rows = db.execute(
                "SELECT action, details FROM audit WHERE (operator_id = ? AND action IN "
                "('sign_in', 'sign_in_failed')) OR (action = 'operator_unlocked' AND "
                "details LIKE ?) ORDER BY seq DESC LIMIT ?",
                (operator_id, f'%"operator": "{operator_id}"%', MAX_FAILURES + 1),
            ).fetchall()
        count = 0
        for action, _details in rows:
            if action != "sign_in_failed":
                break
            count += 1
        return count
