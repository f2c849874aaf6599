"""Retention: what the desk keeps, and for how long.

- Decisions without a settlement are kept ``decision_retention_days``, and never before
  the end of the month after they were made (the monthly report needs them); after that
  the platform (which has every one of them, or the outbox would still hold it) is the
  record. A decision whose outbox entry is undelivered is never purged.
- A settlement is kept until the platform confirmed it and its outcome is final, then
  ``settlement_retention_days`` more (and, as decisions, through the month after); its
  decision, updates and deposit go with it.
- Delivered outbox entries go with what they delivered, except monthly reports' (a
  report's revisions stay listed). The audit trail is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from desk_app.services.context import SYSTEM, DeskContext, epoch_ms


@dataclass(frozen=True)
class Purged:
    """How many rows a purge removed."""

    decisions: int
    settlements: int


def purge(ctx: DeskContext, decision_days: int, settlement_days: int) -> Purged:
    """Remove what is past its retention; nothing undelivered, nothing open for a settlement."""
    now = ctx.now()
    # Last month's decisions stay until its report can be made (this whole month).
    last_month = (now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
                  - dt.timedelta(days=1)).replace(day=1)  # fmt: skip
    decisions_before = min(epoch_ms(now - dt.timedelta(days=decision_days)), epoch_ms(last_month))
    settlements_before = min(
        epoch_ms(now - dt.timedelta(days=settlement_days)), epoch_ms(last_month)
    )
    undelivered = "SELECT ref FROM outbox WHERE state != 'delivered'"
    with ctx.store.write() as db:
        old_settlements = [
            r[0]
            for r in db.execute(
                "SELECT settlement_id FROM settlements WHERE confirmed_at_ms IS NOT NULL "
                "AND confirmed_at_ms < ? AND final_outcome IS NOT NULL "
                f"AND settlement_id NOT IN ({undelivered}) "
                "AND settlement_id NOT IN (SELECT u.settlement_id FROM settlement_updates u "
                f"  WHERE u.update_id IN ({undelivered}))",
                (settlements_before,),
            )
        ]
        for settlement_id in old_settlements:
            local_id = db.execute(
                "SELECT local_id FROM settlements WHERE settlement_id = ?", (settlement_id,)
            ).fetchone()[0]
            db.execute("DELETE FROM settlement_updates WHERE settlement_id = ?", (settlement_id,))
            db.execute("DELETE FROM settlements WHERE settlement_id = ?", (settlement_id,))
            db.execute("DELETE FROM deposits WHERE local_id = ?", (local_id,))
            db.execute("DELETE FROM decisions WHERE local_id = ?", (local_id,))
        stale = db.execute(
            "DELETE FROM decisions WHERE decided_at_ms < ? "
            "AND local_id NOT IN (SELECT local_id FROM settlements) "
            "AND local_id NOT IN (SELECT local_id FROM deposits) "
            f"AND local_id NOT IN ({undelivered})",
            (decisions_before,),
        ).rowcount
        db.execute(
            "DELETE FROM outbox WHERE state = 'delivered' AND delivered_ms < ? "
            "AND id NOT IN (SELECT depends_on FROM outbox WHERE depends_on IS NOT NULL "
            "AND state != 'delivered') AND id NOT IN (SELECT outbox_id FROM reports)",
            (min(decisions_before, settlements_before),),
        )
        if stale or old_settlements:
            ctx.audit(
                db, SYSTEM, "purge", decisions=stale + len(old_settlements),
                settlements=len(old_settlements),
            )  # fmt: skip
    return Purged(stale + len(old_settlements), len(old_settlements))
