"""The contract's JSON shapes, as pydantic models: they validate requests and generate
the OpenAPI document (``docs/openapi.json``).

Money is integer fen (``StrictInt``: ``"12.50"`` or ``12.5`` is refused, never
rounded); times are ISO 8601 with an offset; dates are ISO dates.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
)

Fen = Annotated[StrictInt, Field(ge=0, le=10**11, description="Money in integer fen (1/100 yuan).")]
Count = Annotated[StrictInt, Field(ge=0, le=10**9)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2026-11"])]
DocumentKindName = Literal[
    "resident_id", "residence_permit", "foreign_permanent_residence", "mrz", "uscc"
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Text(BaseModel):
    """A text in Chinese and English."""

    zh: str
    en: str


class TokenRequest(_Strict):
    """Client credentials of an institution."""

    client_id: Annotated[str, Field(min_length=1, max_length=200)]
    client_secret: Annotated[str, Field(min_length=1, max_length=200)]


class TokenAnswer(BaseModel):
    """A short-lived bearer token naming the institution."""

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    institution_id: str
    institution_name: Text


class Health(BaseModel):
    """The platform is up; ``mode`` says whether it is a training platform."""

    status: Literal["ok"]
    mode: Literal["training", "live"]
    version: str = Field(description="The contract version the server implements.")
    software_version: str
    time: dt.datetime


class OfflinePolicy(BaseModel):
    """What a desk does offline without a valid cached decision."""

    mode: Literal["collect", "provisional"]
    cap_fen: int = Field(description="Provisional waivers per counter per day, in fen.")


class Item(BaseModel):
    """One deposit item of the management list."""

    code: str
    name: Text
    definition: str
    scenario: str
    path: Literal["legally_cleared", "cancelled", "credit", "supervised"]
    min_score: int | None
    min_level: str | None
    standard_deposit_fen: int
    collecting_body_type: str
    conditions: list[str]
    offline_policy: OfflinePolicy
    repayment_days: int
    emergency_path: bool
    decision_valid_hours: int


class ItemList(BaseModel):
    """The management list the institution sees."""

    version: str
    items: list[Item]


class Subject(_Strict):
    """The person (or enterprise) the request is about."""

    kind: DocumentKindName
    number: Annotated[str, Field(min_length=1, max_length=200)]


class Commitment(_Strict):
    """The customer authorised the query and signed the credit commitment."""

    signed_at: AwareDatetime
    channel: Literal["paper", "signature_pad", "app"]


class DecisionRequest(_Strict):
    """Ask for a credit decision."""

    item_code: Annotated[str, Field(min_length=1, max_length=32)]
    subject: Subject
    commitment: Commitment | None = None
    amount_fen: Fen
    counter_id: Identifier
    operator_id: Identifier
    emergency: StrictBool = False
    request_id: uuid.UUID | None = Field(
        default=None, description="Idempotency key: the same id returns the same decision."
    )


class Reason(BaseModel):
    """Why, in a code and in words the clerk can say to the customer."""

    code: str
    text: Text


class SubjectShown(BaseModel):
    """The subject as the platform echoes it: masked."""

    kind: str
    masked: str


class Decision(BaseModel):
    """A credit decision."""

    decision_id: str
    item_code: str
    subject: SubjectShown
    outcome: Literal["waive", "collect", "not_required"]
    score: int | None
    level: str | None
    threshold: int | None
    min_level: str | None
    amount_fen: int
    waived_fen: int
    collect_fen: int
    emergency: bool
    decided_at: dt.datetime
    valid_until: dt.datetime
    reasons: list[Reason]


class SettlementRequest(_Strict):
    """Settle one case. ``settlement_id`` is the idempotency key."""

    settlement_id: uuid.UUID
    decision_id: uuid.UUID
    status: Literal["settled", "deferred"]
    due_date: dt.date | None = None
    # The desk's date when the clerk recorded it: a settlement recorded offline and
    # delivered days later is judged by that day, not the day it arrives.
    settled_on: dt.date | None = None
    total_fen: Fen
    insurance_fen: Fen
    self_pay_fen: Fen
    paid_fen: Fen
    method: Literal[
        "cash", "bank_card", "unionpay_qr", "wechat", "alipay", "transfer", "insurance", "none"
    ]
    counter_id: Identifier
    operator_id: Identifier


class CreditChange(BaseModel):
    """How a settlement moved the person's credit."""

    score_before: int
    score_after: int
    level_before: str
    level_after: str


