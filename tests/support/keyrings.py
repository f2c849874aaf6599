"""Keyring backends for tests: the OS keyring is the true edge a test cannot have.

They speak keyring's own backend API, so the desk's code runs unchanged.
``FileKeyring`` keeps entries in a JSON file named by ``DESK_TEST_KEYRING_FILE``,
for tests whose desk runs in another process (kill -9 drills); it is test-only.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import keyring.backend
import keyring.errors
from filelock import FileLock


class MemoryKeyring(keyring.backend.KeyringBackend):
    """Entries in a dict, for one test process."""

    priority = 1

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.entries: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if (service, username) not in self.entries:
            raise keyring.errors.PasswordDeleteError(username)
        del self.entries[(service, username)]


class LockedKeyring(keyring.backend.KeyringBackend):
    """A keyring that is there but locked, as a Secret Service before sign-in."""

    priority = 1

    def get_password(self, service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise keyring.errors.KeyringLocked("locked")

    def delete_password(self, service: str, username: str) -> None:
        raise keyring.errors.KeyringLocked("locked")


class FileKeyring(keyring.backend.KeyringBackend):
    """Entries in the JSON file ``$DESK_TEST_KEYRING_FILE``, shared across processes."""

    priority = 1

    @property
    def path(self) -> Path:
        return Path(os.environ["DESK_TEST_KEYRING_FILE"])

    def _load(self) -> dict[str, str]:
        if not self.path.exists():
            return {}
        loaded: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        return loaded

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(f"{service}/{username}")

    def _save(self, entries: dict[str, str]) -> None:
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(json.dumps(entries), encoding="utf-8")
        temporary.replace(self.path)

    def _locked(self) -> FileLock:
        # One entry written at a time across processes, as a real keyring does: without
        # it, two processes' read-modify-write of the file would drop an entry.
        return FileLock(str(self.path) + ".lock")

    def set_password(self, service: str, username: str, password: str) -> None:
        with self._locked():
            entries = self._load()
            entries[f"{service}/{username}"] = password
            self._save(entries)

    def delete_password(self, service: str, username: str) -> None:
        with self._locked():
            entries = self._load()
            if entries.pop(f"{service}/{username}", None) is None:
                raise keyring.errors.PasswordDeleteError(username)
            self._save(entries)
