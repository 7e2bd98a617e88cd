"""The FastAPI application: ``create_app(settings)`` loads the model and index once."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import __doc__ as package_doc
from .config import MatcherSettings
from .embedder import Embedder, load_embedder
from .engine import MatcherEngine
from .routes import health, projects, search

logger = logging.getLogger("matcher_service")
access_log = logging.getLogger("matcher_service.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# A search body is a query of at most 2,000 characters plus some ids.
SEARCH_MAX_BODY = 256 * 1024


async def _send_json(send: Send, status_code: int, body: dict[str, Any]) -> None:
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status_code,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(payload)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class BodyLimitAndLogMiddleware:
    """Refuse oversized bodies with 413 before parsing; log one line per request.

    The body is read here, up to the limit, and handed to the app only once complete:
    a declared ``Content-Length`` over the limit is refused unread, and a chunked body
    (no length) is refused as soon as it passes the limit, with the same 413 (not the
    400 FastAPI makes of any error while it reads a body). Pure ASGI (not
    ``BaseHTTPMiddleware``) to keep per-request overhead small.
    """

    def __init__(self, app: ASGIApp, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        t0 = time.perf_counter()
        status_holder = [0]
        limit = (
            SEARCH_MAX_BODY if scope["path"].startswith("/v1/search") else self.max_body
        )

        async def send_logged(message: Message) -> None:
            if message["type"] == "http.response.start":
                status_holder[0] = message["status"]
            await send(message)

        try:
            declared = dict(scope["headers"]).get(b"content-length")
            too_large = declared is not None and (
                not declared.isdigit() or int(declared) > limit
            )
            body = b""
            if not too_large:
                chunks: list[bytes] = []
                size = 0
                more = True
                while more:
                    message = await receive()
                    if message["type"] != "http.request":  # the client went away
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > limit:
                        too_large = True
                        break
                    chunks.append(chunk)
                    more = message.get("more_body", False)
                body = b"".join(chunks)
            if too_large:
                await _send_json(
                    send_logged,
                    status.HTTP_413_CONTENT_TOO_LARGE,
                    {"detail": f"Request body larger than {limit} bytes."},
                )
                return
            replayed = False

            async def replay() -> Message:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send_logged)
        finally:
            access_log.info(
                "%s %s %d %.1fms",
                scope["method"],
                scope["path"],
                status_holder[0],
                (time.perf_counter() - t0) * 1000,
            )


def _validation_message(exc: RequestValidationError) -> str:
    parts: list[str] = []
    for err in exc.errors():
        loc = [str(x) for x in err.get("loc", ()) if x not in ("body",)]
        where = ".".join(loc)
        if err.get("type") == "json_invalid":
            parts.append(
                f"Invalid JSON body: {err.get('ctx', {}).get('error', 'cannot parse')}."
            )
        elif err.get("type") == "extra_forbidden":
            parts.append(f"Unknown field {where!r}.")
        else:
            parts.append(
                f"{where}: {err.get('msg', 'invalid')}."
                if where
                else f"{err.get('msg')}."
            )
    return " ".join(parts) or "Invalid request."


def create_app(
    settings: MatcherSettings, *, embedder: Embedder | None = None
) -> FastAPI:
    """Build the service. The model and index load in the lifespan, once.

    :param settings: where the data and model are, the token, limits.
    :param embedder: use this embedder instead of loading ``settings.model`` (tests).
    :raises ValueError: if no API token is configured.
    """
    if not settings.api_token:
        raise ValueError(
            "MATCHER_API_TOKEN must be set: every route but /v1/health needs it"
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        t0 = time.perf_counter()
        model = embedder or load_embedder(
            settings.model,
            settings.embedder,
            torch_threads=settings.torch_threads,
            onnx_threads=settings.onnx_threads,
        )
        engine = MatcherEngine(
            settings.data_dir,
            model,
            batch_size=settings.batch_size,
            lexical_weight=settings.lexical_weight,
            index_kind=settings.index,
            sq8_min_records=settings.sq8_min_records,
        )
        engine.open()
        app.state.engine = engine
        logger.info(
            "ready: model %s (dim %d, %s), %d records (%s index), data %s, start-up %.2fs",
            model.name,
            model.dim,
            type(model).__name__,
            engine.count(),
            engine.index.storage,
            settings.data_dir,
            time.perf_counter() - t0,
        )
        try:
            yield
        finally:
            engine.close()

    app = FastAPI(
        title="matcher_service",
        description=package_doc or "",
        version="1",
        lifespan=lifespan,
        # The schema and its viewers need no token: off unless MATCHER_OPENAPI_DOCS.
        openapi_url="/openapi.json" if settings.openapi_docs else None,
        docs_url="/docs" if settings.openapi_docs else None,
        redoc_url="/redoc" if settings.openapi_docs else None,
        # No browser calls this service directly: no CORS middleware at all.
    )
    app.state.settings = settings
    app.include_router(health.router)
    app.include_router(projects.router)
    app.include_router(search.router)

    @app.exception_handler(RequestValidationError)
    async def _on_validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse(
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
            content={
                "detail": _validation_message(exc),
                "errors": _jsonable(exc.errors()),
            },
        )

    @app.exception_handler(StarletteHTTPException)
    async def _on_http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail
        if exc.status_code == status.HTTP_404_NOT_FOUND and detail == "Not Found":
            detail = "No such route."
        elif exc.status_code == status.HTTP_405_METHOD_NOT_ALLOWED:
            detail = "Method not allowed on this route."
        return JSONResponse(
            status_code=exc.status_code, content={"detail": detail}, headers=exc.headers
        )

    @app.exception_handler(Exception)
    async def _on_error(request: Request, exc: Exception) -> JSONResponse:
        # Last resort: bad input must never get here, but if a bug does, answer in JSON.
        logger.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(
            status_code=500, content={"detail": "Internal error; see the service log."}
        )

    app.add_middleware(BodyLimitAndLogMiddleware, max_body=settings.max_body_bytes)
    return app


def _jsonable(errors: Any) -> list[dict[str, Any]]:
    """Type, location and message of each error; never the input, which may be huge
    (a 10,000-character query) or not representable in JSON (``1e400``)."""
    return [
        {
            "type": str(e.get("type")),
            "loc": [str(x) for x in e.get("loc", ())],
            "msg": str(e.get("msg")),
        }
        for e in errors
    ]
