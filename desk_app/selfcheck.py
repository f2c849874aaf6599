"""``desk-app self-check``: what a fresh install must be able to do, checked in one go.

The store opens (and migrates), the embedded training platform answers, one decision
makes the round trip, and the translations load. Used by ``installer/build`` on the
built bundle and by IT on a counter PC.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desk_app import __version__
from desk_app.app import open_desk
from desk_app.identity import identify
from desk_app.secrets import MemorySecrets
from desk_app.services.decisions import DecisionRequest


def run_checks(check_translations: Callable[[], bool]) -> tuple[bool, dict[str, Any]]:
    """Run every check in a scratch data folder (the counter's own data is not touched).

    Args:
        check_translations: loads the Chinese translation; True when it did (the Qt part,
            passed in so that this module stays free of Qt).

    Returns:
        ``(all passed, report)``.
    """
    report: dict[str, Any] = {"version": __version__, "checks": {}}
    checks: dict[str, Any] = report["checks"]
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="desk-self-check-") as scratch:
        # Keys in memory: a self-check must not leave entries in the keyring.
        desk = open_desk(Path(scratch), secrets=MemorySecrets())
        try:
            checks["store"] = {"ok": desk.schema_version >= 1, "schema": desk.schema_version}
            health = desk.client.health()
            checks["platform"] = {"ok": health.mode == "training", "mode": health.mode}
            decision = desk.decisions.decide(
                DecisionRequest(
                    document=identify("371602198601115150"),
                    item_code="BZ-CR-01",
                    operator_id="self-check",
                    commitment_signed_at=desk.ctx.now(),
                )
            )
            checks["decision"] = {
                "ok": decision.outcome.value == "waive" and decision.source.value == "online",
                "outcome": decision.outcome.value,
                "source": decision.source.value,
            }
        finally:
            desk.close()
    checks["translations"] = {"ok": check_translations()}
    # Information, not a check: a headless build machine has no keyring at all.
    report["keyring_backend"] = keyring_backend()
    report["seconds"] = round(time.monotonic() - started, 2)
    passed = all(c["ok"] for c in checks.values())
    report["ok"] = passed
    return passed, report


def keyring_backend() -> str:
    """The name of the keyring backend this install would use (for the report)."""
    import keyring

    return type(keyring.get_keyring()).__module__
