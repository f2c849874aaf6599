"""Fuzzing the desk's readers of outside input: they return a value or raise their typed error.

Three readers take bytes or text the desk does not control: the identity reader (what a
clerk types or a scanner sends), the serial "SAM" protocol (what a card reader sends) and
the platform's answers (what a server sends). A reader that raises anything else
(``IndexError``, ``OverflowError``, ...) is a bug: in the window it becomes a crash dialog
instead of a message the clerk can act on, and on the reader thread it stops the reader.

Plain random text rarely gets past the first length check, so the strategies here build
inputs that are *nearly* right: the right shape and check character with a date or a
field that is wrong, run together, decorated with what pasting adds. Example counts stay
modest so the suite stays fast; the strategies carry the depth.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import sqlite3
from typing import Any

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from desk_app.devices import sam
from desk_app.devices.card import CardReaderError
from desk_app.devices.sam import Command, FrameDecoder, Reply
from desk_app.devices.simulator import SYNTHETIC_PEOPLE, read_reply
from desk_app.domain.model import Decision, Item
from desk_app.identity import ALL_KINDS, PERSON_KINDS, DocumentKind, InvalidDocumentError
from desk_app.identity import identify as identify_document
from desk_app.identity.checksums import icao_check, mod11_2_check
from desk_app.identity.document import Document
from desk_app.identity.mrz import TD1, TD2, TD3
from desk_app.identity.residence_permit import PREFIXES
from desk_app.platform import answers
from desk_app.platform.errors import PlatformBadAnswerError
from desk_app.services.context import epoch_ms
from desk_app.services.decisions import decision_from_json, decision_json
from tests.support.json_strategies import GOOD_DECISION, GOOD_ITEM, json_values, mutated
from tests.support.outcomes import result_or_error

NOON = "2026-06-01T12:00:00+08:00"
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# --- The identity reader ---------------------------------------------------------------

DIGITS = "0123456789"
MRZ_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
# What pasting and scanners add around and inside a number: separators the reader strips,
# full-width forms it maps, invisible format characters it drops, line breaks it splits on.
DECORATIONS = [" ", "-", "\u3000", "\u00a0", "\u200b", "\ufeff", "\u00ad", "\t", "\n", "\r\n",
               "\\n", "\u2212", "\u0301", "\ud7ff", "\U0001d7ce", "\u00b2", "\u0663"]  # fmt: skip

dates_any = st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))
dates_near = st.dates(min_value=dt.date(1890, 1, 1), max_value=dt.date(2100, 12, 31))
date_digits = st.one_of(
    dates_near.map(lambda d: d.strftime("%Y%m%d")),
    # Dates that are no dates: month 13, day 00, 29 February of a common year, year 0000.
    st.from_regex(r"[0-9]{8}", fullmatch=True),
    st.sampled_from(["00000000", "19000229", "20230229", "99991231", "18991231", "20261301"]),
)


def with_check(body: str) -> str:
    """17 digits and their MOD 11-2 check character: the shape passes, the content is tried."""
    return body + mod11_2_check(body)


@st.composite
def gb11643_shaped(draw: st.DrawFn) -> str:
    """Resident, residence permit and 2023 foreigner numbers with a good check character."""
    prefix = draw(
        st.one_of(
            st.from_regex(r"[0-9]{6}", fullmatch=True),
            st.sampled_from(sorted(PREFIXES)),
            st.from_regex(r"9[0-9]{5}", fullmatch=True),
        )
    )
    body = prefix + draw(date_digits) + draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    number = with_check(body)
    if draw(st.booleans()):
        return number
    # The legacy 15 digits: region, a two-digit year, and a sequence.
    return body[:6] + body[8:14] + body[14:17]


@st.composite
def uscc_shaped(draw: st.DrawFn) -> str:
    """Unified social credit codes with a good check character and any organisation code."""
    body = draw(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
    return body + stdnum_uscc.calc_check_digit(body)


@st.composite
def foreign_2017_shaped(draw: st.DrawFn) -> str:
    """Three letters, a two-digit place and year, a sequence and an ICAO check digit."""
    body = draw(st.from_regex(r"[A-Z]{3}[0-9]{11}", fullmatch=True))
    return body + icao_check(body)


@st.composite
def mrz_shaped(draw: st.DrawFn) -> str:
    """TD1, TD2 and TD3 zones: the layout's lengths, MRZ characters, maybe good check digits."""
    layout = draw(st.sampled_from([TD1, TD2, TD3]))
    lines = []
    for _ in range(layout.lines):
        width = layout.width + draw(st.sampled_from([0, 0, 0, -1, 1]))
        line = draw(st.text(alphabet=MRZ_ALPHABET, min_size=width, max_size=width))
        lines.append(line)
    if draw(st.booleans()) and layout is TD3 and len(lines[1]) == 44:
        # Good check digits over random fields: the dates and the composite get read.
        line = lines[1]
        dates = (
            draw(st.from_regex(r"[0-9]{6}", fullmatch=True)),
            draw(st.from_regex(r"[0-9]{6}", fullmatch=True)),
        )
        line = line[:9] + icao_check(line[:9]) + line[10:13] + dates[0] + icao_check(dates[0])
        line += lines[1][20] + dates[1] + icao_check(dates[1]) + lines[1][28:42]
        line += icao_check(line[28:42])
        line += icao_check(line[0:10] + line[13:20] + line[21:43])
        lines[1] = line
    separator = draw(st.sampled_from(["\n", "\r\n", "", " ", "\\n", "\n\n"]))
    return separator.join(lines)


