"""What the platform does, behind its HTTP surface: decide, settle, report, keep archives.

Plain Python over :class:`~desk_app.training_platform.db.PlatformDb`; the HTTP layer
(``api.py``) validates shapes and authenticates, this module applies the rules and
raises :class:`~desk_app.training_platform.problems.ApiProblem` for refusals.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import sqlite3
import threading
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from desk_app.identity import (
    Document,
    DocumentKind,
    InvalidDocumentError,
    identify,
    mask_number,
)
from desk_app.training_platform import credit
from desk_app.training_platform.credit import Level, SettlementOutcome, level_of
from desk_app.training_platform.db import PlatformDb
from desk_app.training_platform.institutions import BY_CLIENT_ID, Institution
from desk_app.training_platform.items import ITEMS_BY_CODE, Item, ItemPath
from desk_app.training_platform.models import Knobs
from desk_app.training_platform.problems import ApiProblem, not_found, unprocessable
from desk_app.training_platform.residents import generate

CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "Asia/Shanghai")
# A signed commitment may come from a clock a little ahead of ours.
COMMITMENT_CLOCK_SKEW = dt.timedelta(minutes=5)
# Around midnight a desk's date may be a day ahead of ours (clocks minutes apart).
SETTLED_ON_SKEW = dt.timedelta(days=1)


@dataclass
class Clock:
    """The platform's clock: real time moved by the ``clock_offset_seconds`` knob."""

    knobs: Knobs

    def now(self) -> dt.datetime:
        """The current time in China time (UTC+8), with the offset applied."""
        real = dt.datetime.now(CHINA_TIME)
        return real + dt.timedelta(seconds=self.knobs.clock_offset_seconds)

    def today(self) -> dt.date:
        """Today's date in China."""
        return self.now().date()


