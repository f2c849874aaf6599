"""The training platform in a process of its own, as the city's platform is to a desk.

``desk-platform serve --port 0`` on the loopback: the desk under test shares no Python
interpreter (and no GIL) with it, so what a drill measures of the desk's window is the
desk's own. Knobs are set over HTTP with the trainer's credentials, as a trainer does;
the platform's records are read from its SQLite file, read-only.
"""

from __future__ import annotations

import queue
import re
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from urllib.parse import quote

import requests

from desk_app.training_platform.models import Knobs

TRAINER = ("training-trainer", "training-trainer-secret")
START_TIMEOUT_S = 60.0
TIMEOUT_S = (3.05, 10.0)
_LISTENING = re.compile(r"Uvicorn running on (http://127\.0\.0\.1:\d+)")


def _lines(stream: IO[str], into: queue.Queue[str | None]) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


class PlatformProcess:
    """``desk-platform serve`` on a free loopback port, for the length of a ``with`` block.

    Args:
        data_dir: the platform's data folder.

    Attributes:
        url: where it listens (once started).
    """

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.url = ""
        self._process: subprocess.Popen[str] | None = None
        self._output: list[str] = []
        self._readers: list[threading.Thread] = []
        self._session = requests.Session()
        self._session.trust_env = False

    def __enter__(self) -> PlatformProcess:
        process = subprocess.Popen(
            [sys.executable, "-m", "desk_app.training_platform.cli", "serve",
             "--host", "127.0.0.1", "--port", "0", "--data", str(self.data_dir)],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            text=True, encoding="utf-8",
        )  # fmt: skip
        self._process = process
        assert process.stdout is not None
        lines: queue.Queue[str | None] = queue.Queue()
        # A thread reads, so that a silent process cannot outlast the deadline.
        self._readers.append(
            threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True)
        )
        self._readers[-1].start()
        deadline = time.monotonic() + START_TIMEOUT_S
        while not self.url:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                line = None
            if line is None:
                self.__exit__(None, None, None)
                raise RuntimeError("the platform did not start:\n" + "".join(self._output))
            self._output.append(line)
            found = _LISTENING.search(line)
            if found:
                self.url = found.group(1)
        self._readers.append(threading.Thread(target=self._keep, args=(lines,), daemon=True))
        self._readers[-1].start()
        return self

    def _keep(self, lines: queue.Queue[str | None]) -> None:
        while (line := lines.get()) is not None:
            self._output.append(line)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._session.close()
        process = self._process
        if process is None:
            return
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        # The process is gone: its pipe reaches its end, the readers stop, the pipe closes.
        for reader in self._readers:
            reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()

    @property
    def output(self) -> str:
        """What the platform printed (its log)."""
        return "".join(self._output)

    def set_knobs(self, knobs: Knobs) -> None:
        """Replace the platform's knobs, as a trainer does (``PUT /v1/training/knobs``)."""
        token = self._session.post(
            self.url + "/v1/token",
            json={"client_id": TRAINER[0], "client_secret": TRAINER[1]},
            headers={"X-Counter-Id": "TRAINER"},
            timeout=TIMEOUT_S,
        )
        token.raise_for_status()
        answer = self._session.put(
            self.url + "/v1/training/knobs",
            json=knobs.model_dump(),
            headers={
                "Authorization": f"Bearer {token.json()['access_token']}",
                "X-Counter-Id": "TRAINER",
            },
            timeout=TIMEOUT_S,
        )
        answer.raise_for_status()

    def rows(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """Rows of the platform's SQLite file, opened read-only."""
        import sqlite3

        path = self.data_dir / "training-platform.sqlite3"
        uri = f"file:{quote(str(path))}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            return list(db.execute(sql, params).fetchall())
