"""A call's result or its typed error, so a test can assert on either outside ``except``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

E = TypeVar("E", bound=BaseException)
R = TypeVar("R")


def result_or_error(
    call: Callable[..., R], typed: type[E], *args: object, **kwargs: object
) -> R | E:
    """``call(*args, **kwargs)``, or the ``typed`` error it raised; any other one escapes."""
    try:
        return call(*args, **kwargs)
    except typed as error:
        return error