@st.composite
def decorated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    """``base`` with pasting's additions inserted and characters turned full-width."""
    text = draw(base)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        at = draw(st.integers(min_value=0, max_value=len(text)))
        text = text[:at] + draw(st.sampled_from(DECORATIONS)) + text[at:]
    if text and draw(st.booleans()):
        at = draw(st.integers(min_value=0, max_value=len(text) - 1))
        if "!" <= text[at] <= "~":
            text = text[:at] + chr(ord(text[at]) + 0xFEE0) + text[at + 1 :]
    return text


identity_inputs = decorated(
    st.one_of(
        st.text(max_size=210),
        st.text(alphabet=DIGITS + "Xx<", min_size=14, max_size=20),
        gb11643_shaped(),
        uscc_shaped(),
        foreign_2017_shaped(),
        mrz_shaped(),
    )
)
kind_sets = st.one_of(
    st.just(ALL_KINDS),
    st.just(PERSON_KINDS),
    st.frozensets(st.sampled_from(list(DocumentKind)), min_size=1),
)


def use_document(document: Document, today: dt.date) -> None:
    """What the desk does with a document next: every one of these must work."""
    assert document.number
    json.dumps(document.to_dict(today))
    assert document.masked_number
    assert document.subject_id
    assert document.platform_number
    document.is_expired(today)


@FUZZ
@given(identity_inputs, kind_sets, st.one_of(dates_near, dates_any))
@example("371602198601115150", ALL_KINDS, dt.date(1, 1, 1))
@example("371602198601115150", ALL_KINDS, dt.date(9999, 12, 31))
@example("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10",
         PERSON_KINDS, dt.date(9999, 12, 31))  # fmt: skip
def test_the_identity_reader_returns_a_document_or_its_typed_error(
    text: str, kinds: frozenset[DocumentKind], today: dt.date
) -> None:
    document = result_or_error(
        identify_document, InvalidDocumentError, text, kinds=kinds, today=today
    )
    if isinstance(document, InvalidDocumentError):
        assert document.problems
        for problem in document.problems:
            json.dumps(problem.to_dict())
        return
    assert document.kind in kinds
    use_document(document, today)


# --- The serial frame parser -----------------------------------------------------------

RESIDENT = SYNTHETIC_PEOPLE["371602198601115150"]
FRAMES = [read_reply(person) for person in list(SYNTHETIC_PEOPLE.values())[:4]]
HEADER = 7  # preamble (5) and length (2)


