"""``POST /v1/feedback``: what editors did after a search, for ``adapt`` to learn from."""

from __future__ import annotations

from fastapi import APIRouter, status

from ..deps import Authorized, EngineDep
from ..schemas import ERROR_RESPONSES, FeedbackCreate, FeedbackResponse

router = APIRouter(
    prefix="/v1/feedback",
    tags=["feedback"],
    dependencies=[Authorized],
    responses=ERROR_RESPONSES,
)


@router.post("", response_model=FeedbackResponse, status_code=status.HTTP_201_CREATED)
def add_feedback(body: FeedbackCreate, engine: EngineDep) -> FeedbackResponse:
    """Store one event (durably, before answering). The project need not exist any
    more: an editor may have imported it and the source been deleted since."""
    stored = engine.store.add_feedback(
        body.query, body.project_id, body.signal, body.event_id
    )
    return FeedbackResponse(stored=stored, feedback=engine.store.feedback_counts())
