"""The platform client's transport: TLS, Retry-After, tokens in the keyring."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desk_app.platform.client import PlatformClient, PlatformConfig, training_credentials
from desk_app.platform.errors import PlatformUnreachableError, WrongPlatformError
from desk_app.secrets import CLIENT_ID, CLIENT_SECRET, TOKEN, MemorySecrets
from desk_app.training_platform.server import EmbeddedPlatform
from tests.conftest import ROOT
from tests.support.tls import make_city_pki


def hospital_secrets() -> MemorySecrets:
    secrets = MemorySecrets()
    client_id, client_secret = training_credentials("training-hospital")
    secrets.set(CLIENT_ID, client_id)
    secrets.set(CLIENT_SECRET, client_secret)
    return secrets


_HTTPS_SERVER = """
import sys
from pathlib import Path
from desk_app.training_platform.server import EmbeddedPlatform
folder, cert, key = (Path(a) for a in sys.argv[1:4])
platform = EmbeddedPlatform(folder, tls=(cert, key)).start()
print(platform.url, flush=True)
sys.stdin.read()
"""


def test_tls_is_verified_and_a_city_ca_bundle_can_be_configured(tmp_path: Path) -> None:
    ca, cert, key = make_city_pki(tmp_path)
    # In its own process: uvicorn leaves a refused handshake's transport to the garbage
    # collector, a leak of the test server that must not be blamed on the desk.
    server = subprocess.Popen(
        [sys.executable, "-c", _HTTPS_SERVER, str(tmp_path / "p"), str(cert), str(key)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().strip()
        assert url.startswith("https://127.0.0.1:")
        untrusted = PlatformClient(PlatformConfig(url, "C-1", attempts=1), hospital_secrets())
        with pytest.raises(PlatformUnreachableError) as caught:
            untrusted.health()
        assert "TLS" in caught.value.detail
        trusted = PlatformClient(PlatformConfig(url, "C-1", ca_bundle=ca), hospital_secrets())
        assert trusted.health().mode == "training"
        assert trusted.items() is not None
    finally:
        server.communicate(input="", timeout=30)


def test_the_token_lives_in_the_keyring_and_is_reused(platform: EmbeddedPlatform) -> None:
    secrets = hospital_secrets()
    client = PlatformClient(PlatformConfig(platform.url, "C-1"), secrets)
    client.items()
    kept = secrets.get(TOKEN)
    assert kept is not None
    second = PlatformClient(PlatformConfig(platform.url, "C-1"), secrets)
    second.items()
    assert secrets.get(TOKEN) == kept  # no new token was needed


def test_an_expired_token_is_replaced_without_the_caller_noticing(
    platform: EmbeddedPlatform,
) -> None:
    secrets = hospital_secrets()
    client = PlatformClient(PlatformConfig(platform.url, "C-1"), secrets)
    platform.knobs.token_ttl_seconds = 0
    client._bearer(refresh=True)  # a token that is already expired on the platform's side
    platform.knobs.token_ttl_seconds = 900
    client._token_expires_at = time.time() + 3600  # the desk believes it is still good
    assert client.items() is not None


def test_retry_after_is_respected_then_the_call_succeeds(platform: EmbeddedPlatform) -> None:
    platform.knobs.rate_limit_per_second = 1.0
    platform.knobs.rate_limit_burst = 1
    client = PlatformClient(
        PlatformConfig(platform.url, "C-1", attempts=3, backoff_s=0.01), hospital_secrets()
    )
    client.items()
    started = time.monotonic()
    assert client.items() is not None  # 429 first, then a retry after Retry-After
    assert time.monotonic() - started >= 0.9


def test_a_long_retry_after_means_offline_now(platform: EmbeddedPlatform) -> None:
    platform.knobs.outage = True  # answers 503 with Retry-After: 30
    client = PlatformClient(PlatformConfig(platform.url, "C-1", attempts=3), hospital_secrets())
    started = time.monotonic()
    with pytest.raises(PlatformUnreachableError) as caught:
        client.items()
    assert caught.value.retry_after_s == 30
    assert time.monotonic() - started < 2


def test_a_live_desk_refuses_a_training_platform(platform: EmbeddedPlatform) -> None:
    live = PlatformClient(PlatformConfig(platform.url, "C-1", mode="live"), hospital_secrets())
    with pytest.raises(WrongPlatformError):
        live.health()


def test_a_live_desk_never_sends_training_credentials(platform: EmbeddedPlatform) -> None:
    from desk_app.platform.client import TrainingCredentialsInLiveError

    live = PlatformClient(PlatformConfig(platform.url, "C-1", mode="live"), hospital_secrets())
    with pytest.raises(TrainingCredentialsInLiveError):
        live.items()
