"""The HTTP surface of the training platform (FastAPI): routes, auth, problems, knobs.

Faults the knobs inject (latency, outage, 5xx, malformed answers) apply to every
path but ``/v1/training/*``, so a trainer can always turn them off again.
"""

import asyncio
import hashlib
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Header, Query, Request, Response
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from desk_app import __version__
from desk_app.training_platform import models
from desk_app.training_platform.db import PlatformDb
from desk_app.training_platform.institutions import Institution, Role
from desk_app.training_platform.problems import PROBLEM_MEDIA_TYPE, ApiProblem
from desk_app.training_platform.service import PlatformService

MAX_BODY_BYTES = 64 * 1024
# The contract's version: /v1 in paths, minor versions add optional fields.
CONTRACT_VERSION = "1.0.0"
API_TITLE = "City deposit-free credit platform"

log = logging.getLogger("desk_app.training_platform")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The counter header takes what a counter_id may be (models.Identifier).
_COUNTER = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")
# Anything in a logged path that could be a document number (six or more letters and
# digits with at least one digit, or an MRZ with fillers): masked before logging.
_NUMBER_LIKE = re.compile(r"(?=[0-9A-Za-z<-]*[0-9])[0-9A-Za-z<-]{6,}")


def _problem_response(problem: ApiProblem, instance: str) -> JSONResponse:
    return JSONResponse(
        problem.body(_NUMBER_LIKE.sub("***", instance)),
        status_code=problem.status,
        media_type=PROBLEM_MEDIA_TYPE,
        headers=problem.headers,
    )


