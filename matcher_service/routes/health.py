from __future__ import annotations

from fastapi import APIRouter

from ..deps import EngineDep
from ..schemas import HealthResponse, LevelsPublic

router = APIRouter(prefix="/v1/health", tags=["health"])


@router.get("", response_model=HealthResponse)
def health(engine: EngineDep) -> HealthResponse:
    """Liveness: answers once the model and index are loaded. No token needed."""
    return HealthResponse(
        status="ok",
        model=engine.embedder.name,
        dim=engine.embedder.dim,
        records=engine.count(),
        levels=LevelsPublic.model_validate(engine.levels.to_json()),
        feedback=sum(engine.store.feedback_counts().values()),
    )
