"""The bench's training platform: the embedded one, with its limits out of the way.

Kept apart from :mod:`desk_app.bench.scratch` so that the desk processes the bench starts
never import the training platform (FastAPI, uvicorn): a desk with a platform URL does not.
"""

from __future__ import annotations

import socket
from pathlib import Path

from desk_app.training_platform import models
from desk_app.training_platform.server import EmbeddedPlatform


def bench_knobs() -> models.Knobs:
    """Knobs for a bench: no rate limit in the way, tokens that outlive the run."""
    return models.Knobs(
        rate_limit_per_second=100_000.0, rate_limit_burst=100_000, token_ttl_seconds=86_400
    )


class BenchPlatform(EmbeddedPlatform):
    """The embedded training platform, with TCP_NODELAY on its connections.

    ``EmbeddedPlatform`` binds ``socket.socket(AF_INET, SOCK_STREAM)``, whose protocol
    number is 0; asyncio sets TCP_NODELAY on accepted connections only when it is
    ``IPPROTO_TCP``. Without it every answer on a kept-alive connection waits about 40 ms
    (the headers and the body go in two writes: Nagle's algorithm against the client's
    delayed ACK), which would drown what the bench measures, on both sides. The listening
    socket is replaced by one made with ``IPPROTO_TCP`` on the same port (once the
    platform's own socket is made so, this class is no longer needed).
    """

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir, knobs=bench_knobs())
        port = self.port
        self._socket.close()
        replacement = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        replacement.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        replacement.bind((self.host, port))
        self._socket = replacement