def _problem_bytes(problem: ApiProblem, instance: str) -> tuple[bytes, list[tuple[bytes, bytes]]]:
    body = json.dumps(
        problem.body(_NUMBER_LIKE.sub("***", instance)), ensure_ascii=False, separators=(",", ":")
    ).encode()
    headers = [
        (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
        (b"content-length", str(len(body)).encode()),
    ]
    headers += [(k.lower().encode(), v.encode()) for k, v in problem.headers.items()]
    return body, headers


def _client_id(body_messages: list[Message]) -> str | None:
    """The ``client_id`` of a buffered token request, if it parses."""
    try:
        body = json.loads(b"".join(m.get("body", b"") for m in body_messages))
    except ValueError:
        return None
    value = body.get("client_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


class FaultsAndLimits:
    """ASGI middleware: request-size limit, training faults, redacted request log.

    Args:
        app: the wrapped application.
        service: the platform, for its knobs.
        rng: the source of the fault dice (seeded for repeatable drills).
    """

    def __init__(self, app: ASGIApp, service: PlatformService, rng: random.Random) -> None:
        self.app = app
        self.service = service
        self.rng = rng

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Handle one ASGI call."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.monotonic()
        path: str = scope["path"]
        status_seen: list[int] = []

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_seen.append(message["status"])
            await send(message)

        try:
            await self._handle(scope, receive, send_logged, path)
        finally:
            log.info(
                "%s %s -> %s in %.0f ms",
                scope["method"],
                _NUMBER_LIKE.sub("***", path),
                status_seen[0] if status_seen else "-",
                (time.monotonic() - started) * 1000,
            )

    async def _handle(self, scope: Scope, receive: Receive, send: Send, path: str) -> None:
        body_messages: list[Message] = []
        if scope["method"] in ("POST", "PUT", "PATCH"):
            size = 0
            while True:
                message = await receive()
                body_messages.append(message)
                size += len(message.get("body", b""))
                if size > MAX_BODY_BYTES:
                    await self._send_problem(
                        send,
                        ApiProblem(
                            413,
                            "payload_too_large",
                            f"请求内容过大（上限 {MAX_BODY_BYTES // 1024} KiB）。",
                            f"The request body is too large (limit {MAX_BODY_BYTES // 1024} KiB).",
                        ),
                        path,
                    )
                    return
                if message["type"] != "http.request" or not message.get("more_body"):
                    break

        async def replay() -> Message:
            if body_messages:
                return body_messages.pop(0)
            return await receive()

        knobs = self.service.knobs
        trainer_token = path == "/v1/token" and _client_id(body_messages) == "training-trainer"
        if path.startswith("/v1/training/") or trainer_token:
            await self.app(scope, replay, send)
            return
        if knobs.latency_ms:
            await asyncio.sleep(knobs.latency_ms / 1000)
        if knobs.outage:
            await self._send_problem(
                send,
                ApiProblem(
                    503,
                    "platform_outage",
                    "信用平台暂停服务。",
                    "The credit platform is out of service.",
                    headers={"Retry-After": "30"},
                ),
                path,
            )
            return
        if knobs.error_rate and self.rng.random() < knobs.error_rate:
            await self._send_problem(
                send,
                ApiProblem(
                    503, "injected_error", "信用平台内部错误。", "Internal error of the platform."
                ),
                path,
            )
            return
        if knobs.malformed_rate and self.rng.random() < knobs.malformed_rate:
            await self._send_malformed(scope, replay, send)
            return
        await self.app(scope, replay, send)

    async def _send_malformed(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run the request for real, then answer 200 with truncated JSON."""

        async def swallow(message: Message) -> None:
            return None

        await self.app(scope, receive, swallow)
        body = b'{"decision_id": "'
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _send_problem(self, send: Send, problem: ApiProblem, path: str) -> None:
        body, headers = _problem_bytes(problem, path)
        await send({"type": "http.response.start", "status": problem.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def create_app(
    data_dir: Path,
    *,
    seed: int | None = None,
    knobs: models.Knobs | None = None,
    fault_seed: int = 0,
) -> FastAPI:
    """Build the training platform's ASGI application.

    Args:
        data_dir: where its SQLite file lives.
        seed: seed of the synthetic residents when the file is new.
        knobs: initial knobs (default: no faults).
        fault_seed: seed of the dice that inject faults.

    Returns:
        The FastAPI application; ``app.state.service`` is the platform.
    """
    db = PlatformDb(data_dir) if seed is None else PlatformDb(data_dir, seed)
    service = PlatformService(db, knobs or models.Knobs())
    app = FastAPI(
        title=API_TITLE,
        version=CONTRACT_VERSION,
        summary="Contract between service-counter desks and the city credit platform.",
        description="See docs/platform-api.md. This server is the training platform.",
        openapi_url="/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.service = service
    app.openapi = lambda: _openapi(app)  # type: ignore[method-assign]
    _install_handlers(app)
    _install_routes(app)
    app.add_middleware(FaultsAndLimits, service=service, rng=random.Random(fault_seed))
    return app


def _openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's document, corrected: every error is a problem-details body."""
    if app.openapi_schema:
        return app.openapi_schema
    document = get_openapi(
        title=app.title,
        version=app.version,
        summary=app.summary,
        description=app.description,
        routes=app.routes,
    )
    problem = {
        PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}},
    }
    for operation in (op for path in document["paths"].values() for op in path.values()):
        for status, response in operation.get("responses", {}).items():
            if status.isdigit() and int(status) >= 400:
                if status == "422":
                    response["description"] = "Invalid fields (field errors in `errors`)"
                response["content"] = problem
    schemas = document.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        schemas.pop(unused, None)
    app.openapi_schema = document
    return document


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def on_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return _problem_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = exc.errors()
        if any(e.get("type") == "json_invalid" for e in errors):
            problem = ApiProblem(
                400,
                "malformed_json",
                "请求不是有效的 JSON。",
                "The request body is not valid JSON.",
            )
        else:
            problem = ApiProblem(
                422,
                "validation_failed",
                "请求内容有误：" + "；".join(_field(e) for e in errors[:5]),
                "The request is invalid: " + "; ".join(_field(e) for e in errors[:5]),
                errors=[
                    {
                        "field": _field(e),
                        "code": str(e.get("type")),
                        "message": f"字段 {_field(e)} 不符合要求：{e.get('msg')}",
                        "message_en": f"Field {_field(e)}: {e.get('msg')}",
                    }
                    for e in errors
                ],
            )
        return _problem_response(problem, request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def on_http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        problem = ApiProblem(
            exc.status_code, code, f"请求无法处理（{exc.status_code}）。", str(exc.detail)
        )
        return _problem_response(problem, request.url.path)

    @app.exception_handler(Exception)
    async def on_bug(request: Request, exc: Exception) -> JSONResponse:
        log.exception("internal error on %s", _NUMBER_LIKE.sub("***", request.url.path))
        problem = ApiProblem(
            500, "internal_error", "信用平台内部错误。", "Internal error of the platform."
        )
        return _problem_response(problem, request.url.path)


def _field(error: Any) -> str:
    location = [str(part) for part in error.get("loc", ()) if part not in ("body", "query")]
    return ".".join(location) or "body"


def _service(request: Request) -> PlatformService:
    service: PlatformService = request.app.state.service
    return service


Service = Annotated[PlatformService, Depends(_service)]


def _caller(
    service: Service,
    authorization: Annotated[str | None, Header()] = None,
    x_counter_id: Annotated[str | None, Header()] = None,
) -> tuple[Institution, str]:
    """The institution the bearer token names, and the counter the call comes from."""
    if not authorization or not authorization.lower().startswith("bearer "):
        raise ApiProblem(
            401,
            "unauthorized",
            "缺少登录凭证。",
            "A bearer token is required.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    institution = service.authenticate(authorization[7:].strip())
    counter = (x_counter_id or "").strip()
    if not _COUNTER.match(counter):
        raise ApiProblem(
            400,
            "counter_required",
            "请求缺少柜台编号（X-Counter-Id）。",
            "Every call carries its counter in the X-Counter-Id header "
            "(1-64 letters, digits, _ . : -).",
        )
    service.rate_limiter.check(institution.institution_id, counter)
    return institution, counter


Caller = Annotated[tuple[Institution, str], Depends(_caller)]


def _trainer(who: Caller) -> Institution:
    if who[0].role is not Role.TRAINER:
        raise ApiProblem(
            403,
            "trainer_only",
            "仅限培训讲师凭据。",
            "Only the trainer credential may do this.",
        )
    return who[0]


Trainer = Annotated[Institution, Depends(_trainer)]


def _same_counter(who: tuple[Institution, str], body_counter: str) -> None:
    if body_counter != who[1]:
        raise ApiProblem(
            422,
            "counter_mismatch",
            "请求体中的柜台编号与 X-Counter-Id 不一致。",
            "counter_id in the body differs from the X-Counter-Id header.",
        )


def _created(response: Response, was_created: bool) -> None:
    response.status_code = 201 if was_created else 200


_PROBLEMS: dict[int | str, dict[str, Any]] = {
    status: {"model": models.Problem, "description": description}
    for status, description in (
        (400, "Malformed JSON, or the counter header is missing"),
        (401, "No, unknown or expired token"),
        (403, "The credential may not do this"),
        (413, "Request body over 64 KiB"),
        (422, "Invalid fields (field errors in `errors`)"),
        (429, "Rate limited per counter (see Retry-After)"),
        (503, "Platform out of service"),
    )
}


def _install_routes(app: FastAPI) -> None:
    problems = _PROBLEMS

    @app.get("/v1/health", response_model=models.Health, tags=["platform"])
    def health(service: Service) -> dict[str, Any]:
        """Is the platform up, and is it a training platform?"""
        return {
            "status": "ok",
            "mode": "training",
            "version": CONTRACT_VERSION,
            "software_version": __version__,
            "time": service.clock.now().replace(microsecond=0),
        }

    @app.post("/v1/token", response_model=models.TokenAnswer, responses=problems, tags=["auth"])
    def token(body: models.TokenRequest, service: Service) -> dict[str, Any]:
        """Exchange an institution's client credentials for a short-lived bearer token."""
        return service.issue_token(body.client_id, body.client_secret)

    @app.get("/v1/items", response_model=models.ItemList, responses=problems, tags=["items"])
    def items(
        who: Caller,
        service: Service,
        response: Response,
        if_none_match: Annotated[str | None, Header()] = None,
    ) -> Any:
        """The management list for the caller's kind of institution, with an ETag."""
        listed = [item.to_json() for item in service.items_for(who[0])]
        digest = hashlib.sha256(json.dumps(listed, sort_keys=True).encode()).hexdigest()[:16]
        etag = f'"{digest}"'
        if if_none_match == etag:
            return Response(status_code=304, headers={"ETag": etag, "Cache-Control": "no-cache"})
        response.headers["ETag"] = etag
        response.headers["Cache-Control"] = "no-cache"
        return {"version": digest, "items": listed}

    @app.post(
        "/v1/decisions",
        response_model=models.Decision,
        status_code=201,
        responses={**problems, 200: {"description": "Replay of a known request_id"}},
        tags=["decisions"],
    )
    def decide(
        body: models.DecisionRequest, who: Caller, service: Service, response: Response
    ) -> dict[str, Any]:
        """Decide whether the deposit is waived for this person, item and institution."""
        _same_counter(who, body.counter_id)
        answer, was_created = service.decide(who[0], body.model_dump())
        _created(response, was_created)
        return answer

    @app.get("/v1/cases", response_model=models.CaseList, responses=problems, tags=["cases"])
    def cases(
        who: Caller,
        service: Service,
        subject: Annotated[str, Query(min_length=1, max_length=200)],
        kind: Annotated[models.DocumentKindName | None, Query()] = None,
    ) -> dict[str, Any]:
        """Open cases of one person at this institution (any counter)."""
        return service.open_cases(who[0], kind, subject)

    @app.post(
        "/v1/cases/search",
        response_model=models.CaseList,
        responses=problems,
        tags=["cases"],
    )
    def search_cases(who: Caller, service: Service, body: models.CaseSearch) -> dict[str, Any]:
        """The same as ``GET /v1/cases``, with the number in the body instead of the URL.

        Query strings end up in proxy and access logs; desks use this form.
        """
        return service.open_cases(who[0], body.subject.kind, body.subject.number)

    @app.post(
        "/v1/settlements",
        response_model=models.Settlement,
        status_code=201,
        responses={**problems, 200: {"description": "Replay of a known settlement_id"}},
        tags=["settlements"],
    )
    def settle(
        body: models.SettlementRequest, who: Caller, service: Service, response: Response
    ) -> dict[str, Any]:
        """Record the settlement of a case, idempotent on ``settlement_id``."""
        _same_counter(who, body.counter_id)
        answer, was_created = service.settle(who[0], body.model_dump())
        _created(response, was_created)
        return answer

    @app.post(
        "/v1/settlements/{settlement_id}/updates",
        response_model=models.SettlementUpdate,
        status_code=201,
        responses={**problems, 200: {"description": "Replay of a known update_id"}},
        tags=["settlements"],
    )
    def update(
        settlement_id: str,
        body: models.SettlementUpdateRequest,
        who: Caller,
        service: Service,
        response: Response,
    ) -> dict[str, Any]:
        """Record how a deferred settlement ended, idempotent on ``update_id``."""
        _same_counter(who, body.counter_id)
        answer, was_created = service.update_settlement(who[0], settlement_id, body.model_dump())
        _created(response, was_created)
        return answer

    @app.post(
        "/v1/reports/monthly",
        response_model=models.MonthlyReportAnswer,
        status_code=201,
        responses={**problems, 200: {"description": "Replay of the same month and revision"}},
        tags=["reports"],
    )
    def report(
        body: models.MonthlyReportRequest, who: Caller, service: Service, response: Response
    ) -> dict[str, Any]:
        """Take an institution's monthly operating data, idempotent per month and revision."""
        _same_counter(who, body.counter_id)
        answer, was_created = service.submit_report(who[0], body.model_dump())
        _created(response, was_created)
        return answer

    @app.get(
        "/v1/subjects/{number}/archive",
        response_model=models.Archive,
        responses=problems,
        tags=["training"],
    )
    def archive(number: str, _: Trainer, service: Service) -> dict[str, Any]:
        """A resident's score, level and history (trainer credential only)."""
        return service.archive(number)

    @app.get(
        "/v1/training/residents",
        response_model=list[models.ResidentRow],
        responses=problems,
        tags=["training"],
    )
    def residents(
        _: Trainer,
        service: Service,
        level: Annotated[Literal["AAA", "AA", "A", "B", "C", "D"] | None, Query()] = None,
    ) -> list[dict[str, Any]]:
        """The synthetic residents: who gets which outcome (trainer only)."""
        return service.residents(level)

    @app.get("/v1/training/knobs", response_model=models.Knobs, tags=["training"])
    def get_knobs(_: Trainer, service: Service) -> models.Knobs:
        """The current training knobs."""
        return service.knobs

    @app.put("/v1/training/knobs", response_model=models.Knobs, tags=["training"])
    def put_knobs(body: models.Knobs, _: Trainer, service: Service) -> models.Knobs:
        """Replace the training knobs; a knob not given goes back to its default."""
        for name in models.Knobs.model_fields:
            setattr(service.knobs, name, getattr(body, name))
        return service.knobs


def openapi_document(data_dir: Path) -> dict[str, Any]:
    """The OpenAPI document of the contract, as ``docs/openapi.json`` holds it."""
    app = create_app(data_dir)
    document: dict[str, Any] = jsonable_encoder(app.openapi())
    app.state.service.db.close()
    return document