@st.composite
def serial_streams(draw: st.DrawFn) -> bytes:
    """A line's bytes: noise, good frames, damaged frames, preambles with any length."""
    parts = []
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        choice = draw(st.integers(min_value=0, max_value=4))
        if choice == 0:
            parts.append(draw(st.binary(max_size=300)))
        elif choice == 1:
            parts.append(draw(st.sampled_from(FRAMES)))
        elif choice == 2:
            frame = bytearray(draw(st.sampled_from(FRAMES)))
            at = draw(st.integers(min_value=0, max_value=len(frame) - 1))
            frame[at] ^= draw(st.integers(min_value=1, max_value=255))
            parts.append(bytes(frame))
        elif choice == 3:
            length = draw(st.integers(min_value=0, max_value=0xFFFF))
            parts.append(sam.PREAMBLE + length.to_bytes(2, "big") + draw(st.binary(max_size=64)))
        else:
            body = draw(st.binary(max_size=200))
            parts.append(sam.encode_frame(body))
    return b"".join(parts)


@FUZZ
@given(serial_streams(), st.lists(st.integers(min_value=1, max_value=600), max_size=20))
def test_the_frame_decoder_takes_any_bytes_in_any_chunks(stream: bytes, cuts: list[int]) -> None:
    decoder = FrameDecoder()
    position = 0
    bodies: list[bytes] = []
    for size in [*cuts, len(stream)]:
        bodies += decoder.feed(stream[position : position + size])
        position += size
        # A noisy line never makes the decoder hold more than one frame's worth of bytes.
        assert decoder.pending <= HEADER + sam.MAX_FRAME_LENGTH
    for body in bodies:
        # Every body handed on came whole, with its checksum, from the line.
        assert sam.encode_frame(body) in stream


def read_card_from(body: bytes, command: Command) -> None:
    """A frame body, as the reader's thread handles a reply to ``command``."""
    reply = Reply.parse(body)
    sam.status_info(reply.sw3)
    if reply.sw3 != sam.SW3_SUCCESS:
        error = sam.ReaderStatusError(reply.sw3, command, reply.sw1, reply.sw2)
        assert error.message_zh
        assert error.message_en
        return
    data = sam.split_read_data(reply.data, command is Command.READ_WITH_FINGERPRINT)
    card = sam.parse_card(data.text, data.photo, today=dt.date(2026, 6, 1))
    json.dumps(card.to_json())
    repr(card)


@FUZZ
@given(
    st.one_of(st.binary(max_size=40), serial_streams()),
    st.sampled_from([Command.READ_TEXT_PHOTO, Command.READ_WITH_FINGERPRINT, Command.FIND_CARD]),
)
def test_any_reply_body_is_a_card_a_status_or_a_typed_error(body: bytes, command: Command) -> None:
    error = result_or_error(read_card_from, CardReaderError, body, command)
    if error is not None:
        assert error.message_zh
        assert error.message_en


@st.composite
def damaged_text_blocks(draw: st.DrawFn) -> bytes:
    """A real card's text block with fields overwritten: other characters, digits, NULs."""
    person = draw(st.sampled_from(list(SYNTHETIC_PEOPLE.values())))
    block = bytearray(person.text_block())
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        at = draw(st.integers(min_value=0, max_value=len(block) - 1))
        filler = draw(
            st.one_of(
                st.binary(min_size=1, max_size=40),
                st.text(alphabet=DIGITS + "X ", min_size=1, max_size=20).map(
                    lambda t: t.encode("utf-16-le")
                ),
                st.text(min_size=1, max_size=10).map(
                    lambda t: t.encode("utf-16-le", "surrogatepass")
                ),
            )
        )
        block[at : at + len(filler)] = filler
        del block[256:]
        block.extend(bytes(256 - len(block)))
    if draw(st.booleans()):
        block[sam.CARD_TYPE_OFFSET] = draw(st.sampled_from([0x20, ord("J"), ord("I"), ord("Y")]))
    return bytes(block)


