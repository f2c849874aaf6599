"""Money: integer fen end to end, yuan text parsed exactly."""

from __future__ import annotations

import pytest

from desk_app.domain.money import InvalidAmountError, format_fen, parse_yuan


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("60.40", 6040),
        ("60.4", 6040),
        ("60", 6000),
        ("0.01", 1),
        ("1,234.50", 123450),
        ("¥3000", 300000),
        ("￥3000.00", 300000),
        ("３０００．５０", 300050),
        (" 12.00 元", 1200),
        ("0", 0),
        ("0.1", 10),
        ("19999999.99", 1999999999),
    ],
)
def test_amounts_in_yuan_become_exact_fen(text: str, fen: int) -> None:
    assert parse_yuan(text) == fen


def test_three_decimals_are_refused_never_rounded() -> None:
    with pytest.raises(InvalidAmountError) as caught:
        parse_yuan("2.985")
    assert "两位小数" in caught.value.message_zh


@pytest.mark.parametrize("text", ["", "-5", "abc", "1e3", "1.2.3", "NaN", "inf", "12..0", "٣"])
def test_what_is_not_an_amount_is_refused(text: str) -> None:
    with pytest.raises(InvalidAmountError):
        parse_yuan(text)


def test_a_huge_amount_is_refused() -> None:
    with pytest.raises(InvalidAmountError):
        parse_yuan("100000000.01")


def test_float_artefacts_cannot_happen() -> None:
    # 0.1 + 0.2 in floats is 0.30000000000000004; here it is 30 fen exactly.
    assert parse_yuan("0.1") + parse_yuan("0.2") == parse_yuan("0.3")


@pytest.mark.parametrize(
    ("fen", "text"), [(123450, "¥1,234.50"), (1, "¥0.01"), (0, "¥0.00"), (-500, "-¥5.00")]
)
def test_fen_are_shown_as_yuan(fen: int, text: str) -> None:
    assert format_fen(fen) == text
