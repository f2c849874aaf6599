"""A tiny HTTP server on a loopback port that answers whatever a test tells it to.

The training platform always follows the contract (its knobs only break answers in a
few set ways); this server sends any status, any headers and any bytes, so tests can
drive the desk's platform client with answers no real server should send.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Answer:
    """One HTTP answer: status, headers and body bytes."""

    status: int = 200
    body: bytes = b"{}"
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)

    @classmethod
    def json(cls, value: Any, status: int = 200) -> Answer:
        """``value`` as a JSON body."""
        return cls(status, json.dumps(value, ensure_ascii=False).encode())


# Answers the server gives by path unless a test says otherwise: enough contract for a
# desk to get a token and its item list.
TOKEN = Answer.json(
    {
        "access_token": "fuzz-token",
        "token_type": "Bearer",
        "expires_in": 900,
        "institution_id": "BZ-H-0001",
        "institution_name": {"zh": "培训医院", "en": "Training hospital"},
    }
)


@dataclass
class Script:
    """What the server answers: a fixed answer per path, else ``fallback``."""

    by_path: dict[str, Answer] = field(default_factory=lambda: {"/v1/token": TOKEN})
    fallback: Answer = field(default_factory=Answer)
    requests: list[str] = field(default_factory=list, repr=False)

    def answer(self, method: str, path: str) -> Answer:
        """The answer to ``method path``; the request is noted."""
        self.requests.append(f"{method} {path}")
        return self.by_path.get(path, self.fallback)


def _handler(script: Script) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        # HTTP/1.0: one request per connection, so a broken answer cannot poison the next.
        protocol_version = "HTTP/1.0"

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                self.rfile.read(length)
            answer = script.answer(self.command, self.path)
            self.send_response(answer.status)
            for name, value in answer.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)

        def do_GET(self) -> None:
            self._serve()

        def do_POST(self) -> None:
            self._serve()

        def do_PUT(self) -> None:
            self._serve()

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test says what went wrong."""

    return Handler


@contextmanager
def answer_server() -> Iterator[tuple[str, Script]]:
    """Serve on 127.0.0.1 (a free port) for the ``with`` block: yields the URL and script."""
    script = Script()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(script))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="answer-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host!s}:{port}", script
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
