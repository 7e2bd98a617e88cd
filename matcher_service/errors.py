"""Every error the service answers is JSON with one clear ``detail``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request, status
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

logger = logging.getLogger("matcher_service")


def install_error_handlers(app: FastAPI) -> None:
    """422 naming the fields at fault, a plain sentence for 404 and 405, JSON 500s."""

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
