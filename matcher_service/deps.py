"""FastAPI dependencies: the engine, the settings and the bearer-token check.

All ``async``: they do no I/O, and FastAPI runs a plain ``def`` dependency in its
thread pool, a hop that cost about 0.5 ms per dependency per request here.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from .config import MatcherSettings
from .engine import MatcherEngine

_bearer = HTTPBearer(auto_error=False, description="MATCHER_API_TOKEN")


async def get_engine(request: Request) -> MatcherEngine:
    engine: MatcherEngine = request.app.state.engine
    return engine


async def get_settings(request: Request) -> MatcherSettings:
    settings: MatcherSettings = request.app.state.settings
    return settings


async def require_token(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Reject requests without the configured bearer token (constant-time compare)."""
    expected: str = request.app.state.settings.api_token
    if credentials is None or not secrets.compare_digest(
        credentials.credentials.encode(), expected.encode()
    ):
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Missing or invalid bearer token.",
            headers={"WWW-Authenticate": "Bearer"},
        )


EngineDep = Annotated[MatcherEngine, Depends(get_engine)]
SettingsDep = Annotated[MatcherSettings, Depends(get_settings)]
Authorized = Depends(require_token)
