"""Alerts a clerk must act on: a provisional waiver the platform refused afterwards.

Raised by the outbox when the platform's verification refuses (services/decisions.py),
kept until a clerk acknowledges having collected the deposit.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk_app.services.context import DeskContext, epoch_ms


@dataclass(frozen=True)
class Alert:
    """An alert a clerk must act on."""

    id: str
    subject_masked: str
    message_zh: str
    message_en: str
    amount_fen: int


def open_alerts(ctx: DeskContext) -> list[Alert]:
    """Alerts not yet acknowledged, oldest first."""
    with ctx.store.read() as db:
        rows = db.execute(
            "SELECT id, subject_masked, message_zh, message_en, amount_fen FROM alerts "
            "WHERE acknowledged_ms IS NULL ORDER BY created_ms"
        ).fetchall()
    return [Alert(*row) for row in rows]


def acknowledge(ctx: DeskContext, alert_id: str, operator_id: str) -> None:
    """A clerk confirms they acted on an alert (collected the deposit)."""
    with ctx.store.write() as db:
        db.execute(
            "UPDATE alerts SET acknowledged_ms = ?, acknowledged_by = ? WHERE id = ?",
            (epoch_ms(ctx.now()), operator_id, alert_id),
        )
        ctx.audit(db, operator_id, "alert_acknowledged", alert=alert_id)
