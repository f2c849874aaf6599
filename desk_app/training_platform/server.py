"""Run the training platform: standalone (``desk-platform serve``) or embedded in a thread."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from types import TracebackType

import uvicorn

from desk_app.training_platform import models
from desk_app.training_platform.api import create_app

STARTUP_TIMEOUT_S = 15.0
SHUTDOWN_TIMEOUT_S = 10.0


class PlatformStartError(RuntimeError):
    """The embedded platform did not start (port taken, data folder unusable)."""


class EmbeddedPlatform:
    """The training platform on a loopback port, in a thread of this process.

    Use as a context manager, or call :meth:`start` and :meth:`stop`.

    Args:
        data_dir: where the platform keeps its SQLite file.
        host: the address to bind (loopback by default).
        port: the port; 0 picks a free one.
        knobs: initial training knobs.
        seed: seed of the synthetic residents for a new data folder.
        tls: ``(certificate file, key file)`` to serve HTTPS, as a city's server does.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        knobs: models.Knobs | None = None,
        seed: int | None = None,
        tls: tuple[Path, Path] | None = None,
    ) -> None:
        self.app = create_app(data_dir, knobs=knobs, seed=seed)
        self._scheme = "https" if tls else "http"
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._socket.bind((host, port))
        self.host, self.port = self._socket.getsockname()[:2]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            # Uvicorn's access log prints query strings, which can carry a document number.
            access_log=False,
            timeout_graceful_shutdown=2,
            ssl_certfile=str(tls[0]) if tls else None,
            ssl_keyfile=str(tls[1]) if tls else None,
        )
        self._server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"{self._scheme}://{self.host}:{self.port}"

    @property
    def knobs(self) -> models.Knobs:
        """The live knobs (tests may set them directly instead of over HTTP)."""
        knobs: models.Knobs = self.app.state.service.knobs
        return knobs

    def start(self) -> EmbeddedPlatform:
        """Start serving; returns once the server accepts connections.

        Raises:
            PlatformStartError: when it did not come up in time.
        """
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="training-platform",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise PlatformStartError("the training platform did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and wait (bounded) for the thread; close the database."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(SHUTDOWN_TIMEOUT_S)
        self._socket.close()
        self.app.state.service.db.close()

    def __enter__(self) -> EmbeddedPlatform:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def serve(data_dir: Path, host: str, port: int, seed: int | None = None) -> None:
    """Serve in the foreground until interrupted (``desk-platform serve``)."""
    app = create_app(data_dir, seed=seed)
    uvicorn.run(app, host=host, port=port, access_log=False, log_level="info")
