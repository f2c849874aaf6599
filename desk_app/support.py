"""Support commands behind ``desk-app``: status, items, decide, sync, audit, training, report.

Each returns ``(exit code, JSON object)``; the command line prints the object.
Exit codes: 0 done, 1 the answer is no (invalid input, refused, chain broken),
3 the environment failed (keyring, disk, database, settings).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from desk_app.app import Desk
from desk_app.domain.model import Decision
from desk_app.domain.money import parse_yuan
from desk_app.errors import DeskError, Fault
from desk_app.identity import PERSON_KINDS, identify
from desk_app.platform.client import training_credentials
from desk_app.platform.errors import PlatformError
from desk_app.secrets import AUDIT_KEY, get_or_create_key
from desk_app.services.alerts import open_alerts
from desk_app.services.decisions import DecisionRequest
from desk_app.services.reports import MonthlyReport, write_csv
from desk_app.store import audit
from desk_app.sync import outbox

EXIT_OK = 0
EXIT_NO = 1
EXIT_ENVIRONMENT = 3
SUPPORT_OPERATOR = "support"


def error_json(error: DeskError) -> tuple[int, dict[str, Any]]:
    """An error as the support commands print it."""
    code = EXIT_ENVIRONMENT if error.fault is Fault.ENVIRONMENT else EXIT_NO
    body: dict[str, Any] = {
        "error": type(error).__name__,
        "fault": error.fault.value,
        "message": error.message_zh,
        "message_en": error.message_en,
    }
    problems = getattr(error, "problems", None)
    if problems:
        body["errors"] = [p.to_dict() for p in problems]
    return code, body


def decision_report(decision: Decision, now: dt.datetime) -> dict[str, Any]:
    """A decision as ``desk-app decide`` prints it."""
    out = dataclasses.asdict(decision)
    out["outcome"] = decision.outcome.value
    out["source"] = decision.source.value
    out["decided_at"] = decision.decided_at.isoformat(timespec="seconds")
    out["valid_until"] = decision.valid_until.isoformat(timespec="seconds")
    out["collect_fen"] = decision.collect_fen
    out["age_seconds"] = int(decision.age(now).total_seconds())
    out["reasons"] = [
        {"code": r.code, "text": {"zh": r.text.zh, "en": r.text.en}} for r in decision.reasons
    ]
    return out


def _reachable(desk: Desk) -> bool:
    """Whether the platform answers its health check now."""
    try:
        desk.client.health()
    except PlatformError:
        return False
    return True


def _alerts(desk: Desk) -> list[dict[str, Any]]:
    """Refused provisional waivers not acknowledged yet: deposits still to collect."""
    return [
        {
            "id": alert.id,
            "subject": alert.subject_masked,
            "collect_fen": alert.amount_fen,
            "message": alert.message_zh,
            "message_en": alert.message_en,
        }
        for alert in open_alerts(desk.ctx)
    ]


def status(desk: Desk) -> tuple[int, dict[str, Any]]:
    """Mode, platform reachability, outbox counts, alerts, last sync, database."""
    reachable = _reachable(desk)
    counts = outbox.counts(desk.ctx)
    with desk.store.read() as db:
        row = db.execute("SELECT value FROM meta WHERE key = 'last_sync_ok'").fetchone()
    return EXIT_OK, {
        "mode": desk.settings.mode,
        "platform_url": desk.platform_url,
        "platform_reachable": reachable,
        "pending": counts["pending"],
        "needs_attention": counts["attention"],
        "alerts": len(open_alerts(desk.ctx)),
        "last_successful_sync": row[0] if row else None,
        "database": str(desk.store.path),
        "schema_version": desk.schema_version,
        "counter_id": desk.settings.counter_id,
        "keyring": "memory" if desk.keyring_ephemeral else "os",
        "items_fetched_at": desk.items.fetched_at(),
        "warnings": desk.warnings,
    }


def items(desk: Desk) -> tuple[int, dict[str, Any]]:
    """The management list this counter sees (fetched if possible, else cached)."""
    fresh = desk.items.refresh()
    listed = [dataclasses.asdict(item) for item in desk.items.all()]
    for item in listed:
        item["path"] = str(item["path"])
        item["offline_mode"] = str(item["offline_mode"])
    return EXIT_OK, {
        "fresh": fresh,
        "fetched_at": desk.items.fetched_at(),
        "items": listed,
    }


def decide(
    desk: Desk, text: str, item_code: str, amount: str | None, emergency: bool
) -> tuple[int, dict[str, Any]]:
    """Identify, decide (online, cached or by the offline policy), and record."""
    document = identify(text, kinds=PERSON_KINDS, today=desk.ctx.now().date())
    request = DecisionRequest(
        document=document,
        item_code=item_code,
        operator_id=SUPPORT_OPERATOR,
        amount_fen=None if amount is None else parse_yuan(amount),
        commitment_signed_at=desk.ctx.now(),
        commitment_channel="paper",
        emergency=emergency,
    )
    decision = desk.decisions.decide(request)
    out = decision_report(decision, desk.ctx.now())
    out["subject"] = {"kind": document.kind.value, "masked": document.masked_number}
    return EXIT_OK, out


def sync(desk: Desk) -> tuple[int, dict[str, Any]]:
    """Deliver the outbox now; what was sent, kept, needs attention, and the alerts.

    The platform is asked first, as the window's sync round does: ``platform_reachable``
    says whether it answered, also when nothing was waiting to be sent.
    """
    sent = 0
    reachable = _reachable(desk)
    if reachable:
        desk.outbox.retry_now()
        while True:
            result = desk.outbox.deliver_due()
            sent += len(result.sent)
            if result.unreachable:
                reachable = False
            if result.unreachable or not (result.sent or result.attention):
                break
    waiting = outbox.entries(desk.ctx)
    return EXIT_OK, {
        "sent": sent,
        "kept": len([e for e in waiting if e.state is outbox.State.PENDING]),
        "needs_attention": [
            {
                "id": e.id,
                "kind": e.kind.value,
                "code": e.error_code,
                "message": e.error_zh,
                "message_en": e.error_en,
            }
            for e in waiting
            if e.state is outbox.State.ATTENTION
        ],
        "alerts": _alerts(desk),
        "platform_reachable": reachable,
    }


def audit_verify(desk: Desk) -> tuple[int, dict[str, Any]]:
    """Check the audit chain: 0 intact, 1 with the first broken entry."""
    verdict = audit.verify(desk.store, get_or_create_key(desk.secrets, AUDIT_KEY))
    body = {
        "intact": verdict.intact,
        "entries": verdict.entries,
        "first_broken": verdict.first_broken,
        "reason": verdict.reason,
    }
    return (EXIT_OK if verdict.intact else EXIT_NO), body


def training_residents(desk: Desk, level: str | None) -> tuple[int, dict[str, Any]]:
    """The training platform's synthetic residents (trainer credential)."""
    client_id, client_secret = training_credentials("training-trainer")
    session = requests.Session()
    timeout = (3.05, 10)
    token = session.post(
        desk.platform_url + "/v1/token",
        json={"client_id": client_id, "client_secret": client_secret},
        timeout=timeout,
    )
    token.raise_for_status()
    answer = session.get(
        desk.platform_url + "/v1/training/residents",
        params={"level": level} if level else None,
        headers={
            "Authorization": f"Bearer {token.json()['access_token']}",
            "X-Counter-Id": desk.settings.counter_id,
        },
        timeout=timeout,
    )
    answer.raise_for_status()
    return EXIT_OK, {"residents": answer.json()}


