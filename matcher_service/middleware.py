"""The service's one middleware: body limit and an access line per request."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import status

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
