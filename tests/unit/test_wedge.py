"""Keyboard-wedge input that arrives one line per Enter."""

from __future__ import annotations

from desk_app.devices.wedge import MrzLineAssembler, mrz_line_width

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)


def test_a_passport_typed_line_by_line_is_one_scan() -> None:
    assembler = MrzLineAssembler()
    assert assembler.feed(TD3[0]) == []
    assert assembler.pending_lines == 1
    assert assembler.feed(TD3[1]) == ["\n".join(TD3)]
    assert assembler.pending_lines == 0


def test_an_identity_card_zone_needs_three_lines() -> None:
    assembler = MrzLineAssembler()
    assert assembler.feed(TD1[0]) == []
    assert assembler.feed(TD1[1]) == []
    assert assembler.feed(TD1[2]) == ["\n".join(TD1)]


def test_an_ordinary_number_passes_straight_through() -> None:
    assert MrzLineAssembler().feed("371602198601115150") == ["371602198601115150"]


def test_a_zone_run_together_passes_straight_through() -> None:
    assert MrzLineAssembler().feed("".join(TD3)) == ["".join(TD3)]


def test_an_unfinished_zone_is_handed_over_when_something_else_arrives() -> None:
    assembler = MrzLineAssembler()
    assembler.feed(TD3[0])
    assert assembler.feed("371602198601115150") == [TD3[0], "371602198601115150"]


def test_a_line_of_another_width_closes_the_unfinished_zone() -> None:
    assembler = MrzLineAssembler()
    assembler.feed(TD3[0])
    assert assembler.feed(TD1[0]) == [TD3[0]]
    assert assembler.pending_lines == 1


def test_reset_drops_the_unfinished_zone() -> None:
    assembler = MrzLineAssembler()
    assembler.feed(TD3[0])
    assembler.reset()
    assert assembler.feed("371602198601115150") == ["371602198601115150"]


def test_what_counts_as_an_mrz_line() -> None:
    assert mrz_line_width(TD3[0]) == 44
    assert mrz_line_width(TD1[2] + "\r") == 30
    assert mrz_line_width("371602198601115150") is None
    assert mrz_line_width("<" * 29) is None
