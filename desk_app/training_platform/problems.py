"""Errors of the platform contract: RFC 9457 problem details with a stable code."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

PROBLEM_TYPE_BASE = "urn:deposit-free:problem:"
PROBLEM_MEDIA_TYPE = "application/problem+json"


class ApiProblem(Exception):  # noqa: N818 - the contract calls these problems
    """A refusal the platform answers with a problem-details body.

    Args:
        status: the HTTP status.
        code: stable machine-readable code (the ``code`` member).
        message_zh: the clerk's message in Chinese.
        message_en: the same in English.
        errors: field errors for 422: ``{"field", "code", "message"}`` each.
        headers: extra response headers (``Retry-After``).
    """

    def __init__(
        self,
        status: int,
        code: str,
        message_zh: str,
        message_en: str,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {message_en}")
        self.status = status
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.errors = errors or []
        self.headers = dict(headers or {})

    def body(self, instance: str) -> dict[str, Any]:
        """The problem-details JSON object."""
        out: dict[str, Any] = {
            "type": PROBLEM_TYPE_BASE + self.code,
            # Stable per problem type (RFC 9457): the code in words.
            "title": self.code.replace("_", " ").capitalize(),
            "status": self.status,
            "detail": self.message_en,
            "instance": instance,
            "code": self.code,
            "message": {"zh": self.message_zh, "en": self.message_en},
        }
        if self.errors:
            out["errors"] = self.errors
        return out


def not_found(what_zh: str, what_en: str) -> ApiProblem:
    """A 404 for a named thing."""
    return ApiProblem(404, "not_found", f"{what_zh}不存在。", f"{what_en} does not exist.")


def unprocessable(field: str, code: str, message_zh: str, message_en: str) -> ApiProblem:
    """A 422 about one field."""
    return ApiProblem(
        422,
        code,
        message_zh,
        message_en,
        errors=[{"field": field, "code": code, "message": message_zh, "message_en": message_en}],
    )