def body_hash(body: dict[str, Any]) -> str:
    """A stable hash of a request body, to tell a replay from a different request."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _reason(code: str, zh: str, en: str) -> dict[str, Any]:
    return {"code": code, "text": {"zh": zh, "en": en}}


@dataclass
class RateLimiter:
    """A token bucket per (institution, counter)."""

    knobs: Knobs
    _buckets: dict[tuple[str, str], tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def check(self, institution_id: str, counter_id: str) -> None:
        """Take one token, or raise 429 with the seconds until the next one."""
        rate = self.knobs.rate_limit_per_second
        if rate <= 0:
            return
        burst = float(max(1, self.knobs.rate_limit_burst))
        key = (institution_id, counter_id)
        with self._lock:
            now = time.monotonic()
            tokens, last = self._buckets.get(key, (burst, now))
            tokens = min(burst, tokens + (now - last) * rate)
            if tokens < 1:
                wait = max(1, int((1 - tokens) / rate + 0.999))
                self._buckets[key] = (tokens, now)
                raise ApiProblem(
                    429,
                    "rate_limited",
                    f"本柜台请求过于频繁，请 {wait} 秒后再试。",
                    f"Too many requests from this counter; retry in {wait} s.",
                    headers={"Retry-After": str(wait)},
                )
            self._buckets[key] = (tokens - 1, now)


class PlatformService:
    """The platform's rules over its database.

    Args:
        db: the state.
        knobs: the training knobs (shared with the HTTP layer).
    """

    def __init__(self, db: PlatformDb, knobs: Knobs) -> None:
        self.db = db
        self.knobs = knobs
        self.clock = Clock(knobs)
        self.rate_limiter = RateLimiter(knobs)
        self._seed_unpaid_settlements()

    # -- authentication ---------------------------------------------------------------

    def issue_token(self, client_id: str, client_secret: str) -> dict[str, Any]:
        """Exchange client credentials for a short-lived bearer token.

        Raises:
            ApiProblem: 401 for unknown or wrong credentials.
        """
        institution = BY_CLIENT_ID.get(client_id)
        if institution is None or not _same(institution.client_secret, client_secret):
            raise ApiProblem(
                401,
                "invalid_client",
                "机构凭据不正确。",
                "The institution's client credentials are wrong.",
            )
        token = uuid.uuid4().hex + uuid.uuid4().hex
        ttl = self.knobs.token_ttl_seconds
        with self.db.write() as conn:
            conn.execute("DELETE FROM tokens WHERE expires_at < ?", (time.time() - 3600,))
            conn.execute(
                "INSERT INTO tokens VALUES (?, ?, ?)",
                (_token_hash(token), client_id, time.time() + ttl),
            )
        return {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": ttl,
            "institution_id": institution.institution_id,
            "institution_name": {"zh": institution.name_zh, "en": institution.name_en},
        }

    def authenticate(self, token: str) -> Institution:
        """The institution a bearer token names.

        Raises:
            ApiProblem: 401 when the token is unknown or expired.
        """
        row = self.db.read_one(
            "SELECT client_id, expires_at FROM tokens WHERE token_hash = ?", (_token_hash(token),)
        )
        if row is None:
            raise ApiProblem(
                401,
                "invalid_token",
                "登录凭证无效，请重新登录。",
                "The access token is not valid.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        if row["expires_at"] <= time.time():
            raise ApiProblem(
                401,
                "token_expired",
                "登录凭证已过期，请重新获取。",
                "The access token has expired.",
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return BY_CLIENT_ID[row["client_id"]]

    # -- the management list ----------------------------------------------------------

    def items_for(self, institution: Institution) -> list[Item]:
        """The items the institution's kind of body collects (all items for the trainer)."""
        return [
            item
            for item in ITEMS_BY_CODE.values()
            if item.collecting_body_type in institution.body_types
        ]

    # -- decisions --------------------------------------------------------------------

    def decide(self, institution: Institution, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Make (or replay) a credit decision.

        Args:
            institution: the caller.
            body: the validated request body (see ``DecisionRequest``).

        Returns:
            ``(answer, created)``; ``created`` is False for an idempotent replay.

        Raises:
            ApiProblem: 403 item not served, 409 idempotency conflict, 422 bad subject.
        """
        item = self._item_for(institution, body["item_code"])
        kind = DocumentKind(body["subject"]["kind"])
        subject = self._subject(kind, body["subject"]["number"])
        number = subject.subject_id
        emergency = bool(body.get("emergency"))
        if emergency and not item.emergency_path:
            raise unprocessable(
                "emergency",
                "emergency_not_available",
                "该事项没有急诊通道。",
                "This item has no emergency path.",
            )
        if item.path is ItemPath.CREDIT and not emergency and body.get("commitment") is None:
            raise unprocessable(
                "commitment",
                "commitment_required",
                "信用替代事项需要客户签署信用承诺书。",
                "A credit item needs the customer's signed credit commitment.",
            )
        now = self.clock.now()
        commitment = body.get("commitment")
        if commitment is not None and commitment["signed_at"] > now + COMMITMENT_CLOCK_SKEW:
            raise unprocessable(
                "commitment.signed_at",
                "commitment_in_future",
                "承诺书签署时间晚于当前时间。",
                "The commitment is signed in the future.",
            )
        request_id = None if body.get("request_id") is None else str(body["request_id"])
        fingerprint = body_hash({**body, "subject": {"kind": kind.value, "number": number}})
        subject_key = self.db.subject_key(number)
        with self.db.write() as conn:
            if request_id is not None:
                row = conn.execute(
                    "SELECT request_hash, answer_json FROM decisions "
                    "WHERE institution_id = ? AND request_id = ?",
                    (institution.institution_id, request_id),
                ).fetchone()
                if row is not None:
                    if row["request_hash"] != fingerprint:
                        raise _idempotency_conflict("request_id")
                    return json.loads(row["answer_json"]), False
            answer = self._decision(
                conn, item, kind, subject.masked_number, subject_key, body, now, emergency
            )
            conn.execute(
                "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    answer["decision_id"],
                    institution.institution_id,
                    request_id,
                    fingerprint,
                    item.code,
                    subject_key,
                    kind.value,
                    answer["subject"]["masked"],
                    json.dumps(answer, ensure_ascii=False),
                    answer["outcome"],
                    body["amount_fen"],
                    answer["waived_fen"],
                    body["counter_id"],
                    body["operator_id"],
                    answer["decided_at"],
                ),
            )
        return answer, True

    def _decision(
        self,
        conn: sqlite3.Connection,
        item: Item,
        kind: DocumentKind,
        masked: str,
        subject_key: str,
        body: dict[str, Any],
        now: dt.datetime,
        emergency: bool,
    ) -> dict[str, Any]:
        amount = body["amount_fen"]
        score: int | None = None
        level: Level | None = None
        reasons: list[dict[str, Any]] = []
        if item.path is ItemPath.CANCELLED:
            outcome = "not_required"
            reasons.append(
                _reason(
                    "item_cancelled",
                    "该押金已直接取消，无需查询信用，只登记服务。",
                    "This deposit is cancelled: no credit check, the service is recorded.",
                )
            )
        elif item.path is ItemPath.LEGALLY_CLEARED:
            outcome = "not_required"
            reasons.append(
                _reason(
                    "item_legally_cleared",
                    "该押金已依法清理，不得收取。",
                    "This deposit was cleared by law and may not be collected.",
                )
            )
        elif item.path is ItemPath.SUPERVISED:
            outcome = "collect"
            reasons.append(
                _reason(
                    "supervised_item",
                    "该事项仍收取押金（加强监管），请登记收取金额、方式，归还后退还。",
                    "This deposit is still collected under supervision: record amount and "
                    "method, refund on return.",
                )
            )
        else:
            outcome, score, level = self._credit_outcome(
                conn, item, subject_key, now, emergency, reasons
            )
        waived = amount if outcome in ("waive", "not_required") else 0
        threshold = item.min_score if item.path is ItemPath.CREDIT else None
        valid_until = now + dt.timedelta(hours=item.decision_valid_hours)
        return {
            "decision_id": str(uuid.uuid4()),
            "item_code": item.code,
            "subject": {"kind": kind.value, "masked": masked},
            "outcome": outcome,
            "score": score,
            "level": None if level is None else level.value,
            "threshold": threshold,
            "min_level": None if threshold is None else credit.min_level_for(threshold).value,
            "amount_fen": amount,
            "waived_fen": waived,
            "collect_fen": amount - waived,
            "emergency": emergency,
            "decided_at": _iso(now),
            "valid_until": _iso(valid_until),
            "reasons": reasons,
        }

    def _credit_outcome(
        self,
        conn: sqlite3.Connection,
        item: Item,
        subject_key: str,
        now: dt.datetime,
        emergency: bool,
        reasons: list[dict[str, Any]],
    ) -> tuple[str, int | None, Level | None]:
        assert item.min_score is not None
        threshold = item.min_score
        row = conn.execute(
            "SELECT score FROM residents WHERE subject_key = ?", (subject_key,)
        ).fetchone()
        score = None if row is None else int(row["score"])
        level = None if score is None else level_of(score)
        overdue = conn.execute(
            "SELECT COUNT(*) AS n FROM settlements s JOIN decisions d USING (decision_id) "
            "WHERE d.subject_key = ? AND s.status = 'deferred' AND s.final_outcome IS NULL "
            "AND s.due_date < ?",
            (subject_key, now.date().isoformat()),
        ).fetchone()["n"]
        if emergency:
            reasons.append(
                _reason(
                    "emergency",
                    "急诊入院：先救治，信用手续事后补办。",
                    "Emergency admission: treat now, credit formalities afterwards.",
                )
            )
            return "waive", score, level
        if score is None:
            reasons.append(
                _reason(
                    "no_archive",
                    "平台没有此人的信用档案，请按原规定收取押金。",
                    "The platform has no credit archive for this person: collect the deposit.",
                )
            )
            return "collect", None, None
        if overdue:
            reasons.append(
                _reason(
                    "overdue_settlement",
                    f"此人有 {overdue} 笔逾期未结清的费用，结清前需交押金。",
                    f"This person has {overdue} overdue unpaid settlement(s): collect the "
                    "deposit until they are paid.",
                )
            )
            return "collect", score, level
        if score >= threshold:
            reasons.append(
                _reason(
                    "score_meets_threshold",
                    f"信用分 {score}（{level}级）达到本事项门槛 {threshold} 分，免交押金。",
                    f"Credit score {score} (level {level}) meets this item's threshold of "
                    f"{threshold}: deposit waived.",
                )
            )
            return "waive", score, level
        reasons.append(
            _reason(
                "score_below_threshold",
                f"信用分 {score}（{level}级）低于本事项门槛 {threshold} 分，需按规定交押金。"
                "按时结清费用可提升信用分。",
                f"Credit score {score} (level {level}) is below this item's threshold of "
                f"{threshold}: the deposit is collected. Paying on time raises the score.",
            )
        )
        return "collect", score, level

    # -- cases ------------------------------------------------------------------------

    def open_cases(self, institution: Institution, kind: str | None, number: str) -> dict[str, Any]:
        """The institution's decisions for one person not yet settled, or deferred and unpaid."""
        subject_kind = DocumentKind(kind) if kind else None
        normalised = self._subject(subject_kind, number, field="subject").subject_id
        rows = self.db.read_all(
            "SELECT d.answer_json, d.counter_id, s.answer_json AS settlement_json, "
            "s.final_outcome FROM decisions d LEFT JOIN settlements s USING (decision_id) "
            "WHERE d.institution_id = ? AND d.subject_key = ? "
            "AND (s.settlement_id IS NULL OR (s.status = 'deferred' AND s.final_outcome IS NULL)) "
            "ORDER BY d.created_at",
            (institution.institution_id, self.db.subject_key(normalised)),
        )
        cases = []
        for row in rows:
            decision = json.loads(row["answer_json"])
            settlement = json.loads(row["settlement_json"]) if row["settlement_json"] else None
            cases.append(
                {
                    "decision": decision,
                    "counter_id": row["counter_id"],
                    "state": "open" if settlement is None else "deferred",
                    "settlement": settlement,
                }
            )
        return {"cases": cases}

    # -- settlements ------------------------------------------------------------------

    def settle(self, institution: Institution, body: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Record (or replay) the settlement of a case.

        Returns:
            ``(answer, created)``.

        Raises:
            ApiProblem: 404 unknown decision, 409 conflicts, 422 amounts or dates.
        """
        settlement_id = str(body["settlement_id"])
        fingerprint = body_hash(body)
        with self.db.write() as conn:
            existing = conn.execute(
                "SELECT institution_id, body_hash, answer_json FROM settlements "
                "WHERE settlement_id = ?",
                (settlement_id,),
            ).fetchone()
            if existing is not None:
                if (
                    existing["institution_id"] != institution.institution_id
                    or existing["body_hash"] != fingerprint
                ):
                    raise _idempotency_conflict("settlement_id")
                return json.loads(existing["answer_json"]), False
            decision = conn.execute(
                "SELECT * FROM decisions WHERE decision_id = ? AND institution_id = ?",
                (str(body["decision_id"]), institution.institution_id),
            ).fetchone()
            if decision is None:
                raise not_found("决定", "The decision")
            taken = conn.execute(
                "SELECT settlement_id FROM settlements WHERE decision_id = ?",
                (decision["decision_id"],),
            ).fetchone()
            if taken is not None:
                raise ApiProblem(
                    409,
                    "already_settled",
                    "该案件已经结算过，不能重复结算。",
                    "This case is already settled.",
                )
            item = ITEMS_BY_CODE[decision["item_code"]]
            decided_on = dt.datetime.fromisoformat(decision["created_at"]).date()
            self._check_amounts(body, item, decided_on)
            now = self.clock.now()
            change = None
            if body["status"] == "settled" and _moves_credit(decision["outcome"], body):
                change = self._move_credit(
                    conn, decision["subject_key"], SettlementOutcome.PAID, settlement_id, now
                )
            answer = {
                **_settlement_fields(body),
                "item_code": item.code,
                "recorded_at": _iso(now),
                "credit": change,
            }
            conn.execute(
                "INSERT INTO settlements VALUES (?,?,?,?,?,?,?,?,?)",
                (
                    settlement_id,
                    decision["decision_id"],
                    institution.institution_id,
                    fingerprint,
                    json.dumps(answer, ensure_ascii=False),
                    body["status"],
                    None if body.get("due_date") is None else body["due_date"].isoformat(),
                    "paid" if body["status"] == "settled" else None,
                    _iso(now),
                ),
            )
        return answer, True

    def _check_amounts(self, body: dict[str, Any], item: Item, decided_on: dt.date) -> None:
        total, insurance = body["total_fen"], body["insurance_fen"]
        self_pay, paid = body["self_pay_fen"], body["paid_fen"]
        if insurance + self_pay != total:
            raise unprocessable(
                "total_fen",
                "amounts_do_not_add_up",
                "医保支付与自付之和不等于总额。",
                "Insurance share plus self-pay does not equal the total.",
            )
        if paid > self_pay:
            raise unprocessable(
                "paid_fen",
                "paid_more_than_self_pay",
                "实付金额大于自付金额。",
                "The amount paid is more than the self-pay share.",
            )
        if body["status"] == "settled":
            if paid != self_pay:
                raise unprocessable(
                    "status",
                    "balance_left",
                    "还有未付金额：请选择“到期再付”并填写到期日。",
                    "An amount is still unpaid: record it as deferred with a due date.",
                )
            if body.get("due_date") is not None:
                raise unprocessable(
                    "due_date",
                    "due_date_not_allowed",
                    "当场结清的结算没有到期日。",
                    "A settlement paid in full has no due date.",
                )
            return
        due = body.get("due_date")
        if due is None:
            raise unprocessable(
                "due_date",
                "due_date_required",
                "到期再付需要到期日。",
                "Deferred needs a due date.",
            )
        if paid >= self_pay:
            raise unprocessable(
                "status",
                "nothing_deferred",
                "已全部付清，请记为当场结清。",
                "Everything is paid: record it as settled.",
            )
        if item.repayment_days <= 0:
            raise unprocessable(
                "status",
                "deferral_not_available",
                "该事项不能到期再付，请当场结清。",
                "This item cannot be paid later: settle it now.",
            )
        # Judged on the day the clerk recorded it (a desk delivers what it recorded
        # offline days later), else today.
        today = self.clock.today()
        recorded = body.get("settled_on") or today
        if recorded > today + SETTLED_ON_SKEW:
            raise unprocessable(
                "settled_on",
                "settled_on_in_future",
                "结算日期晚于今天。",
                "The settlement is dated in the future.",
            )
        last = decided_on + dt.timedelta(days=item.repayment_days)
        if due < recorded or due > max(last, recorded):
            raise unprocessable(
                "due_date",
                "due_date_outside_window",
                f"到期日须在结算当天到 {max(last, recorded).isoformat()} 之间（还款期 "
                f"{item.repayment_days} 天）。",
                f"The due date must be between the settlement's day and "
                f"{max(last, recorded).isoformat()} (repayment window {item.repayment_days} days).",
            )

    def update_settlement(
        self, institution: Institution, settlement_id: str, body: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        """Record how a deferred settlement ended: paid, paid late or defaulted.

        Returns:
            ``(answer, created)``.

        Raises:
            ApiProblem: 404 unknown settlement, 409 conflicts or already final.
        """
        update_id = str(body["update_id"])
        fingerprint = body_hash({**body, "settlement_id": settlement_id})
        with self.db.write() as conn:
            existing = conn.execute(
                "SELECT u.body_hash, u.answer_json, s.institution_id FROM settlement_updates u "
                "JOIN settlements s USING (settlement_id) WHERE u.update_id = ?",
                (update_id,),
            ).fetchone()
            if existing is not None:
                if (
                    existing["body_hash"] != fingerprint
                    or existing["institution_id"] != institution.institution_id
                ):
                    raise _idempotency_conflict("update_id")
                return json.loads(existing["answer_json"]), False
            settlement = conn.execute(
                "SELECT s.*, d.subject_key, d.outcome AS decision_outcome "
                "FROM settlements s JOIN decisions d "
                "USING (decision_id) WHERE s.settlement_id = ? AND s.institution_id = ?",
                (settlement_id, institution.institution_id),
            ).fetchone()
            if settlement is None:
                raise not_found("结算", "The settlement")
            if settlement["status"] != "deferred" or settlement["final_outcome"] is not None:
                raise ApiProblem(
                    409,
                    "already_final",
                    "该结算已有最终结果，不能再更改。",
                    "This settlement already has its final outcome.",
                )
            outcome = SettlementOutcome(body["outcome"])
            owed_body = json.loads(settlement["answer_json"])
            self._check_update(body, outcome, owed_body)
            now = self.clock.now()
            change = None
            if _moves_credit(settlement["decision_outcome"], owed_body):
                change = self._move_credit(
                    conn, settlement["subject_key"], outcome, settlement_id, now
                )
            answer = {
                "update_id": update_id,
                "settlement_id": settlement_id,
                "outcome": outcome.value,
                "paid_fen": body["paid_fen"],
                "paid_on": None if body.get("paid_on") is None else body["paid_on"].isoformat(),
                "counter_id": body["counter_id"],
                "operator_id": body["operator_id"],
                "recorded_at": _iso(now),
                "credit": change,
            }
            conn.execute(
                "INSERT INTO settlement_updates VALUES (?,?,?,?,?)",
                (update_id, settlement_id, fingerprint, json.dumps(answer), _iso(now)),
            )
            conn.execute(
                "UPDATE settlements SET final_outcome = ? WHERE settlement_id = ?",
                (outcome.value, settlement_id),
            )
        return answer, True

    def _check_update(
        self, body: dict[str, Any], outcome: SettlementOutcome, settlement: dict[str, Any]
    ) -> None:
        owed = settlement["self_pay_fen"] - settlement["paid_fen"]
        paid = body["paid_fen"]
        if paid > owed:
            raise unprocessable(
                "paid_fen",
                "paid_more_than_owed",
                f"实付金额大于欠款（欠款 {owed} 分）。",
                f"The amount paid is more than what was owed ({owed} fen).",
            )
        if outcome is SettlementOutcome.DEFAULTED and paid >= owed:
            raise unprocessable(
                "outcome",
                "nothing_defaulted",
                "欠款已全部还清，不是违约。",
                "Everything owed was paid: this is no default.",
            )
        if outcome is not SettlementOutcome.DEFAULTED and paid != owed:
            raise unprocessable(
                "paid_fen",
                "not_paid_in_full",
                "还款金额须等于欠款；未还清请登记为违约。",
                "A payment must clear what was owed; otherwise record a default.",
            )
        paid_on = body.get("paid_on")
        due = dt.date.fromisoformat(settlement["due_date"])
        if outcome is not SettlementOutcome.DEFAULTED and paid_on is None:
            raise unprocessable(
                "paid_on",
                "paid_on_required",
                "请填写还款日期。",
                "A payment needs the date it was paid.",
            )
        if outcome is SettlementOutcome.PAID_LATE and paid_on is not None and paid_on <= due:
            raise unprocessable(
                "outcome",
                "paid_on_time",
                "还款日期未超过到期日，应登记为按时还款。",
                "Paid by the due date: record it as paid.",
            )
        if outcome is SettlementOutcome.PAID and paid_on is not None and paid_on > due:
            raise unprocessable(
                "outcome",
                "paid_after_due_date",
                "还款日期晚于到期日，应登记为逾期还款。",
                "Paid after the due date: record it as paid late.",
            )
        if paid_on is not None and paid_on > self.clock.today():
            raise unprocessable(
                "paid_on",
                "paid_on_in_future",
                "还款日期晚于今天。",
                "The payment date is after today.",
            )

    def _move_credit(
        self,
        conn: sqlite3.Connection,
        subject_key: str,
        outcome: SettlementOutcome,
        reference: str,
        now: dt.datetime,
    ) -> dict[str, Any] | None:
        row = conn.execute(
            "SELECT score FROM residents WHERE subject_key = ?", (subject_key,)
        ).fetchone()
        if row is None:
            return None
        before = int(row["score"])
        after = credit.apply(before, outcome)
        conn.execute("UPDATE residents SET score = ? WHERE subject_key = ?", (after, subject_key))
        conn.execute(
            "INSERT INTO score_history (subject_key, at, delta, score_after, reason, reference) "
            "VALUES (?,?,?,?,?,?)",
            (subject_key, _iso(now), after - before, after, outcome.value, reference),
        )
        return {
            "score_before": before,
            "score_after": after,
            "level_before": level_of(before).value,
            "level_after": level_of(after).value,
        }

    # -- reports ----------------------------------------------------------------------

    def submit_report(
        self, institution: Institution, body: dict[str, Any]
    ) -> tuple[dict[str, Any], bool]:
        """Take a monthly report, idempotent per institution, month and revision.

        Raises:
            ApiProblem: 409 when the same revision arrives with other figures, 422 for a
                month not yet over.
        """
        month = body["month"]
        if month >= self.clock.today().strftime("%Y-%m"):
            raise unprocessable(
                "month",
                "month_not_over",
                "只能报告已经结束的月份。",
                "Only a month that is over can be reported.",
            )
        served = {item.code for item in self.items_for(institution)}
        unknown = sorted({i["item_code"] for i in body["items"]} - served)
        if unknown:
            raise unprocessable(
                "items",
                "unknown_item",
                f"本机构不经办事项 {', '.join(unknown)}。",
                f"This institution does not handle item {', '.join(unknown)}.",
            )
        revision = body.get("revision", 1)
        # The figures are the institution's, whichever counter sends them.
        fingerprint = body_hash({k: v for k, v in body.items() if k not in _WHO})
        with self.db.write() as conn:
            row = conn.execute(
                "SELECT body_hash, answer_json FROM reports "
                "WHERE institution_id = ? AND month = ? AND revision = ?",
                (institution.institution_id, month, revision),
            ).fetchone()
            if row is not None:
                if row["body_hash"] != fingerprint:
                    raise ApiProblem(
                        409,
                        "report_conflict",
                        "该月份此版本的报告已提交且内容不同；更正请提高版本号。",
                        "This month's report revision was already submitted with other "
                        "figures; send a higher revision to correct it.",
                    )
                return json.loads(row["answer_json"]), False
            now = self.clock.now()
            answer = {
                "report_id": f"{institution.institution_id}:{month}:r{revision}",
                "institution_id": institution.institution_id,
                "month": month,
                "revision": revision,
                "received_at": _iso(now),
                "items": len(body["items"]),
            }
            conn.execute(
                "INSERT INTO reports VALUES (?,?,?,?,?,?)",
                (institution.institution_id, month, revision, fingerprint, json.dumps(answer),
                 _iso(now)),
            )  # fmt: skip
        return answer, True

    # -- training ---------------------------------------------------------------------

    def archive(self, number: str) -> dict[str, Any]:
        """A resident's score, level and the history that moved it (trainer only).

        Raises:
            ApiProblem: 404 when the platform has no archive for the number.
        """
        normalised = self._subject(None, number, field="number").subject_id
        key = self.db.subject_key(normalised)
        row = self.db.read_one("SELECT * FROM residents WHERE subject_key = ?", (key,))
        if row is None:
            raise not_found("信用档案", "The credit archive")
        history = self.db.read_all(
            "SELECT at, delta, score_after, reason, reference FROM score_history "
            "WHERE subject_key = ? ORDER BY id",
            (key,),
        )
        return {
            "subject": {"kind": row["kind"], "masked": row["masked"]},
            "name": row["name"],
            "score": row["score"],
            "level": level_of(row["score"]).value,
            "history": [dict(h) for h in history],
        }

    def residents(self, level: str | None = None) -> list[dict[str, Any]]:
        # open_cases counts every institution's: the cheat sheet is city-wide.
        """The synthetic residents with their current score, level and open cases."""
        rows = self.db.read_all(
            "SELECT r.kind, r.number, r.name, r.score, r.note, "
            "(SELECT COUNT(*) FROM decisions d LEFT JOIN settlements s USING (decision_id) "
            " WHERE d.subject_key = r.subject_key AND (s.settlement_id IS NULL OR "
            " (s.status = 'deferred' AND s.final_outcome IS NULL))) AS open_cases "
            "FROM residents r WHERE r.number IS NOT NULL ORDER BY r.rowid"
        )
        out = []
        for row in rows:
            resident_level = level_of(row["score"]).value
            if level is not None and resident_level != level:
                continue
            out.append(
                {
                    "number": row["number"],
                    "kind": row["kind"],
                    "name": row["name"],
                    "score": row["score"],
                    "level": resident_level,
                    "open_cases": row["open_cases"],
                    "note": row["note"],
                }
            )
        return out

    # -- helpers ----------------------------------------------------------------------

    def _item_for(self, institution: Institution, code: str) -> Item:
        item = ITEMS_BY_CODE.get(code)
        if item is None:
            raise unprocessable(
                "item_code",
                "unknown_item",
                f"管理清单中没有事项 {code}。",
                f"There is no item {code} on the management list.",
            )
        if item.collecting_body_type not in institution.body_types:
            raise ApiProblem(
                403,
                "item_not_served",
                f"本机构不经办事项 {code}。",
                f"This institution does not handle item {code}.",
            )
        return item

    def _subject(
        self, kind: DocumentKind | None, number: str, field: str = "subject.number"
    ) -> Document:
        kinds = {kind} if kind is not None else set(DocumentKind)
        try:
            return identify(number, kinds=kinds, today=self.clock.today())
        except InvalidDocumentError as error:
            raise ApiProblem(
                422,
                "invalid_subject",
                error.message_zh,
                error.message_en,
                errors=[
                    {
                        "field": field,
                        "code": p.code,
                        "position": p.position,
                        "message": p.message_zh,
                        "message_en": p.message_en,
                    }
                    for p in error.problems
                ],
            ) from None

    def _seed_unpaid_settlements(self) -> None:
        """Give the residents marked so an unpaid deferred settlement at the hospital."""
        if self.db.read_one("SELECT value FROM meta WHERE key = 'seeded_settlements'"):
            return
        hospital = BY_CLIENT_ID["training-hospital"]
        item = ITEMS_BY_CODE["BZ-CR-01"]
        now = self.clock.now()
        seed_row = self.db.read_one("SELECT value FROM meta WHERE key = 'seed'")
        seed = int(seed_row["value"]) if seed_row else 0
        with self.db.write() as conn:
            for resident in generate(seed):
                if resident.unpaid_due_in_days is None:
                    continue
                due = now.date() + dt.timedelta(days=resident.unpaid_due_in_days)
                decided = now - dt.timedelta(days=max(1, item.repayment_days - 1))
                decision_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "seed-d-" + resident.number))
                settlement_id = str(uuid.uuid5(uuid.NAMESPACE_URL, "seed-s-" + resident.number))
                key = self.db.subject_key(resident.number)
                decision = {
                    "decision_id": decision_id,
                    "item_code": item.code,
                    "subject": {
                        "kind": resident.kind.value,
                        "masked": mask_number(resident.number),
                    },
                    "outcome": "waive",
                    "score": resident.score,
                    "level": resident.level,
                    "threshold": item.min_score,
                    "min_level": credit.min_level_for(item.min_score or 0).value,
                    "amount_fen": item.standard_deposit_fen,
                    "waived_fen": item.standard_deposit_fen,
                    "collect_fen": 0,
                    "emergency": False,
                    "decided_at": _iso(decided),
                    "valid_until": _iso(decided + dt.timedelta(hours=item.decision_valid_hours)),
                    "reasons": [
                        _reason(
                            "score_meets_threshold",
                            "（培训数据）入院时信用分达到门槛，免交押金。",
                            "(training data) The score met the threshold at admission.",
                        )
                    ],
                }
                conn.execute(
                    "INSERT INTO decisions VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (decision_id, hospital.institution_id, None, "seed", item.code, key,
                     resident.kind.value, mask_number(resident.number), json.dumps(decision),
                     "waive", item.standard_deposit_fen, item.standard_deposit_fen,
                     "SEED", "seed", _iso(decided)),
                )  # fmt: skip
                settlement = {
                    "settlement_id": settlement_id,
                    "decision_id": decision_id,
                    "item_code": item.code,
                    "status": "deferred",
                    "due_date": due.isoformat(),
                    "total_fen": 1234500,
                    "insurance_fen": 864150,
                    "self_pay_fen": 370350,
                    "paid_fen": 0,
                    "method": "none",
                    "counter_id": "SEED",
                    "operator_id": "seed",
                    "recorded_at": _iso(decided),
                    "credit": None,
                }
                conn.execute(
                    "INSERT INTO settlements VALUES (?,?,?,?,?,?,?,?,?)",
                    (settlement_id, decision_id, hospital.institution_id, "seed",
                     json.dumps(settlement), "deferred", due.isoformat(), None, _iso(decided)),
                )  # fmt: skip
            conn.execute("INSERT INTO meta VALUES ('seeded_settlements', '1')")


_WHO = frozenset({"counter_id", "operator_id"})


def _moves_credit(decision_outcome: str, body: dict[str, Any]) -> bool:
    """Credit moves for what the person owed after a deposit was not collected.

    A settlement of a collected deposit, or one with nothing to pay, is no
    fulfilment of a credit commitment.
    """
    return decision_outcome != "collect" and body["self_pay_fen"] > 0


def _settlement_fields(body: dict[str, Any]) -> dict[str, Any]:
    out = dict(body)
    out["settlement_id"] = str(body["settlement_id"])
    out["decision_id"] = str(body["decision_id"])
    for name in ("due_date", "settled_on"):
        if body.get(name) is not None:
            out[name] = body[name].isoformat()
    return out


def _idempotency_conflict(field_name: str) -> ApiProblem:
    return ApiProblem(
        409,
        "idempotency_conflict",
        f"同一个 {field_name} 已用于内容不同的请求。",
        f"The same {field_name} was already used with a different request body.",
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
