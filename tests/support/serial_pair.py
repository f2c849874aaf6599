"""A real virtual serial pair (socat) and the reader simulator serving one end.

Unplugging is stopping socat; plugging back is starting it again under another name.
"""

from __future__ import annotations

import os
import selectors
import subprocess
import threading
import time
from pathlib import Path

from desk_app.devices.serial_reader import ReaderTimings
from desk_app.devices.simulator import ReaderSimulator, serve_port

# Short waits: the pair answers in microseconds; a real reader gets the defaults.
FAST = ReaderTimings(
    poll_interval_s=0.02,
    reconnect_interval_s=0.05,
    reply_timeout_s=0.3,
    read_timeout_s=0.6,
    quiet_gap_s=0.05,
    resends=2,
    read_chunk_s=0.01,
)
WAIT_S = 5.0


class SerialPair:
    """A socat pty pair that can be unplugged (stopped) and plugged back (started)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.generation = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.reader_path = ""
        self.sim_path = ""

    def plug(self) -> None:
        """Start socat under new link names and wait until it moves data."""
        self.generation += 1
        self.reader_path = str(self.folder / f"reader-{self.generation}")
        self.sim_path = str(self.folder / f"sim-{self.generation}")
        process = subprocess.Popen(
            [
                "socat",
                "-d",
                "-d",
                f"pty,raw,echo=0,link={self.reader_path}",
                f"pty,raw,echo=0,link={self.sim_path}",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        self.process = process
        assert process.stderr is not None
        log = b""
        deadline = time.monotonic() + WAIT_S
        try:
            with selectors.DefaultSelector() as selector:
                # Unbuffered reads: a buffered readline could keep the last line from
                # the selector.
                selector.register(process.stderr.fileno(), selectors.EVENT_READ)
                while b"starting data transfer loop" not in log:
                    left = deadline - time.monotonic()
                    assert left > 0, f"socat did not start: {log!r}"
                    if selector.select(left):
                        data = os.read(process.stderr.fileno(), 4096)
                        assert data, f"socat ended: {log!r}"
                        log += data
        except BaseException:
            self.unplug()
            raise

    def unplug(self) -> None:
        """Stop socat: both ends go away, as when a USB reader is pulled out."""
        process, self.process = self.process, None
        if process is not None:
            process.terminate()
            process.communicate(timeout=WAIT_S)


class SimulatorThread:
    """The simulator serving the pair's simulator end on a thread."""

    def __init__(self, simulator: ReaderSimulator) -> None:
        self.simulator = simulator
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, path: str) -> None:
        self.stop_event = threading.Event()
        ready = threading.Event()
        self.thread = threading.Thread(
            target=serve_port,
            args=(path, self.simulator, self.stop_event, 115200, ready),
            daemon=True,
        )
        self.thread.start()
        assert ready.wait(WAIT_S)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(WAIT_S)
            assert not self.thread.is_alive()
