"""The city platform client: requests, one session per thread, short timeouts.

Every call has a connect and a read timeout. Retries with backoff happen only
where a repeat is safe: GETs, and POSTs that carry their own idempotency id
(every write of the contract does). ``Retry-After`` is respected up to a bound,
beyond which the call gives up and the desk works offline. TLS verification is
always on; a city's own CA bundle can be configured.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from desk_app.domain.model import Decision, Text
from desk_app.platform.answers import (
    Health,
    ItemList,
    RemoteCase,
    field,
    read_cases,
    read_decision,
    read_health,
    read_items,
)
from desk_app.platform.errors import (
    PlatformBadAnswerError,
    PlatformRefusedError,
    PlatformUnreachableError,
    WrongPlatformError,
)
from desk_app.secrets import CLIENT_ID, CLIENT_SECRET, TOKEN, SecretStore

log = logging.getLogger(__name__)

TRAINING_PREFIX = "training-"
# Statuses that mean "not now": retried when safe, else the desk works offline.
_TRANSIENT = frozenset({429, 500, 502, 503, 504})
# A counter cannot wait longer than this for a Retry-After.
MAX_RETRY_AFTER_S = 5.0
HEALTH_PATH = "/v1/health"


class CredentialsMissingError(PlatformRefusedError):
    """No institution credentials are configured (live mode)."""

    def __init__(self) -> None:
        super().__init__(
            0,
            "credentials_missing",
            "尚未设置机构凭据，请主管在设置中录入。",
            "The institution's credentials are not set; the supervisor enters them in settings.",
        )


class TrainingCredentialsInLiveError(PlatformRefusedError):
    """A live desk was given training credentials."""

    def __init__(self) -> None:
        super().__init__(
            0,
            "training_credentials_in_live",
            "正式模式不能使用培训凭据。",
            "Training credentials cannot be used in live mode.",
        )


@dataclass(frozen=True)
class PlatformConfig:
    """How to reach the platform.

    Attributes:
        base_url: e.g. ``https://credit.binzhou.example`` or the embedded training URL.
        counter_id: this counter, sent with every call.
        mode: ``training`` or ``live``; the platform's health must say the same.
        ca_bundle: a city's own CA certificates; None for the system's.
        connect_timeout_s: seconds to connect.
        read_timeout_s: seconds to wait for an answer.
        attempts: tries for a call that is safe to repeat.
        backoff_s: first pause between tries; doubles each time.
        quiet_s: after a call timed out, how long calls fail at once without trying
            (the health check still tries, and ends the quiet).
    """

    base_url: str
    counter_id: str
    mode: str = "training"
    ca_bundle: Path | None = None
    # A counter cannot wait: two tries of these stay near ten seconds at worst.
    connect_timeout_s: float = 2.05
    read_timeout_s: float = 4.0
    attempts: int = 3
    backoff_s: float = 0.2
    # One customer waits for the timeouts; the next ones are served offline at once
    # until the window's sync round (every 10 s) finds the platform answering again.
    quiet_s: float = 30.0


def training_credentials(client_id: str) -> tuple[str, str]:
    """The fixed, documented credentials of a training institution."""
    return client_id, f"{client_id}-secret"


class PlatformClient:
    """The desk's side of the platform contract (``docs/platform-api.md``).

    Safe to use from several threads: each has its own ``requests.Session``.

    Args:
        config: where and how.
        secrets: where the credentials and the token live.
    """

    def __init__(self, config: PlatformConfig, secrets: SecretStore) -> None:
        self.config = config
        self._secrets = secrets
        self._local = threading.local()
        self._sessions_lock = threading.Lock()
        self.sessions_opened = 0  # one per thread that called the platform (diagnostics)
        self._token_lock = threading.Lock()
        # Until when calls are not tried (monotonic seconds): see PlatformConfig.quiet_s.
        self._quiet_until = 0.0
        self._token: str | None = None
        self._token_expires_at = 0.0
        # Told the institution's id and name with every new token (the desk keeps them
        # for its printed documents).
        self.on_institution: Callable[[str, Text], None] | None = None

    # -- the contract -----------------------------------------------------------------

    def health(self) -> Health:
        """Check the platform is up and in the desk's mode.

        Raises:
            WrongPlatformError: a training desk on a live platform or the reverse.
        """
        health = read_health(self._call("GET", HEALTH_PATH, authenticated=False))
        if health.mode != self.config.mode:
            raise WrongPlatformError(self.config.mode, health.mode)
        self._quiet_until = 0.0  # it answers again: calls are tried again
        return health

    def items(self, etag: str | None = None) -> ItemList | None:
        """The management list; None when ``etag`` is still current."""
        headers = {"If-None-Match": etag} if etag else {}
        answer, response = self._call_full("GET", "/v1/items", headers=headers)
        if response.status_code == 304:
            return None
        return read_items(answer, response.headers.get("ETag"))

    def decide(self, body: Mapping[str, Any], attempts: int | None = None) -> Decision:
        """Ask for a decision; ``body['request_id']`` makes a retry safe."""
        answer = self._call("POST", "/v1/decisions", json_body=body, attempts=attempts)
        return read_decision(answer, local_id=str(body["request_id"]))

    def open_cases(self, kind: str, number: str) -> list[RemoteCase]:
        """Open cases of one person at this institution (number in the body, not the URL)."""
        body = {"subject": {"kind": kind, "number": number}}
        return read_cases(self._call("POST", "/v1/cases/search", json_body=body))

    def settle(self, body: Mapping[str, Any], attempts: int | None = None) -> dict[str, Any]:
        """Deliver a settlement; idempotent on ``settlement_id``."""
        answer: dict[str, Any] = self._call(
            "POST", "/v1/settlements", json_body=body, attempts=attempts
        )
        field(answer, "settlement_id", str)
        return answer

    def update_settlement(
        self, settlement_id: str, body: Mapping[str, Any], attempts: int | None = None
    ) -> dict[str, Any]:
        """Deliver how a deferred settlement ended; idempotent on ``update_id``."""
        path = f"/v1/settlements/{settlement_id}/updates"
        answer: dict[str, Any] = self._call("POST", path, json_body=body, attempts=attempts)
        field(answer, "update_id", str)
        return answer

    def submit_report(self, body: Mapping[str, Any], attempts: int | None = None) -> dict[str, Any]:
        """Deliver a monthly report; idempotent per month and revision."""
        answer: dict[str, Any] = self._call(
            "POST", "/v1/reports/monthly", json_body=body, attempts=attempts
        )
        field(answer, "report_id", str)
        return answer

    # -- transport --------------------------------------------------------------------

    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.verify = str(self.config.ca_bundle) if self.config.ca_bundle else True
            session.trust_env = False  # no proxy from the environment for the platform
            self._local.session = session
            with self._sessions_lock:
                self.sessions_opened += 1
        return session

    def _credentials(self) -> tuple[str, str]:
        client_id = self._secrets.get(CLIENT_ID)
        client_secret = self._secrets.get(CLIENT_SECRET)
        if not client_id or not client_secret:
            raise CredentialsMissingError()
        if self.config.mode == "live" and client_id.startswith(TRAINING_PREFIX):
            raise TrainingCredentialsInLiveError()
        return client_id, client_secret

    def _bearer(self, refresh: bool) -> str:
        with self._token_lock:
            if not refresh and self._token is None:
                kept = self._secrets.get(TOKEN)
                if kept:
                    token, _, expires = kept.partition(" ")
                    self._token, self._token_expires_at = token, float(expires or 0)
            if refresh or self._token is None or time.time() > self._token_expires_at - 30:
                client_id, client_secret = self._credentials()
                answer = self._call(
                    "POST",
                    "/v1/token",
                    json_body={"client_id": client_id, "client_secret": client_secret},
                    authenticated=False,
                )
                self._token = field(answer, "access_token", str)
                if self.on_institution is not None:
                    name = field(answer, "institution_name", dict)
                    self.on_institution(
                        field(answer, "institution_id", str),
                        Text(str(name.get("zh", "")), str(name.get("en", ""))),
                    )
                self._token_expires_at = time.time() + field(answer, "expires_in", int)
                self._secrets.set(TOKEN, f"{self._token} {self._token_expires_at:.0f}")
            return self._token

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self._call_full(method, path, **kwargs)[0]

    def _call_full(
        self,
        method: str,
        path: str,
        *,
        json_body: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        authenticated: bool = True,
        attempts: int | None = None,
    ) -> tuple[Any, requests.Response]:
        """One call with retries where safe; the parsed JSON and the response.

        Every POST of the contract carries its own idempotency id, so every call here
        is safe to repeat.
        """
        if path != HEALTH_PATH and time.monotonic() < self._quiet_until:
            raise PlatformUnreachableError(
                f"{method} {path}: not tried, the platform did not answer a moment ago"
            )
        tries = max(1, attempts if attempts is not None else self.config.attempts)
        refreshed = False
        pause = self.config.backoff_s
        attempt = 0
        while True:
            attempt += 1
            all_headers = {"X-Counter-Id": self.config.counter_id, **(headers or {})}
            if authenticated:
                all_headers["Authorization"] = f"Bearer {self._bearer(refresh=False)}"
            try:
                response = self._session().request(
                    method,
                    self.config.base_url + path,
                    json=json_body,
                    headers=all_headers,
                    timeout=(self.config.connect_timeout_s, self.config.read_timeout_s),
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as exc:
                # Not transient: a certificate the desk must not trust.
                raise PlatformUnreachableError(
                    f"TLS verification failed: {type(exc).__name__}"
                ) from None
            except requests.exceptions.RequestException as exc:
                if attempt >= tries:
                    if isinstance(exc, requests.exceptions.Timeout):
                        # The slow way to fail (a refused connection fails at once).
                        self._quiet_until = time.monotonic() + self.config.quiet_s
                    raise PlatformUnreachableError(
                        f"{method} {path}: {type(exc).__name__}"
                    ) from None
                time.sleep(pause)
                pause *= 2
                continue
            status = response.status_code
            if status == 401 and authenticated and not refreshed:
                refreshed = True
                self._bearer(refresh=True)
                continue
            if status in _TRANSIENT:
                retry_after = _retry_after(response)
                if attempt < tries and (retry_after or 0) <= MAX_RETRY_AFTER_S:
                    time.sleep(max(pause, retry_after or 0))
                    pause *= 2
                    continue
                raise PlatformUnreachableError(f"{method} {path}: HTTP {status}", retry_after)
            if status == 304:
                return None, response
            if status >= 400:
                raise _refusal(response)
            try:
                return response.json(), response
            except (ValueError, RecursionError):
                # RecursionError: JSON nested deeper than Python's stack (``[[[[...``) is
                # no answer either, and must not escape as a bug.
                raise PlatformBadAnswerError(f"{method} {path}: not JSON") from None


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _refusal(response: requests.Response) -> PlatformRefusedError | PlatformBadAnswerError:
    try:
        problem = response.json()
        message = problem["message"]
        return PlatformRefusedError(
            response.status_code,
            str(problem["code"]),
            str(message["zh"]),
            str(message["en"]),
            list(problem.get("errors") or []),
        )
    except (ValueError, KeyError, TypeError, RecursionError):
        return PlatformBadAnswerError(f"HTTP {response.status_code} without a problem body")
