"""Secrets in the operating system's keyring, never in a file or in settings.

One keyring service name for the desk; each desk (data folder) keeps its entries
under its own desk id, so two desks of one Windows user do not share keys. What is
kept: the institution's client id and secret, the platform token, the key that
turns identity numbers into HMAC subject keys, and the audit-chain key.

A missing or locked keyring is :class:`SecretsUnavailableError`, a clear message for
the clerk; there is no plaintext fallback.
"""

from __future__ import annotations

import secrets
import threading
from typing import Protocol

import keyring
import keyring.errors

from desk_app.errors import DeskError, Fault

SERVICE = "deposit-free-desk"

CLIENT_ID = "client_id"
CLIENT_SECRET = "client_secret"
TOKEN = "platform_token"
SUBJECT_KEY = "subject_hmac_key"
AUDIT_KEY = "audit_hmac_key"


class SecretsUnavailableError(DeskError):
    """The keyring cannot be used: no backend, locked, or refused."""

    fault = Fault.ENVIRONMENT

    def __init__(self, detail: str) -> None:
        super().__init__(
            "无法使用系统钥匙串（凭据库）：它可能被锁定或未安装。请解锁或联系信息科。",
            "The system keyring cannot be used: it may be locked or missing. Unlock it or call IT.",
        )
        self.detail = detail


class SecretStore(Protocol):
    """Where the desk keeps its secrets."""

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None."""

    def set(self, name: str, value: str) -> None:
        """Keep ``value`` as ``name``."""

    def delete(self, name: str) -> None:
        """Forget ``name`` (no error if it is not there)."""


class KeyringSecrets:
    """Secrets of one desk in the OS keyring.

    Args:
        desk_id: this desk's id (from its data folder); names its entries.
    """

    def __init__(self, desk_id: str) -> None:
        self._prefix = f"{desk_id}:"
        self._lock = threading.Lock()

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None.

        Raises:
            SecretsUnavailableError: when the keyring cannot be used.
        """
        try:
            with self._lock:
                value: str | None = keyring.get_password(SERVICE, self._prefix + name)
                return value
        except keyring.errors.KeyringError as exc:
            raise SecretsUnavailableError(f"{type(exc).__name__}") from exc

    def set(self, name: str, value: str) -> None:
        """Keep ``value`` as ``name``.

        Raises:
            SecretsUnavailableError: when the keyring cannot be used.
        """
        try:
            with self._lock:
                keyring.set_password(SERVICE, self._prefix + name, value)
        except keyring.errors.KeyringError as exc:
            raise SecretsUnavailableError(f"{type(exc).__name__}") from exc

    def probe(self) -> None:
        """Check the keyring keeps what it is given (a null backend silently does not).

        Raises:
            SecretsUnavailableError: when it cannot be used or forgets.
        """
        value = secrets.token_hex(8)
        self.set("probe", value)
        if self.get("probe") != value:
            raise SecretsUnavailableError("the keyring does not keep secrets")
        self.delete("probe")

    def delete(self, name: str) -> None:
        """Forget ``name``.

        Raises:
            SecretsUnavailableError: when the keyring cannot be used.
        """
        try:
            with self._lock:
                keyring.delete_password(SERVICE, self._prefix + name)
        except keyring.errors.PasswordDeleteError:
            return
        except keyring.errors.KeyringError as exc:
            raise SecretsUnavailableError(f"{type(exc).__name__}") from exc


class MemorySecrets:
    """Secrets held in memory for this process only.

    Used in training mode when the machine has no keyring: nothing is written to disk,
    and what the desk stored under the key cannot be linked to a person after a
    restart. Never used in live mode.
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        """The secret called ``name``, or None."""
        return self._values.get(name)

    def set(self, name: str, value: str) -> None:
        """Keep ``value`` as ``name``."""
        self._values[name] = value

    def delete(self, name: str) -> None:
        """Forget ``name``."""
        self._values.pop(name, None)


def get_or_create_key(store: SecretStore, name: str) -> bytes:
    """A 256-bit key kept under ``name``, generated on first use.

    Raises:
        SecretsUnavailableError: when the keyring cannot be used.
    """
    value = store.get(name)
    if value is None:
        value = secrets.token_hex(32)
        store.set(name, value)
    return bytes.fromhex(value)
