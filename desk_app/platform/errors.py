"""Typed errors of the platform client: whose fault, and the clerk's message."""

from __future__ import annotations

from typing import Any

from desk_app.errors import DeskError, Fault


class PlatformError(DeskError):
    """Any failure talking to the city platform."""


class PlatformUnreachableError(PlatformError):
    """The platform could not be reached or is out of service: work offline.

    Args:
        detail: what happened, for the log (never an identity number).
        retry_after_s: when the platform said to come back, if it did.
    """

    fault = Fault.PLATFORM_UNREACHABLE

    def __init__(self, detail: str, retry_after_s: float | None = None) -> None:
        super().__init__(
            "连接不上信用平台，已转为离线处理。",
            "The credit platform cannot be reached; working offline.",
        )
        self.detail = detail
        self.retry_after_s = retry_after_s


class PlatformRefusedError(PlatformError):
    """The platform answered, and said no, with a reason (a problem-details body).

    Args:
        status: the HTTP status.
        code: the problem's stable code.
        message_zh: the platform's message in Chinese.
        message_en: the same in English.
        errors: field errors, for 422.
    """

    fault = Fault.PLATFORM_REFUSED

    def __init__(
        self,
        status: int,
        code: str,
        message_zh: str,
        message_en: str,
        errors: list[dict[str, Any]] | None = None,
    ) -> None:
        super().__init__(message_zh, message_en)
        self.status = status
        self.code = code
        self.errors = errors or []


class PlatformBadAnswerError(PlatformError):
    """The platform answered something that does not follow the contract.

    Args:
        detail: what was wrong with it, for the log.
    """

    fault = Fault.PLATFORM_BAD_ANSWER

    def __init__(self, detail: str) -> None:
        super().__init__(
            "信用平台的答复无法识别，已转为离线处理。请联系技术支持。",
            "The credit platform's answer cannot be read; working offline. Call support.",
        )
        self.detail = detail


class WrongPlatformError(PlatformError):
    """A training desk found a live platform, or a live desk a training one."""

    fault = Fault.ENVIRONMENT

    def __init__(self, expected: str, found: str) -> None:
        super().__init__(
            f"平台模式不符：本柜台为{_MODE_ZH.get(expected, expected)}，"
            f"平台为{_MODE_ZH.get(found, found)}。请联系主管检查设置。",
            f"Platform mode mismatch: this counter is {expected}, the platform is {found}. "
            "Ask the supervisor to check the settings.",
        )
        self.expected = expected
        self.found = found


_MODE_ZH = {"training": "培训模式", "live": "正式模式"}
