"""Rules real counters need, beyond the public vectors: found while building the reader."""

from __future__ import annotations

import datetime as dt

import pytest

from desk_app.identity import (
    PERSON_KINDS,
    DocumentKind,
    InvalidDocumentError,
    Sex,
    identify,
    mask_number,
)
from desk_app.identity.checksums import icao_check, mod11_2_check
from desk_app.identity.normalize import MAX_INPUT_LENGTH

TODAY = dt.date(2026, 12, 3)
VALID = "11010519491231002X"


def codes(text: str, **kwargs: object) -> list[tuple[str, int | None]]:
    with pytest.raises(InvalidDocumentError) as caught:
        identify(text, today=TODAY, **kwargs)  # type: ignore[arg-type]
    return [(p.code, p.position) for p in caught.value.problems]


@pytest.mark.parametrize(
    "text",
    [
        VALID + "\r",
        VALID + "\n",
        VALID + "\r\n",
        VALID + "\t",
        "110105-19491231-002X",
        "110105 19491231 002x",
        "\u3000１１０１０５１９４９１２３１００２ｘ\u3000",
        "１１０１０５—１９４９１２３１—００２Ｘ",
    ],
)
def test_scanner_terminators_separators_and_full_width_forms_are_normalised(text: str) -> None:
    assert identify(text, today=TODAY).number == VALID


@pytest.mark.parametrize(
    ("text", "position"),
    [
        ("٣٦٠٤٢٦١٩٩١٠١٠١٠٠٧١", 1),  # Arabic-Indic digits
        ("36042619910101007\u0661", 18),  # one Arabic-Indic digit at the end
        ("1101051949123100\u00b2X", 17),  # superscript two: NFKC would make it 2
        ("11010519491231\U0001d7ce02X", 15),  # mathematical bold zero
        ("11010519491231002\u03a7", 18),  # Greek capital chi, looks like X
    ],
)
def test_other_unicode_digits_are_rejected_never_converted(text: str, position: int) -> None:
    assert ("character", position) in codes(text)


@pytest.mark.parametrize("text", [VALID[:17], VALID[1:], "1101051949123100", "11010519491231002"])
def test_a_dropped_character_is_an_incomplete_scan_never_a_legacy_number(text: str) -> None:
    assert codes(text) == [("incomplete", None)]


def test_the_incomplete_message_says_how_many_were_read() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        identify(VALID[:17], today=TODAY)
    assert "17" in caught.value.message_zh
    assert "扫描不完整" in caught.value.message_zh


def test_a_huge_paste_is_refused_quickly_with_its_length() -> None:
    problems = codes("1" * 100_000)
    assert problems == [("too_long", None)]
    assert identify(" " * 10 + VALID + " " * 10, today=TODAY).number == VALID
    assert codes("1" * (MAX_INPUT_LENGTH + 1)) == [("too_long", None)]


@pytest.mark.parametrize("text", ["", "   ", "\r\n", "\t", "-"])
def test_nothing_read_is_said_as_such(text: str) -> None:
    assert codes(text) == [("empty", None)]


def test_scanner_garbage_is_unrecognised_not_a_crash() -> None:
    assert codes("\x1b[A\x00\x07 hello") == [("unrecognised", None)]


def test_wrong_check_character_names_the_right_one() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        identify("110105194912310021", today=TODAY)
    (problem,) = caught.value.problems
    assert (problem.code, problem.position) == ("check", 18)
    assert "应为 X" in problem.message_zh
    assert "should be X" in problem.message_en


def test_every_problem_has_both_languages() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        identify("11010519491331002Y", today=TODAY)
    for problem in caught.value.problems:
        assert problem.message_zh != problem.message_en
        assert any("\u4e00" <= ch <= "\u9fff" for ch in problem.message_zh)


def test_a_future_birth_date_is_refused() -> None:
    body = "11010520300101001"
    assert ("date_future", 7) in codes(body + mod11_2_check(body))


def test_birth_dates_before_1900_are_fine_but_not_before_1800() -> None:
    body = "11010518990101001"
    assert identify(body + mod11_2_check(body), today=TODAY).birth_date == dt.date(1899, 1, 1)
    body = "11010517990101001"
    assert ("date_too_early", 7) in codes(body + mod11_2_check(body))


def test_legacy_sequences_996_to_999_mark_people_born_in_the_1800s() -> None:
    document = identify("110105990101997", today=TODAY)
    assert document.birth_date == dt.date(1899, 1, 1)
    assert document.number.startswith("11010518990101997")
    assert document.upgraded_from == "110105990101997"
    assert identify("110105990101995", today=TODAY).birth_date == dt.date(1999, 1, 1)


def test_a_retired_region_code_is_accepted_with_its_old_name() -> None:
    # 372321: Huimin county under the old Binzhou prefecture code, retired in 2000.
    body = "37232119650304001"
    document = identify(body + mod11_2_check(body), today=TODAY)
    assert document.region_name is not None
    assert "惠民县" in document.region_name
    assert not document.warnings


def test_a_region_code_newer_than_the_birth_year_is_accepted() -> None:
    # 371602 exists since 2000; the holder was born in 1986.
    document = identify("371602198601115150", today=TODAY)
    assert document.region_name == "山东省滨州市滨城区"


def test_the_region_name_follows_the_code_history() -> None:
    assert identify("120110198012010073", today=TODAY).region_name == "天津市东郊区"
    assert identify("120110199212010072", today=TODAY).region_name == "天津市东丽区"


def test_an_unknown_region_code_with_a_valid_check_is_accepted_with_a_warning() -> None:
    body = "71999919800101001"
    document = identify(body + mod11_2_check(body), today=TODAY)
    assert document.kind is DocumentKind.RESIDENT_ID
    assert [w.code for w in document.warnings] == ["region_unknown"]
    assert document.region_name is None


