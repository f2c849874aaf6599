"""Offline decision from the cache, with a million cached decisions in the store.

The figure is :meth:`DecisionService.cached`, the lookup ``decide()`` makes when the
platform cannot be reached, against a raw ``sqlite3`` select of the same row (same SQL,
same index, same file, subject key computed beforehand). The whole offline ``decide()`` is
also timed, for information: it cannot be the figure, because before it looks in the cache
it tries the platform twice with a pause between the tries (``PlatformConfig.backoff_s``),
and afterwards it records the decision (a write, a registration in the outbox).

Rows are written as :func:`insert_decision` writes them: the ``json`` column comes from
:func:`decision_json` of real decisions of this run (one per path), the subject key from
the desk's own HMAC, the masked number from the document. Each person has four rows at
the hospital: an expired and a valid online decision of the credit item, and two decided
by the list, so the index holds what a busy counter's would.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from desk_app.app import Desk
from desk_app.bench.report import BenchError, Figure, Latencies, ms, percentile
from desk_app.bench.scratch import (
    CREDIT_ITEM,
    OPERATOR,
    closed_port_url,
    open_bench_desk,
    resident_numbers,
)
from desk_app.domain.model import Decision
from desk_app.identity import PERSON_KINDS, Document, identify
from desk_app.identity.checksums import mod11_2_check
from desk_app.services.context import china_now, epoch_ms
from desk_app.services.decisions import DecisionRequest, decision_json

# The desk's own cache query (DecisionService.cached), for the baseline.
CACHE_SQL = (
    "SELECT json FROM decisions WHERE subject_key = ? AND item_code = ? "
    "AND valid_until_ms > ? AND source = 'online' "
    "ORDER BY decided_at_ms DESC LIMIT 1"
)
ROWS_PER_PERSON = 4
BATCH = 20_000
LIST_ITEMS = ("BZ-CA-01", "BZ-SV-01")
GOAL = "p50 < 1 ms and ratio <= 3"
# Markers replaced per row in a template's JSON (they cannot occur in a real decision).
_LOCAL, _REMOTE, _AT, _UNTIL = "@local@", "@remote@", "@decided@", "@until@"

Progress = Callable[[str], None]


def _template(decision: Decision) -> str:
    """``decision_json`` of ``decision`` with the per-row fields as markers."""
    raw: dict[str, Any] = json.loads(decision_json(decision))
    raw["local_id"], raw["decided_at"], raw["valid_until"] = _LOCAL, _AT, _UNTIL
    if raw["decision_id"] is not None:
        raw["decision_id"] = _REMOTE
    return json.dumps(raw, ensure_ascii=False)


def _person(index: int) -> tuple[str, str]:
    """A synthetic, valid 18-character number (and its masked form) for row ``index``."""
    birth = dt.date(1940, 1, 1) + dt.timedelta(days=index // 999)
    body = f"371602{birth:%Y%m%d}{index % 999 + 1:03d}"
    number = body + mod11_2_check(body)
    return number, number[:4] + "*" * 10 + number[-4:]


def _uuids(count: int) -> Iterator[str]:
    """Random version-4 UUID strings, a few times cheaper than ``str(uuid.uuid4())``."""
    data = os.urandom(16 * count).hex()
    for i in range(0, 32 * count, 32):
        h = data[i : i + 32]
        variant = "89ab"[int(h[16], 16) & 3]
        yield f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant}{h[17:20]}-{h[20:]}"


class _RowMaker:
    """Makes the rows of a range of people, shaped as :func:`insert_decision` writes them."""

    def __init__(self, desk: Desk, templates: dict[str, Decision], now: dt.datetime) -> None:
        self.desk = desk
        self.now = now
        # Per item: the template's text and what every row of it shares.
        self.kinds = {
            code: (
                _template(d),
                d.decision_id is not None,
                int((d.valid_until - d.decided_at).total_seconds() // 3600),
                (d.outcome.value, d.source.value, d.amount_fen, d.waived_fen),
                int(d.emergency),
            )
            for code, d in templates.items()
        }
        # Only a few thousand distinct times: formatting each once saves most of the fill.
        self._times: dict[tuple[int, int], tuple[str, int, int, str]] = {}

    def _at(self, minutes_ago: int, valid_hours: int) -> tuple[str, int, int, str]:
        key = (minutes_ago, valid_hours)
        found = self._times.get(key)
        if found is None:
            at = self.now - dt.timedelta(minutes=minutes_ago)
            until = at + dt.timedelta(hours=valid_hours)
            found = (at.isoformat(), epoch_ms(at), epoch_ms(until), until.isoformat())
            self._times[key] = found
        return found

    def rows(self, persons: range) -> Iterator[tuple[Any, ...]]:
        """The ``ROWS_PER_PERSON`` rows of each person in ``persons``."""
        ids = _uuids(2 * ROWS_PER_PERSON * len(persons))
        counter = self.desk.settings.counter_id
        for index in persons:
            number, masked = _person(index)
            key = self.desk.ctx.subject_key(number)
            plan = (
                (CREDIT_ITEM, 2 * 24 * 60 + index % 5000),  # expired: two days and more ago
                (CREDIT_ITEM, index % 600),  # still valid: within the last ten hours
                (LIST_ITEMS[0], index % 4_000),  # within the last three days
                (LIST_ITEMS[1], index % 4_000),
            )
            for code, minutes_ago in plan:
                text, has_remote, hours, shared, emergency = self.kinds[code]
                at_iso, at_ms, until_ms, until_iso = self._at(minutes_ago, hours)
                local_id = next(ids)
                remote_id = next(ids) if has_remote else None
                text = (
                    text.replace(_LOCAL, local_id)
                    .replace(_REMOTE, remote_id or "")
                    .replace(_AT, at_iso)
                    .replace(_UNTIL, until_iso)
                )
                yield (
                    local_id, remote_id, key, "resident_id", masked, code, *shared,
                    at_iso, at_ms, until_ms, emergency, text, OPERATOR[0], counter, None,
                )  # fmt: skip


def fill(desk: Desk, templates: dict[str, Decision], rows: int, progress: Progress) -> int:
    """Write ``rows`` decisions in one transaction; returns how many people they belong to.

    A connection of its own with a large page cache does the fill, so that the desk's
    connection keeps its ordinary cache for the measurement.
    """
    persons = max(1, rows // ROWS_PER_PERSON)
    maker = _RowMaker(desk, templates, china_now())
    conn = sqlite3.connect(desk.store.path, isolation_level=None, timeout=30)
    try:
        conn.execute("PRAGMA cache_size=-262144")  # 256 MiB, for the fill only
        conn.execute("BEGIN IMMEDIATE")
        for start in range(0, persons, BATCH // ROWS_PER_PERSON):
            block = range(start, min(persons, start + BATCH // ROWS_PER_PERSON))
            conn.executemany(
                "INSERT INTO decisions (local_id, decision_id, subject_key, subject_kind, "
                "subject_masked, item_code, outcome, source, amount_fen, waived_fen, "
                "decided_at, decided_at_ms, valid_until_ms, emergency, json, operator_id, "
                "counter_id, verification) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                maker.rows(block),
            )
            if start and start % 50_000 == 0:
                progress(f"offline_decision: {start * ROWS_PER_PERSON:,} rows written")
        conn.execute("COMMIT")
        # The desk's readers should meet a checkpointed file, as after a day's work.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return persons


def _request(document: Document, item_code: str) -> DecisionRequest:
    return DecisionRequest(
        document=document,
        item_code=item_code,
        operator_id=OPERATOR[0],
        commitment_signed_at=china_now(),
    )


def _plan(conn: sqlite3.Connection, args: tuple[Any, ...]) -> str:
    rows = conn.execute("EXPLAIN QUERY PLAN " + CACHE_SQL, args).fetchall()
    return "; ".join(str(r[-1]) for r in rows)


def offline_decision(
    scratch: Path, platform_url: str, rows: int, lookups: int, decides: int, progress: Progress
) -> Figure:
    """The figure: ``lookups`` cache lookups among ``rows`` cached decisions.

    Args:
        scratch: the run's temporary folder.
        platform_url: the bench's training platform (for the real decisions the rows copy).
        rows: how many decisions to put in the store.
        lookups: how many lookups to time (each also as the raw select).
        decides: how many whole offline ``decide()`` calls to time (information).
        progress: where to say what is going on.
    """
    desk = open_bench_desk(scratch / "offline", platform_url, "BENCH-OFFLINE")
    holder = None
    try:
        first = identify(resident_numbers()[0], kinds=PERSON_KINDS)
        templates = {
            code: desk.decisions.decide(_request(first, code))
            for code in (CREDIT_ITEM, *LIST_ITEMS)
        }
        if templates[CREDIT_ITEM].source.value != "online":
            raise BenchError("the training platform did not decide the template decision")
        progress(f"offline_decision: writing {rows:,} cached decisions")
        started = time.perf_counter()
        persons = fill(desk, templates, rows, progress)
        fill_s = time.perf_counter() - started
        total = desk.store.db().execute("SELECT COUNT(*) FROM decisions").fetchone()[0]

        # The platform is gone: the desk's client now meets a port where nothing listens.
        url, holder = closed_port_url()
        desk.client.config = dataclasses.replace(desk.client.config, base_url=url)

        chooser = random.Random(9)
        people = [_person(chooser.randrange(persons))[0] for _ in range(lookups + 200)]
        keys = [desk.ctx.subject_key(n) for n in people]
        raw = sqlite3.connect(desk.store.path)
        try:
            now_ms = epoch_ms(china_now())
            plan = _plan(raw, (keys[0], CREDIT_ITEM, now_ms))
            ours: list[float] = []
            base: list[float] = []
            for i, (number, key) in enumerate(zip(people, keys, strict=True)):
                # Alternate who goes first: the second reader of a row finds the OS cache warm.
                for which in (0, 1) if i % 2 == 0 else (1, 0):
                    if which == 0:
                        t0 = time.perf_counter()
                        found = desk.decisions.cached(number, CREDIT_ITEM)
                        elapsed = time.perf_counter() - t0
                        if found is None:
                            raise BenchError("a cached decision was not found")
                        if i >= 200:  # the first 200 warm both up
                            ours.append(elapsed)
                    else:
                        t0 = time.perf_counter()
                        row = raw.execute(CACHE_SQL, (key, CREDIT_ITEM, now_ms)).fetchone()
                        elapsed = time.perf_counter() - t0
                        if row is None:
                            raise BenchError("the raw select found no row")
                        if i >= 200:
                            base.append(elapsed)
        finally:
            raw.close()

        whole: list[float] = []
        for _ in range(decides):
            t0 = time.perf_counter()
            decision = desk.decisions.decide(_request(first, CREDIT_ITEM))
            whole.append(time.perf_counter() - t0)
            if decision.source.value != "cache":
                raise BenchError(f"offline decide() gave {decision.source.value}, not cache")
    finally:
        desk.close()
        if holder is not None:
            holder.close()

    latencies = Latencies.of(ours, base)
    rate = latencies.ratio
    values: dict[str, Any] = {
        **latencies.values(),
        "rows": total,
        "lookups": len(ours),
        "measured": "DecisionService.cached(), the cache lookup of an offline decide(); "
        "baseline: the same SELECT on a raw sqlite3 connection with the subject key given",
        "query_plan": plan,
        "fill_s": round(fill_s, 1),
        "decide_offline_p50_ms": ms(percentile(whole, 0.5)) if whole else None,
        "decide_offline_p95_ms": ms(percentile(whole, 0.95)) if whole else None,
        "decide_offline_calls": len(whole),
        "decide_offline_note": "the whole offline decide(): two refused connections with the "
        "client's retry pause between them, the lookup, and recording the decision",
        "goal": GOAL,
        "met": latencies.p50 * 1000 < 1.0 and rate is not None and rate <= 3.0,
    }
    return Figure(
        "offline_decision",
        *latencies.texts(3),
        values,
    )
