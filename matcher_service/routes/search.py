from __future__ import annotations

import time
from typing import TypeVar

from fastapi import APIRouter, Response

from ..deps import Authorized, EngineDep
from ..index import Filters
from ..schemas import ERROR_RESPONSES, SearchRequest, SearchResponse, SearchResult

T = TypeVar("T")

router = APIRouter(
    prefix="/v1/search",
    tags=["search"],
    dependencies=[Authorized],
    responses=ERROR_RESPONSES,
)


def _as_list(value: T | list[T] | None) -> list[T] | None:
    if value is None or isinstance(value, list):
        return value
    return [value]


@router.post("", response_model=SearchResponse)
def search(body: SearchRequest, engine: EngineDep) -> Response:
    """The ``k`` most similar projects, excluding the given libraries, best first."""
    t0 = time.perf_counter()
    f = body.filters
    hits = engine.search(
        body.query,
        body.k,
        Filters(
            years=_as_list(f.year) if f else None,
            regions=_as_list(f.region) if f else None,
            library_ids=_as_list(f.library_id) if f else None,
            exclude_library_ids=body.exclude_library_ids,
        ),
    )
    response = SearchResponse(
        results=[SearchResult.from_hit(hit) for hit in hits],
        took_ms=round((time.perf_counter() - t0) * 1000, 2),
        model=engine.embedder.name,
    )
    # Serialised by pydantic-core directly: skips FastAPI's re-validation of the model.
    return Response(response.model_dump_json(), media_type="application/json")