def test_sex_comes_from_position_17() -> None:
    assert identify("440524188001010014", today=TODAY).sex is Sex.MALE
    assert identify(VALID, today=TODAY).sex is Sex.FEMALE


def test_a_person_scenario_refuses_a_credit_code_in_words() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        identify("91110000600037341L", kinds=PERSON_KINDS, today=TODAY)
    assert caught.value.problems[0].code == "not_accepted_here"
    assert "统一社会信用代码" in caught.value.message_zh


def test_an_enterprise_scenario_refuses_an_identity_number() -> None:
    assert codes(VALID, kinds={DocumentKind.USCC})[0][0] == "not_accepted_here"


def test_all_digit_credit_code_that_could_be_a_typo_is_flagged() -> None:
    # A valid USCC whose digits also read as a person number born in 19xx.
    body = "11010519491231001"
    for last in "0123456789":
        try:
            document = identify(body + last, today=TODAY)
        except InvalidDocumentError:
            continue
        if document.kind is DocumentKind.USCC:
            assert [w.code for w in document.warnings][-1] == "could_be_person_number"
    # Only as a person number in a person scenario.
    with pytest.raises(InvalidDocumentError):
        identify(body + "0", kinds=PERSON_KINDS, today=TODAY)


def test_a_mistyped_credit_code_is_explained_as_a_credit_code() -> None:
    assert codes("91110000600037341N") == [("check", 18)]


def test_an_embedded_organisation_code_mismatch_is_a_warning() -> None:
    from stdnum.cn import uscc

    body = "91110000600037342"  # organisation code 60003734-2, whose check is 1
    document = identify(body + uscc.calc_check_digit(body), today=TODAY)
    assert [w.code for w in document.warnings] == ["organisation_code_check"]


def test_foreign_card_2017_with_an_unknown_nationality_names_the_code() -> None:
    body = "KAA11009012310"
    assert ("nationality", 1) in codes(body + icao_check(body))


def test_foreign_card_2023_with_an_unknown_numeric_nationality_is_refused() -> None:
    body = "91199919901231002"
    assert ("nationality", 4) in codes(body + mod11_2_check(body))


TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)


def test_mrz_lines_run_together_are_read() -> None:
    assert identify("".join(TD3), today=TODAY).number == "L898902C3"


def test_mrz_with_crlf_and_trailing_terminator_is_read() -> None:
    assert identify("\r\n".join(TD3) + "\r\n", today=TODAY).surname == "ERIKSSON"


def test_an_expired_passport_is_flagged_not_rejected() -> None:
    document = identify("\n".join(TD3), today=TODAY)
    assert document.is_expired(TODAY) is True
    assert [w.code for w in document.warnings] == ["expired"]
    assert document.is_expired(dt.date(2010, 1, 1)) is False


def test_mrz_with_a_wrong_line_length_says_what_it_read() -> None:
    with pytest.raises(InvalidDocumentError) as caught:
        identify(TD3[0] + "\n" + TD3[1][:-1], today=TODAY)
    assert caught.value.problems[0].code == "mrz_layout"
    assert "44 + 43" in caught.value.message_en


def test_mrz_with_a_bad_character_names_line_and_column() -> None:
    line = TD3[1][:5] + "?" + TD3[1][6:]
    with pytest.raises(InvalidDocumentError) as caught:
        identify(TD3[0] + "\n" + line, today=TODAY)
    problem = caught.value.problems[0]
    assert problem.code == "mrz_character"
    assert "line 2, character 6" in problem.message_en


def test_mrz_birth_date_check_digit_is_verified() -> None:
    line = TD3[1][:19] + "3" + TD3[1][20:]
    assert ("mrz_check", 64) in codes(TD3[0] + "\n" + line)


def test_td1_with_a_long_document_number_is_read() -> None:
    # ICAO 9303 part 5: a number over 9 characters continues in the optional data.
    number = "D23145890123"
    check = icao_check(number)
    line1 = f"I<UTO{number[:9]}<{number[9:]}{check}".ljust(30, "<")
    line2 = "7408122F1204159UTO<<<<<<<<<<<"
    composite = icao_check(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    line3 = "ERIKSSON<<ANNA<MARIA".ljust(30, "<")
    document = identify("\n".join([line1, line2 + composite, line3]), today=TODAY)
    assert document.number == number


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("371602198601115150", "3716**********5150"),
        ("L898902C3", "L8*****C3"),
        ("KAZ110090123105", "KAZ1*******3105"),
    ],
)
def test_numbers_are_masked_for_display(number: str, masked: str) -> None:
    assert mask_number(number) == masked


@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u200e", "\u00ad", "\u2060"])
def test_invisible_characters_from_a_paste_are_dropped(invisible: str) -> None:
    assert identify(VALID[:9] + invisible + VALID[9:], today=TODAY).number == VALID


def test_a_date_typo_is_reported_before_the_check_it_breaks() -> None:
    assert codes("371602198613115150") == [("date", 7), ("check", 18)]


def test_a_wrong_mrz_field_check_does_not_also_blame_the_composite() -> None:
    line = TD3[1][:9] + "7" + TD3[1][10:]
    assert codes(TD3[0] + "\n" + line) == [("mrz_check", 54)]


def test_an_impossible_mrz_date_comes_before_its_check_digit() -> None:
    line = TD3[1][:15] + "13" + TD3[1][17:]  # birth month 13
    problems = codes(TD3[0] + "\n" + line)
    assert problems[0] == ("mrz_date", 58)


def test_a_lone_emoji_is_unrecognised() -> None:
    assert codes("😀") == [("unrecognised", None)]