def report_monthly(
    desk: Desk,
    month: str,
    csv_path: Path | None,
    submit: bool,
    write_pdf: Callable[[MonthlyReport, Path], None] | None = None,
    pdf_path: Path | None = None,
    language: str = "zh_CN",
) -> tuple[int, dict[str, Any]]:
    """``desk-app report monthly``: the figures, the exports, and the submission.

    ``language`` is the CSV's ("en" or Chinese); ``write_pdf`` writes the PDF in its own.

    With ``submit`` the report is queued (the next revision when its figures changed)
    and one delivery round runs; ``submission.state`` says where it stands. A report the
    platform refuses exits 1 with the platform's reason.
    """
    report = desk.reports.monthly(month)
    out: dict[str, Any] = {"report": report.to_dict()}
    written: list[str] = []
    try:
        if csv_path is not None:
            write_csv(report, csv_path, language)
            out["csv"] = str(csv_path)
            written.append(str(csv_path))
        if pdf_path is not None and write_pdf is not None:
            write_pdf(report, pdf_path)
            out["pdf"] = str(pdf_path)
            written.append(str(pdf_path))
    except DeskError as error:
        # Say what was written before the failure: the clerk need not export it again.
        code, body = error_json(error)
        body["written"] = written
        return code, body
    if not submit:
        return EXIT_OK, out
    submission = desk.reports.submit(report, SUPPORT_OPERATOR)
    synced = sync(desk)[1]
    state = dict(desk.reports.submissions(report.month)).get(submission.revision, "pending")
    out["submission"] = {
        "month": submission.month,
        "revision": submission.revision,
        "queued": submission.queued,
        "state": state,
        "platform_reachable": synced["platform_reachable"],
    }
    refused = [e for e in synced["needs_attention"] if e["kind"] == outbox.Kind.REPORT.value]
    if state == outbox.State.ATTENTION.value:
        out["submission"]["problem"] = refused[-1] if refused else None
        return EXIT_NO, out
    return EXIT_OK, out
