"""The serial "SAM" protocol byte by byte: frames, the streaming decoder, statuses, cards."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desk_app.devices import sam
from desk_app.devices.card import (
    CardContentError,
    CardType,
    Nation,
    ReaderProtocolError,
    ReaderUnavailableError,
)
from desk_app.devices.nations import ETHNIC_GROUPS, ethnic_group
from desk_app.devices.sam import Command, FrameDecoder, ReaderStatusError, Reply
from desk_app.devices.serial_reader import CardReader, ReaderState
from desk_app.devices.simulator import (
    NOISE,
    SYNTHETIC_PEOPLE,
    SyntheticPerson,
    find_reply,
    long_term,
    read_reply,
    select_reply,
    status_reply,
)
from desk_app.devices.vendor import ReaderDriver
from desk_app.errors import Fault
from desk_app.identity import DocumentKind, Sex

TODAY = dt.date(2026, 6, 1)
RESIDENT = SYNTHETIC_PEOPLE["371602198601115150"]
PERMIT = SYNTHETIC_PEOPLE["810000199408230021"]
FOREIGN_2017 = SYNTHETIC_PEOPLE["KAZ110090123105"]
FOREIGN_2023 = SYNTHETIC_PEOPLE["911398199012310021"]

FIND = bytes.fromhex("AAAAAA9669 0003 2001 22")
SELECT = bytes.fromhex("AAAAAA9669 0003 2002 21")
READ = bytes.fromhex("AAAAAA9669 0003 3001 32")
CARD_FOUND = bytes.fromhex("AAAAAA9669 0008 00009F 00000000 97")


# --- Frames ------------------------------------------------------------------------------


def test_command_frames_are_byte_exact() -> None:
    assert sam.command_frame(Command.FIND_CARD) == FIND
    assert sam.command_frame(Command.SELECT_CARD) == SELECT
    assert sam.command_frame(Command.READ_TEXT_PHOTO) == READ
    assert sam.command_frame(Command.READ_WITH_FINGERPRINT)[7:9] == b"\x30\x10"


def test_the_card_found_reply_is_byte_exact() -> None:
    assert find_reply(True) == CARD_FOUND
    assert FrameDecoder().feed(CARD_FOUND) == [b"\x00\x00\x9f\x00\x00\x00\x00"]
    assert Reply.parse(b"\x00\x00\x9f\x00\x00\x00\x00") == Reply(0, 0, 0x9F, bytes(4))


def test_the_checksum_is_the_xor_of_length_and_body() -> None:
    assert sam.checksum(b"\x00\x03\x20\x01") == 0x22
    assert sam.checksum(CARD_FOUND[5:-1]) == CARD_FOUND[-1]
    assert sam.checksum(b"") == 0


def test_the_length_counts_the_checksum() -> None:
    frame = sam.encode_frame(b"\x00\x00\x90" + bytes(8))
    assert int.from_bytes(frame[5:7], "big") == 12 == len(frame) - 7


def test_a_body_too_long_for_a_frame_is_refused() -> None:
    with pytest.raises(ValueError, match="at most"):
        sam.encode_frame(bytes(sam.MAX_FRAME_LENGTH))


def test_a_reply_without_status_is_a_protocol_error() -> None:
    with pytest.raises(ReaderProtocolError):
        Reply.parse(b"\x00\x00")


# --- The streaming decoder -------------------------------------------------------------


def test_a_read_reply_fed_one_byte_at_a_time_comes_out_once() -> None:
    frame = read_reply(RESIDENT)
    decoder = FrameDecoder()
    out = [body for byte in frame for body in decoder.feed(bytes([byte]))]
    assert out == [frame[7:-1]]
    assert decoder.pending == 0


def test_several_frames_in_one_chunk_come_out_in_order() -> None:
    frames = [find_reply(True), select_reply(), read_reply(PERMIT), status_reply(0x41)]
    assert FrameDecoder().feed(b"".join(frames)) == [f[7:-1] for f in frames]


def test_noise_before_a_frame_is_skipped() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(NOISE + CARD_FOUND + NOISE + CARD_FOUND) == [CARD_FOUND[7:-1]] * 2
    assert decoder.discarded >= len(NOISE)


def test_a_preamble_split_across_chunks_is_kept() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(b"\x01\x02" + CARD_FOUND[:2]) == []
    assert decoder.pending == 2
    assert decoder.feed(CARD_FOUND[2:]) == [CARD_FOUND[7:-1]]


def test_a_bad_checksum_is_skipped_and_counted_and_the_next_frame_still_comes() -> None:
    damaged = CARD_FOUND[:-1] + b"\x00"
    decoder = FrameDecoder()
    assert decoder.feed(damaged + select_reply()) == [select_reply()[7:-1]]
    assert decoder.rejected == 1


def test_an_impossible_length_is_noise() -> None:
    decoder = FrameDecoder()
    assert decoder.feed(sam.PREAMBLE + b"\xff\xff" + CARD_FOUND) == [CARD_FOUND[7:-1]]
    assert decoder.feed(sam.PREAMBLE + b"\x00\x01" + CARD_FOUND) == [CARD_FOUND[7:-1]]


def test_noise_claiming_a_long_frame_does_not_swallow_the_real_one() -> None:
    # A preamble in the noise with a plausible length that never completes.
    decoder = FrameDecoder()
    assert decoder.feed(sam.PREAMBLE + b"\x04\x00\x11\x22" + CARD_FOUND) == [CARD_FOUND[7:-1]]
    assert decoder.pending == 0


def test_reset_forgets_a_partial_frame() -> None:
    decoder = FrameDecoder()
    decoder.feed(CARD_FOUND[:9])
    decoder.reset()
    assert decoder.feed(CARD_FOUND[9:]) == []
    assert decoder.feed(CARD_FOUND) == [CARD_FOUND[7:-1]]


@settings(max_examples=150, deadline=None)
@given(
    cuts=st.lists(st.integers(min_value=0, max_value=4000), max_size=40),
    noisy=st.lists(st.booleans(), min_size=4, max_size=4),
)
def test_any_split_of_any_noisy_stream_gives_the_same_frames(
    cuts: list[int], noisy: list[bool]
) -> None:
    frames = [find_reply(True), select_reply(), read_reply(FOREIGN_2023), status_reply(0x80)]
    stream = b"".join((NOISE if n else b"") + f for n, f in zip(noisy, frames, strict=True))
    points = sorted({c % (len(stream) + 1) for c in cuts})
    chunks = [stream[a:b] for a, b in zip([0, *points], [*points, len(stream)], strict=True)]
    decoder = FrameDecoder()
    assert [body for chunk in chunks for body in decoder.feed(chunk)] == [f[7:-1] for f in frames]


# --- Read replies ------------------------------------------------------------------------


def test_a_read_reply_splits_into_text_and_photo() -> None:
    reply = Reply.parse(read_reply(RESIDENT)[7:-1])
    data = sam.split_read_data(reply.data)
    assert (data.text, data.photo, data.fingerprint) == (
        RESIDENT.text_block(),
        RESIDENT.photo(),
        b"",
    )


def test_a_read_reply_with_fingerprints_has_a_third_length() -> None:
    reply = Reply.parse(read_reply(RESIDENT, with_fingerprint=True)[7:-1])
    assert sam.split_read_data(reply.data, with_fingerprint=True).text == RESIDENT.text_block()
    with pytest.raises(ReaderProtocolError):
        sam.split_read_data(reply.data)


@pytest.mark.parametrize(
    "data",
    [b"", b"\x01\x00", b"\x01\x00\x04\x00" + bytes(10), b"\x00\x10\x00\x00" + bytes(16)],
)
def test_read_data_whose_lengths_do_not_add_up_is_a_protocol_error(data: bytes) -> None:
    with pytest.raises(ReaderProtocolError):
        sam.split_read_data(data)


# --- Statuses ----------------------------------------------------------------------------


PUBLIC_STATUSES = [
    0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x37, 0x3F,
    0x40, 0x41, 0x47, 0x60, 0x66, 0x80, 0x81, 0x91,
]  # fmt: skip


@pytest.mark.parametrize("code", PUBLIC_STATUSES)
def test_every_public_status_has_a_clerks_message_in_both_languages(code: int) -> None:
    info = sam.status_info(code)
    assert info.code == code
    assert info.name != "未知状态"
    assert info.message_zh
    assert info.message_en
    assert info.message_zh != info.message_en


def test_reader_side_statuses_are_environment_faults_and_card_side_ones_input() -> None:
    assert ReaderStatusError(0x60).fault is Fault.ENVIRONMENT
    assert ReaderStatusError(0x66).fault is Fault.ENVIRONMENT
    error = ReaderStatusError(0x41, Command.READ_TEXT_PHOTO, 0x6A, 0x82)
    assert error.fault is Fault.INPUT
    assert error.transient
    assert "SW1 6A SW2 82 SW3 41" in error.detail
    assert "重新平放" in error.message("zh")


def test_an_unknown_status_is_reported_with_its_code() -> None:
    error = ReaderStatusError(0x5C)
    assert "0x5C" in error.message_zh
    assert "0x5C" in error.message_en
    assert not error.transient


# --- Nations -----------------------------------------------------------------------------


def test_the_table_has_56_groups_and_codes_97_and_98() -> None:
    assert [c for c in ETHNIC_GROUPS if int(c) <= 56] == [f"{n:02d}" for n in range(1, 57)]
    assert ETHNIC_GROUPS["97"].name_zh == "其他"
    assert ETHNIC_GROUPS["98"].name_zh == "外国血统中国籍人士"
    assert len({g.name_zh for g in ETHNIC_GROUPS.values()}) == 58


def test_a_single_digit_code_is_read_with_its_leading_zero() -> None:
    assert ethnic_group("1") == ETHNIC_GROUPS["01"]
    assert ethnic_group("04 ") is not None
    assert ethnic_group("57") is None


def test_an_unknown_nation_code_is_shown_raw() -> None:
    nation = Nation.ethnic("57")
    assert (nation.display, nation.known, nation.name_en) == ("57", False, None)
    assert Nation.country("QQQ").display == "QQQ"


# --- Cards ---------------------------------------------------------------------------------


def test_a_resident_card() -> None:
    card = sam.parse_card(RESIDENT.text_block(), RESIDENT.photo(), today=TODAY)
    assert card.card_type is CardType.RESIDENT
    assert card.kind is DocumentKind.RESIDENT_ID
    assert (card.number, card.name, card.sex) == ("371602198601115150", "孙明远", Sex.MALE)
    assert card.nation == Nation("01", "汉", "Han")
    assert card.birth_date == dt.date(1986, 1, 11)
    assert card.address == "山东省滨州市滨城区黄河五路100号"
    assert card.authority == "滨州市公安局滨城分局"
    assert (card.valid_from, card.valid_to) == (dt.date(2016, 3, 5), dt.date(2036, 3, 5))
    assert card.photo == RESIDENT.photo()
    assert card.document.number == card.number
    assert card.document.region_name == "山东省滨州市滨城区"
    assert card.document.expiry_date == dt.date(2036, 3, 5)
    assert card.document.warnings == ()


def test_a_residence_permit_for_hong_kong_macao_and_taiwan_residents() -> None:
    card = sam.parse_card(PERMIT.text_block(), PERMIT.photo(), today=TODAY)
    assert card.card_type is CardType.HMT_PERMIT
    assert card.kind is DocumentKind.RESIDENCE_PERMIT
    assert (card.name, card.sex, card.nation) == ("陈嘉欣", Sex.FEMALE, None)
    assert (card.pass_number, card.issue_count) == ("H00000001", 1)
    assert card.document.region_name == "香港特别行政区"
    assert PERMIT.text_block()[248:250] == "J".encode("utf-16-le")


def test_a_2017_foreigners_permanent_residence_card() -> None:
    card = sam.parse_card(FOREIGN_2017.text_block(), FOREIGN_2017.photo(), today=TODAY)
    assert card.card_type is CardType.FOREIGN_2017
    assert card.kind is DocumentKind.FOREIGN_PERMANENT_RESIDENCE
    assert (card.number, card.name, card.name_en) == ("KAZ110090123105", "安娜", "TESTOVA, ANNA")
    assert card.nation == Nation("KAZ", "哈萨克斯坦", "Kazakhstan")
    assert card.birth_date == dt.date(1990, 12, 31)
    assert (card.authority, card.card_version, card.address) == ("1100", "01", None)
    # The 2017 number carries no sex; the card does, and the document gets it.
    assert card.document.sex is Sex.FEMALE


def test_a_2023_foreigners_permanent_residence_card() -> None:
    card = sam.parse_card(FOREIGN_2023.text_block(), FOREIGN_2023.photo(), today=TODAY)
    assert card.card_type is CardType.FOREIGN_2023
    assert card.kind is DocumentKind.FOREIGN_PERMANENT_RESIDENCE
    # An English name longer than 35 characters continues in the second field.
    assert card.name_en == "TESTOVA ANNA MARIA ALEXANDRA KONSTANTINOVNA"
    assert card.nation is not None
    assert card.nation.code == "KAZ"
    assert (card.renewal_count, card.previous_number_link, card.authority) == (1, "105", None)
    assert card.document.nationality == "KAZ"


def test_a_foreign_card_without_a_chinese_name_is_named_in_english() -> None:
    person = dataclasses.replace(FOREIGN_2017, name="")
    card = sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert card.name == "TESTOVA, ANNA"


def test_long_term_validity() -> None:
    person = long_term(RESIDENT)
    card = sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert (card.valid_to, card.valid_to_text, card.long_term) == (None, "长期", True)
    assert card.document.expiry_date is None
    assert card.to_json()["valid_to"] is None


def test_an_expired_card_carries_the_expired_warning() -> None:
    person = dataclasses.replace(RESIDENT, valid_to="20250101")
    card = sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert [w.code for w in card.document.warnings] == ["expired"]


def test_an_unknown_nation_code_on_a_card_is_shown_raw_not_refused() -> None:
    person = dataclasses.replace(RESIDENT, nation_code="57")
    card = sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert card.nation == Nation("57", None, None)
    assert card.to_json()["nation"] == "57"


def test_an_unknown_sex_code_is_shown_raw() -> None:
    person = dataclasses.replace(RESIDENT, sex_code="9")
    card = sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert card.sex is None
    assert card.to_json()["sex"] == "9"
    assert card.document.sex is Sex.MALE  # the number still says it


def test_the_json_has_the_contract_fields_and_never_the_photo() -> None:
    card = sam.parse_card(RESIDENT.text_block(), RESIDENT.photo(), today=TODAY)
    out = card.to_json()
    contract = {
        "kind": "resident_id",
        "number": "371602198601115150",
        "name": "孙明远",
        "sex": "M",
        "nation": "汉",
        "birth_date": "1986-01-11",
        "address": "山东省滨州市滨城区黄河五路100号",
        "authority": "滨州市公安局滨城分局",
        "valid_from": "2016-03-05",
        "valid_to": "2036-03-05",
        "card_type": "resident",
    }
    assert {k: out[k] for k in contract} == contract
    assert not any(isinstance(v, bytes) for v in out.values())
    json.dumps(out, ensure_ascii=False)


def test_the_repr_never_shows_the_number_or_the_name() -> None:
    card = sam.parse_card(RESIDENT.text_block(), RESIDENT.photo(), today=TODAY)
    assert "371602198601115150" not in repr(card)
    assert "孙明远" not in repr(card)
    assert "5150" in repr(card)


def _with_type_byte(person: SyntheticPerson, byte: int) -> bytes:
    block = bytearray(person.text_block())
    block[248] = byte
    return bytes(block)


def test_an_unknown_card_type_is_a_content_error() -> None:
    with pytest.raises(CardContentError) as caught:
        sam.parse_card(_with_type_byte(RESIDENT, ord("Z")), b"")
    assert caught.value.fault is Fault.INPUT
    assert "0x5A" in caught.value.detail


def test_a_number_with_a_wrong_check_character_is_a_content_error() -> None:
    person = dataclasses.replace(RESIDENT, number="371602198601115151")
    with pytest.raises(CardContentError) as caught:
        sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert [p.code for p in caught.value.problems] == ["check"]
    assert "371602198601115151" not in caught.value.detail


def test_a_number_of_another_kind_than_the_card_is_a_content_error() -> None:
    # A Hong Kong permit number in a resident card's layout.
    person = dataclasses.replace(RESIDENT, number=PERMIT.number)
    with pytest.raises(CardContentError) as caught:
        sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert "residence_permit" in caught.value.detail


def test_a_date_that_is_not_a_date_is_a_content_error() -> None:
    person = dataclasses.replace(RESIDENT, valid_from="20161305")
    with pytest.raises(CardContentError) as caught:
        sam.parse_card(person.text_block(), person.photo(), today=TODAY)
    assert "valid_from" in caught.value.detail


def test_a_text_block_of_the_wrong_size_is_a_content_error() -> None:
    with pytest.raises(CardContentError):
        sam.parse_card(RESIDENT.text_block()[:200], b"")


@pytest.mark.parametrize("card_type", list(CardType))
def test_every_layout_covers_256_bytes_and_puts_the_number_at_122(card_type: CardType) -> None:
    specs = sam.LAYOUTS[card_type]
    assert sum(s.length for s in specs) == sam.TEXT_LENGTH
    assert next(s.offset for s in specs if s.name == "number") == 122


# --- The vendor route ----------------------------------------------------------------------


class FakeSdk:
    """An adapter around a vendor DLL, as a site would write one: no serial port here."""

    def __init__(self, person: SyntheticPerson | None) -> None:
        self.person = person
        self.opened = 0
        self.reads = 0
        self.unplugged = False

    @property
    def description(self) -> str:
        return "fake.dll"

    def open(self) -> None:
        if self.unplugged:
            raise ReaderUnavailableError("USB1", "gone")
        self.opened += 1

    def close(self) -> None:
        pass

    def find_card(self) -> bool:
        if self.unplugged:
            raise ReaderUnavailableError("USB1", "gone")
        return self.person is not None

    def select_card(self) -> bytes:
        return b""

    def read_card(self) -> sam.CardData:
        assert self.person is not None
        self.reads += 1
        return sam.CardData(self.person.text_block(), self.person.photo())


def test_a_vendor_driver_is_polled_like_a_serial_reader() -> None:
    sdk = FakeSdk(RESIDENT)
    assert isinstance(sdk, ReaderDriver)
    reader = CardReader(sdk, today=lambda: TODAY)
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number
    assert reader.poll_once() is None
    assert sdk.reads == 1
    sdk.person = None
    assert reader.poll_once() is None
    sdk.person = PERMIT
    card = reader.poll_once()
    assert card is not None
    assert card.card_type is CardType.HMT_PERMIT


def test_a_vendor_reader_that_goes_away_is_reopened() -> None:
    sdk = FakeSdk(None)
    reader = CardReader(sdk)
    assert reader.poll_once() is None
    sdk.unplugged = True
    with pytest.raises(ReaderUnavailableError):
        reader.poll_once()
    assert reader.state is ReaderState.DISCONNECTED
    sdk.unplugged = False
    sdk.person = FOREIGN_2017
    card = reader.poll_once()
    assert card is not None
    assert card.card_type is CardType.FOREIGN_2017
    assert sdk.opened == 2