@FUZZ
@given(st.one_of(damaged_text_blocks(), st.binary(min_size=256, max_size=256)), st.binary())
def test_any_text_block_is_a_card_or_a_content_error(block: bytes, photo: bytes) -> None:
    card = result_or_error(sam.parse_card, CardReaderError, block, photo, today=dt.date(2026, 6, 1))
    if isinstance(card, CardReaderError):
        assert card.message_zh
        return
    json.dumps(card.to_json())
    assert card.document.number == card.number


# --- The platform's answers ------------------------------------------------------------


def storable(*values: object) -> None:
    """The values fit SQLite's columns (an int beyond 64 bits raises OverflowError there)."""
    with sqlite3.connect(":memory:") as db:
        db.execute("SELECT " + ", ".join("?" for _ in values), values).fetchone()
    db.close()


def use_decision(decision: Decision) -> None:
    """What the desk does with a decision next: its columns, its JSON read back, its age."""
    storable(decision.amount_fen, decision.waived_fen, epoch_ms(decision.valid_until))
    assert decision_from_json(decision_json(decision)) == decision
    decision.age(decision.decided_at)
    assert 0 <= decision.collect_fen <= decision.amount_fen


def use_item(item: Item) -> None:
    """What the desk does with an item next: a deposit to store, windows to date."""
    storable(item.standard_deposit_fen, item.offline_cap_fen)
    today = dt.date(2026, 6, 1)
    assert today + dt.timedelta(days=item.repayment_days) >= today
    now = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    assert now + dt.timedelta(hours=item.decision_valid_hours) >= now


@FUZZ
@given(st.one_of(mutated(GOOD_DECISION), json_values))
@example({**GOOD_DECISION, "amount_fen": 2**64, "waived_fen": 0})
@example({**GOOD_DECISION, "score": 2**64})
def test_a_decision_answer_is_read_or_refused_as_a_bad_answer(answer: Any) -> None:
    try:
        decision = answers.read_decision(answer, local_id="L-1")
    except PlatformBadAnswerError:
        return
    use_decision(decision)


@FUZZ
@given(
    st.one_of(
        st.lists(mutated(GOOD_ITEM), max_size=3).map(lambda items: {"items": items}),
        mutated({"items": [GOOD_ITEM]}),
        json_values,
    )
)
@example({"items": [GOOD_ITEM, GOOD_ITEM]})
@example({"items": [{**GOOD_ITEM, "decision_valid_hours": 10**9}]})
@example({"items": [{**GOOD_ITEM, "repayment_days": 10**8}]})
@example({"items": [{**GOOD_ITEM, "standard_deposit_fen": 2**63}]})
def test_an_item_list_is_read_or_refused_as_a_bad_answer(answer: Any) -> None:
    try:
        read = answers.read_items(answer, etag=None)
    except PlatformBadAnswerError:
        return
    codes = [item.code for item in read.items]
    # The desk keys its cached list by code: a list naming one twice cannot be kept.
    assert len(codes) == len(set(codes))
    for item in read.items:
        use_item(item)


@FUZZ
@given(
    st.one_of(
        st.lists(
            st.fixed_dictionaries(
                {
                    "decision": mutated(GOOD_DECISION),
                    "counter_id": json_values,
                    "state": json_values,
                    "settlement": json_values,
                }
            ),
            max_size=3,
        ).map(lambda cases: {"cases": cases}),
        json_values,
    )
)
def test_open_cases_are_read_or_refused_as_a_bad_answer(answer: Any) -> None:
    try:
        cases = answers.read_cases(answer)
    except PlatformBadAnswerError:
        return
    for case in cases:
        use_decision(case.decision)


@FUZZ
@given(
    st.one_of(
        mutated({"status": "ok", "mode": "training", "version": "1", "time": NOON}),
        json_values,
    )
)
def test_a_health_answer_is_read_or_refused_as_a_bad_answer(answer: Any) -> None:
    try:
        health = answers.read_health(answer)
    except PlatformBadAnswerError:
        return
    assert not math.isnan(health.time.timestamp())
