"""The real serial reader code against the simulator, through a real virtual serial pair.

socat makes a pair of ptys (``reader-N`` and ``sim-N`` links in ``tmp_path``); the
simulator serves one end on a thread, the reader code opens the other with pyserial.
Unplugging is stopping socat; plugging back is starting it again under another name.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from desk_app.devices.card import (
    CardContentError,
    CardRead,
    CardReaderError,
    CardType,
    ReaderProtocolError,
    ReaderSettingsError,
    ReaderTimeoutError,
    ReaderUnavailableError,
)
from desk_app.devices.reader_cli import read_command, simulate_command
from desk_app.devices.sam import Command, ReaderStatusError, split_read_data
from desk_app.devices.serial_reader import (
    CardReader,
    ReaderState,
    SamSerialDriver,
    glob_port,
)
from desk_app.devices.simulator import (
    NOISE,
    SYNTHETIC_PEOPLE,
    ReaderSimulator,
    SyntheticPerson,
)
from desk_app.errors import Fault
from desk_app.identity import DocumentKind
from tests.support.serial_pair import FAST, WAIT_S, SerialPair, SimulatorThread

pytestmark = [
    pytest.mark.timeout(30),
    pytest.mark.skipif(shutil.which("socat") is None, reason="needs socat"),
]

RESIDENT = SYNTHETIC_PEOPLE["371602198601115150"]
PERMIT = SYNTHETIC_PEOPLE["810000199408230021"]
FOREIGN_2017 = SYNTHETIC_PEOPLE["KAZ110090123105"]
FOREIGN_2023 = SYNTHETIC_PEOPLE["911398199012310021"]


@pytest.fixture
def pair(tmp_path: Path) -> Iterator[SerialPair]:
    """A plugged-in virtual serial pair."""
    serial_pair = SerialPair(tmp_path)
    serial_pair.plug()
    yield serial_pair
    serial_pair.unplug()


@pytest.fixture
def simulator() -> ReaderSimulator:
    """The simulated reader, resident card on it."""
    return ReaderSimulator(RESIDENT)


@pytest.fixture
def served(pair: SerialPair, simulator: ReaderSimulator) -> Iterator[SimulatorThread]:
    """The simulator serving the pair."""
    runner = SimulatorThread(simulator)
    runner.start(pair.sim_path)
    yield runner
    runner.stop()


@pytest.fixture
def reader(pair: SerialPair, served: SimulatorThread) -> Iterator[CardReader]:
    """The real reader code on the pair's reader end."""
    with CardReader(pair.reader_path, timings=FAST) as card_reader:
        yield card_reader


def state_of(card_reader: CardReader) -> ReaderState:
    """The state now (a call, so that type narrowing does not outlive a poll)."""
    return card_reader.state


# --- Every card type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("person", "card_type", "kind"),
    [
        (RESIDENT, CardType.RESIDENT, DocumentKind.RESIDENT_ID),
        (PERMIT, CardType.HMT_PERMIT, DocumentKind.RESIDENCE_PERMIT),
        (FOREIGN_2017, CardType.FOREIGN_2017, DocumentKind.FOREIGN_PERMANENT_RESIDENCE),
        (FOREIGN_2023, CardType.FOREIGN_2023, DocumentKind.FOREIGN_PERMANENT_RESIDENCE),
    ],
    ids=["resident", "hmt_permit", "foreign_2017", "foreign_2023"],
)
def test_every_card_type_is_read(
    reader: CardReader,
    simulator: ReaderSimulator,
    person: SyntheticPerson,
    card_type: CardType,
    kind: DocumentKind,
) -> None:
    simulator.place(person)
    card = reader.poll_once()
    assert card is not None
    assert (card.card_type, card.kind, card.number) == (card_type, kind, person.number)
    assert card.document.number == person.number
    assert card.name == person.name
    assert card.photo == person.photo()
    assert simulator.commands == [Command.FIND_CARD, Command.SELECT_CARD, Command.READ_TEXT_PHOTO]
    assert reader.state is ReaderState.CARD_READ


# --- A bad line ----------------------------------------------------------------------------


