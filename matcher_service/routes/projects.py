from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, status

from ..deps import Authorized, EngineDep, SettingsDep
from ..schemas import (
    ERROR_RESPONSES,
    MAX_ID,
    BulkUpsertRequest,
    DeleteResponse,
    IdsResponse,
    ProjectCreate,
    ProjectPublic,
    UpsertResponse,
)
from ..store import ProjectRecord

router = APIRouter(
    prefix="/v1/projects",
    tags=["projects"],
    dependencies=[Authorized],
    responses=ERROR_RESPONSES,
)

# ``:path`` so that ids may contain "/" (they are opaque to the service).
ProjectId = Annotated[str, Path(min_length=1, max_length=MAX_ID)]


def _record(project_id: str, body: ProjectCreate) -> ProjectRecord:
    return ProjectRecord(id=project_id, **body.model_dump(exclude={"id"}))


@router.get("/ids", response_model=IdsResponse)
def list_ids(
    engine: EngineDep,
    after: Annotated[str | None, Query(max_length=MAX_ID)] = None,
    limit: Annotated[int, Query(ge=1, le=100_000)] = 10_000,
) -> IdsResponse:
    """All stored ids in ascending order, a page at a time (for the CMS's drift check)."""
    ids = engine.ids(after, limit)
    return IdsResponse(
        ids=ids,
        next_after=ids[-1] if len(ids) == limit else None,
        total=engine.count(),
    )


@router.post("/bulk", response_model=UpsertResponse)
def bulk_upsert(
    body: BulkUpsertRequest, engine: EngineDep, settings: SettingsDep
) -> UpsertResponse:
    """Upsert many projects in one transaction; acknowledged once committed."""
    if len(body.projects) > settings.max_bulk:
        raise HTTPException(
            status.HTTP_413_CONTENT_TOO_LARGE,
            f"At most {settings.max_bulk} projects per bulk request; got {len(body.projects)}.",
        )
    result = engine.upsert([_record(p.id, p) for p in body.projects])
    return UpsertResponse(upserted=result.upserted, embedded=result.embedded)


@router.put("/{project_id:path}", response_model=UpsertResponse)
def upsert(
    project_id: ProjectId, body: ProjectCreate, engine: EngineDep
) -> UpsertResponse:
    """Insert or replace one project; acknowledged once committed."""
    result = engine.upsert([_record(project_id, body)])
    return UpsertResponse(upserted=result.upserted, embedded=result.embedded)


@router.get("/{project_id:path}", response_model=ProjectPublic)
def get_project(project_id: ProjectId, engine: EngineDep) -> ProjectPublic:
    record = engine.get(project_id)
    if record is None:
        raise HTTPException(
            status.HTTP_404_NOT_FOUND, f"No project with id {project_id!r}."
        )
    return ProjectPublic.model_validate(record, from_attributes=True)


@router.delete("/{project_id:path}", response_model=DeleteResponse)
def delete(project_id: ProjectId, engine: EngineDep) -> DeleteResponse:
    """Delete one project; deleting an unknown id is not an error."""
    return DeleteResponse(id=project_id, deleted=engine.delete(project_id))