class Settlement(BaseModel):
    """A recorded settlement."""

    settlement_id: str
    decision_id: str
    item_code: str
    status: Literal["settled", "deferred"]
    due_date: dt.date | None
    settled_on: dt.date | None = None
    total_fen: int
    insurance_fen: int
    self_pay_fen: int
    paid_fen: int
    method: str
    counter_id: str
    operator_id: str
    recorded_at: dt.datetime
    credit: CreditChange | None


class SettlementUpdateRequest(_Strict):
    """How a deferred settlement ended. ``update_id`` is the idempotency key."""

    update_id: uuid.UUID
    outcome: Literal["paid", "paid_late", "defaulted"]
    paid_fen: Fen
    paid_on: dt.date | None = None
    counter_id: Identifier
    operator_id: Identifier


class SettlementUpdate(BaseModel):
    """A recorded settlement update."""

    update_id: str
    settlement_id: str
    outcome: str
    paid_fen: int
    paid_on: dt.date | None
    counter_id: str
    operator_id: str
    recorded_at: dt.datetime
    credit: CreditChange | None


class Case(BaseModel):
    """An open case: a decision not settled yet, or settled as deferred and not paid."""

    decision: Decision
    counter_id: str
    state: Literal["open", "deferred"]
    settlement: Settlement | None


class CaseSearch(_Strict):
    """Whose open cases to list."""

    subject: Subject


class CaseList(BaseModel):
    """Open cases of one person at the calling institution."""

    cases: list[Case]


class ReportItem(_Strict):
    """One item's figures for the month."""

    item_code: Annotated[str, Field(min_length=1, max_length=32)]
    decisions_waive: Count
    decisions_collect: Count
    decisions_not_required: Count
    waived_fen: Fen
    settlements_on_time: Count
    settlements_late: Count
    settlements_defaulted: Count
    settlements_open: Count
    provisional_granted: Count
    provisional_refused: Count
    supervised_collected_fen: Fen
    supervised_refunded_fen: Fen


class MonthlyReportRequest(_Strict):
    """An institution's monthly operating data."""

    month: Month
    revision: Annotated[StrictInt, Field(ge=1, le=1000)] = 1
    counter_id: Identifier
    operator_id: Identifier
    items: Annotated[list[ReportItem], Field(max_length=100)]


class MonthlyReportAnswer(BaseModel):
    """The report was received."""

    report_id: str
    institution_id: str
    month: str
    revision: int
    received_at: dt.datetime
    items: int


class Knobs(_Strict):
    """Training knobs: faults and settings a trainer or a test turns on (trainer only).

    ``PUT /v1/training/knobs`` replaces them all: a knob not given goes back to its default.
    """

    latency_ms: Annotated[StrictInt, Field(ge=0, le=120_000)] = 0
    error_rate: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.0
    outage: StrictBool = False
    malformed_rate: Annotated[StrictFloat, Field(ge=0, le=1)] = 0.0
    rate_limit_per_second: Annotated[StrictFloat, Field(ge=0, le=100_000)] = 50.0
    rate_limit_burst: Annotated[StrictInt, Field(ge=1, le=100_000)] = 100
    token_ttl_seconds: Annotated[StrictInt, Field(ge=0, le=86_400)] = 900
    clock_offset_seconds: Annotated[StrictInt, Field(ge=-(10**9), le=10**9)] = 0


class ResidentRow(BaseModel):
    """A synthetic resident (trainer only)."""

    number: str
    kind: str
    name: str
    score: int
    level: str
    open_cases: int
    note: str


class HistoryRow(BaseModel):
    """One change of a score."""

    at: dt.datetime
    delta: int
    score_after: int
    reason: str
    reference: str | None


class Archive(BaseModel):
    """A resident's credit archive (trainer only)."""

    subject: SubjectShown
    name: str
    score: int
    level: str
    history: list[HistoryRow]


class Problem(BaseModel):
    """RFC 9457 problem details, with the contract's ``code`` and messages."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    message: Text
    errors: list[dict[str, object]] | None = None