def test_replies_split_into_many_small_reads(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(fragment=7, fragment_pause_s=0.0005)
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number
    assert simulator.commands.count(Command.READ_TEXT_PHOTO) == 1


def test_several_replies_in_one_read(reader: CardReader, simulator: ReaderSimulator) -> None:
    # Each reply comes with a late copy of the previous one in front, in one write.
    simulator.set(merge=True)
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number
    assert simulator.reads == 1
    assert reader.poll_once() is None  # the late read reply is not a second card


def test_a_late_error_reply_is_not_taken_for_the_next_find(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(merge=True)
    simulator.fail(Command.SELECT_CARD, 0x81, times=1)
    with pytest.raises(ReaderStatusError) as caught:
        reader.poll_once()
    assert caught.value.status == 0x81
    # The next find comes behind a late copy of the 81: it still finds the card.
    card = reader.poll_once()
    assert card is not None
    assert simulator.reads == 1


def test_noise_before_every_reply(reader: CardReader, simulator: ReaderSimulator) -> None:
    simulator.set(noise=NOISE * 3)
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number


def test_noise_fragments_and_merges_together(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(noise=NOISE, merge=True, fragment=13, fragment_pause_s=0.0002)
    simulator.place(FOREIGN_2023)
    card = reader.poll_once()
    assert card is not None
    assert card.card_type is CardType.FOREIGN_2023


def test_a_damaged_reply_is_asked_for_again(reader: CardReader, simulator: ReaderSimulator) -> None:
    simulator.set(corrupt=2)
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number
    assert simulator.commands == [
        Command.FIND_CARD,
        Command.FIND_CARD,
        Command.FIND_CARD,
        Command.SELECT_CARD,
        Command.READ_TEXT_PHOTO,
    ]


def test_only_damaged_replies_is_a_protocol_error(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(corrupt=1000)
    with pytest.raises(ReaderProtocolError) as caught:
        reader.poll_once()
    assert caught.value.fault is Fault.ENVIRONMENT
    assert "校验" in caught.value.message_zh
    assert simulator.commands == [Command.FIND_CARD] * 3


def test_a_command_the_reader_got_garbled_is_sent_again(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.fail(Command.SELECT_CARD, 0x10, times=1)
    card = reader.poll_once()
    assert card is not None
    assert simulator.commands.count(Command.SELECT_CARD) == 2


# --- Error statuses ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "status", "fault", "transient"),
    [
        (Command.READ_TEXT_PHOTO, 0x41, Fault.INPUT, True),
        (Command.READ_TEXT_PHOTO, 0x33, Fault.INPUT, True),
        (Command.SELECT_CARD, 0x81, Fault.INPUT, True),
        (Command.SELECT_CARD, 0x32, Fault.INPUT, True),
        (Command.FIND_CARD, 0x60, Fault.ENVIRONMENT, False),
        (Command.FIND_CARD, 0x66, Fault.ENVIRONMENT, False),
        (Command.READ_TEXT_PHOTO, 0x40, Fault.INPUT, False),
    ],
)
def test_an_error_status_is_a_typed_error_and_the_card_is_read_once_it_clears(
    reader: CardReader,
    simulator: ReaderSimulator,
    command: Command,
    status: int,
    fault: Fault,
    transient: bool,
) -> None:
    simulator.fail(command, status)
    with pytest.raises(ReaderStatusError) as caught:
        reader.poll_once()
    error = caught.value
    assert (error.status, error.command, error.fault, error.transient) == (
        status,
        command,
        fault,
        transient,
    )
    assert error.message_zh
    assert error.message_en
    simulator.heal()
    card = reader.poll_once()
    assert card is not None
    assert card.number == RESIDENT.number


def test_a_card_whose_number_is_invalid_is_reported_once(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    forged = dataclasses.replace(RESIDENT, number="371602198601115151")
    simulator.place(forged)
    with pytest.raises(CardContentError) as caught:
        reader.poll_once()
    assert caught.value.fault is Fault.INPUT
    assert [p.code for p in caught.value.problems] == ["check"]
    assert reader.poll_once() is None  # not read again until taken away
    assert simulator.reads == 1


def test_the_reader_does_not_answer(pair: SerialPair) -> None:
    # Nobody serves the other end: a reader that is switched off or at another speed.
    with (
        CardReader(pair.reader_path, timings=FAST) as silent,
        pytest.raises(ReaderTimeoutError) as caught,
    ):
        silent.poll_once()
    assert caught.value.fault is Fault.ENVIRONMENT


def test_a_baud_rate_readers_do_not_speak_is_refused() -> None:
    with pytest.raises(ReaderSettingsError) as caught:
        CardReader("/dev/null", 12345)
    assert caught.value.fault is Fault.INPUT


# --- Placements ----------------------------------------------------------------------------


def test_a_card_left_on_the_reader_is_read_once(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    assert reader.poll_once() is not None
    for _ in range(5):
        assert reader.poll_once() is None
    assert simulator.reads == 1
    assert state_of(reader) is ReaderState.CARD_READ
    simulator.remove()
    assert reader.poll_once() is None
    assert state_of(reader) is ReaderState.WAITING
    simulator.place(RESIDENT)
    again = reader.poll_once()
    assert again is not None
    assert again.number == RESIDENT.number
    assert simulator.reads == 2


def test_a_reader_that_goes_quiet_after_a_read_still_reads_once(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(quiet_after_read=True)
    assert reader.poll_once() is not None
    assert [reader.poll_once() for _ in range(3)] == [None] * 3
    assert simulator.reads == 1


def test_a_reader_that_refuses_to_select_a_card_already_read(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    assert reader.poll_once() is not None
    simulator.fail(Command.SELECT_CARD, 0x81)
    assert reader.poll_once() is None
    assert simulator.reads == 1


def test_a_card_swapped_between_two_polls_is_read_when_the_reader_gives_serials(
    reader: CardReader, simulator: ReaderSimulator
) -> None:
    simulator.set(serials=True)
    assert reader.poll_once() is not None
    simulator.place(PERMIT)
    card = reader.poll_once()
    assert card is not None
    assert card.number == PERMIT.number


def test_no_card_for_a_long_time_is_polled_at_a_bounded_pace(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    simulator.remove()
    pace = dataclasses.replace(FAST, poll_interval_s=0.05)
    cards: list[CardRead] = []
    errors: list[CardReaderError] = []
    stop = threading.Event()
    card_reader = CardReader(pair.reader_path, timings=pace)
    worker = threading.Thread(target=card_reader.run, args=(cards.append, errors.append, stop))
    started = time.monotonic()
    worker.start()
    try:
        assert simulator.wait_for(8, WAIT_S)
        elapsed = time.monotonic() - started
    finally:
        stop.set()
        worker.join(WAIT_S)
    assert not worker.is_alive()
    # Eight finds need at least seven pauses: no busy loop.
    assert elapsed >= 7 * pace.poll_interval_s
    assert set(simulator.commands) == {Command.FIND_CARD}
    assert (cards, errors) == ([], [])
    assert card_reader.state is ReaderState.DISCONNECTED  # closed when the loop ended


# --- Unplugged and plugged back -----------------------------------------------------------


def test_unplugged_and_plugged_back_under_another_name(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    read = threading.Event()
    lost = threading.Event()
    cards: list[CardRead] = []
    errors: list[CardReaderError] = []
    states: list[ReaderState] = []

    def on_card(card: CardRead) -> None:
        cards.append(card)
        read.set()

    def on_error(error: CardReaderError) -> None:
        errors.append(error)
        lost.set()

    stop = threading.Event()
    card_reader = CardReader(glob_port(str(pair.folder / "reader-*")), timings=FAST)
    worker = threading.Thread(target=card_reader.run, args=(on_card, on_error, stop, states.append))
    worker.start()
    try:
        assert read.wait(WAIT_S)
        read.clear()
        served.stop()
        pair.unplug()
        assert lost.wait(WAIT_S)
        # Several reconnection attempts while it is away: still one message.
        attempts = time.monotonic()
        while time.monotonic() - attempts < 10 * FAST.reconnect_interval_s:
            assert not read.wait(FAST.reconnect_interval_s)
        simulator.place(PERMIT)
        pair.plug()
        served.start(pair.sim_path)
        assert read.wait(WAIT_S)
    finally:
        stop.set()
        worker.join(WAIT_S)
    assert not worker.is_alive()
    assert pair.reader_path.endswith("reader-2")
    assert [c.number for c in cards] == [RESIDENT.number, PERMIT.number]
    assert len(errors) == 1
    assert isinstance(errors[0], ReaderUnavailableError)
    assert errors[0].fault is Fault.ENVIRONMENT
    assert states[:3] == [ReaderState.CARD_READ, ReaderState.DISCONNECTED, ReaderState.CARD_READ]


def test_poll_once_reconnects_by_itself(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    paths = [pair.reader_path]
    with CardReader(lambda: paths[-1], timings=FAST) as card_reader:
        assert card_reader.poll_once() is not None
        served.stop()
        pair.unplug()
        with pytest.raises(ReaderUnavailableError):
            card_reader.poll_once()
        assert card_reader.state is ReaderState.DISCONNECTED
        with pytest.raises(ReaderUnavailableError):
            card_reader.poll_once()  # still away: the link is gone
        pair.plug()
        served.start(pair.sim_path)
        paths.append(pair.reader_path)
        card = card_reader.poll_once()
    # Readers report no card serial: after a replug the card on it is read again.
    assert card is not None
    assert card.number == RESIDENT.number


# --- The driver on its own ----------------------------------------------------------------


def test_read_with_fingerprints(pair: SerialPair, served: SimulatorThread) -> None:
    driver = SamSerialDriver(pair.reader_path, timings=FAST)
    driver.open()
    try:
        reply = driver.transact(Command.READ_WITH_FINGERPRINT)
    finally:
        driver.close()
    data = split_read_data(reply.data, with_fingerprint=True)
    assert (data.text, data.fingerprint) == (RESIDENT.text_block(), b"")


# --- The command line ---------------------------------------------------------------------


def test_read_command_prints_the_card(pair: SerialPair, served: SimulatorThread) -> None:
    code, out = read_command(pair.reader_path, 115200, 3.0, timings=FAST)
    assert code == 0
    assert {
        "kind",
        "number",
        "name",
        "sex",
        "nation",
        "birth_date",
        "address",
        "authority",
        "valid_from",
        "valid_to",
        "card_type",
    } <= out.keys()
    assert (out["number"], out["card_type"], out["nation"]) == (RESIDENT.number, "resident", "汉")
    json.dumps(out, ensure_ascii=False)


def test_read_command_without_a_card_exits_3(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    simulator.remove()
    started = time.monotonic()
    code, out = read_command(pair.reader_path, 115200, 0.3, timings=FAST)
    assert code == 3
    assert time.monotonic() - started < 2.0
    assert out["error"]
    assert out["error_en"]


def test_read_command_on_a_missing_port_exits_4(tmp_path: Path) -> None:
    code, out = read_command(str(tmp_path / "no-such-port"), 115200, 5.0, timings=FAST)
    assert code == 4
    assert out["fault"] == "environment"
    assert "阅读器" in out["error"]


def test_read_command_with_a_broken_reader_exits_4_at_once(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    simulator.fail(Command.FIND_CARD, 0x60)
    started = time.monotonic()
    code, out = read_command(pair.reader_path, 115200, 10.0, timings=FAST)
    assert (code, out["status"]) == (4, 0x60)
    assert time.monotonic() - started < 3.0


def test_read_command_with_a_card_that_keeps_failing_exits_4_at_the_timeout(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    simulator.fail(Command.READ_TEXT_PHOTO, 0x41)
    code, out = read_command(pair.reader_path, 115200, 0.3, timings=FAST)
    assert (code, out["status"], out["fault"]) == (4, 0x41, "input")


def test_read_command_with_a_card_that_fails_once_reads_it(
    pair: SerialPair, served: SimulatorThread, simulator: ReaderSimulator
) -> None:
    simulator.fail(Command.READ_TEXT_PHOTO, 0x41, times=1)
    code, out = read_command(pair.reader_path, 115200, 3.0, timings=FAST)
    assert (code, out["number"]) == (0, RESIDENT.number)


def test_read_command_with_an_unknown_baud_rate_exits_4(pair: SerialPair) -> None:
    code, out = read_command(pair.reader_path, 14400, 1.0, timings=FAST)
    assert (code, out["fault"]) == (4, "input")


def test_simulate_command_serves_a_reader_for_read_command(pair: SerialPair) -> None:
    stop = threading.Event()
    result: list[int] = []
    worker = threading.Thread(
        target=lambda: result.append(
            simulate_command(pair.sim_path, FOREIGN_2017.number, 115200, stop=stop)
        )
    )
    worker.start()
    try:
        code, out = read_command(pair.reader_path, 115200, 3.0, timings=FAST)
    finally:
        stop.set()
        worker.join(WAIT_S)
    assert (code, out["card_type"], out["number"]) == (0, "foreign_2017", FOREIGN_2017.number)
    assert result == [0]


def test_simulate_command_refuses_a_number_that_is_not_a_card(
    pair: SerialPair, capsys: pytest.CaptureFixture[str]
) -> None:
    assert simulate_command(pair.sim_path, "371602198601115151", 115200) == 2
    assert "not a card number" in capsys.readouterr().err


def test_simulate_command_on_a_missing_port_exits_4(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert simulate_command(str(tmp_path / "none"), RESIDENT.number, 115200) == 4
    err = capsys.readouterr().err
    assert "cannot open" in err
    assert RESIDENT.number not in err


def test_a_card_swapped_while_the_reader_was_silent_is_read(
    pair: SerialPair,
    simulator: ReaderSimulator,
    served: SimulatorThread,
    reader: CardReader,
) -> None:
    first = reader.poll_once()
    assert first is not None
    served.stop()  # the reader stops answering (reset, power lost)
    with pytest.raises(ReaderTimeoutError):
        reader.poll_once()
    assert reader.state is ReaderState.DISCONNECTED
    simulator.place(PERMIT)
    served.start(pair.sim_path)
    second = reader.poll_once()
    assert second is not None
    assert second.number == PERMIT.number
