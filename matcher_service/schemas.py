"""Request and response bodies of the HTTP contract (v1).

Every request model forbids unknown fields and is strict about types (``"2024"`` is not
a year), so a client's mistake is a 422 with a clear message, not a silent coercion.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import (
    AliasChoices,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

if TYPE_CHECKING:
    from .engine import SearchHit

MAX_ID = 128
MAX_QUERY = 2000
MAX_K = 100

IdStr = Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]


def _check_unicode(value: object) -> object:
    # JSON may escape lone surrogates ("\\ud800"), which no UTF-8 consumer accepts.
    texts = value if isinstance(value, list) else [value]
    for text in texts:
        if isinstance(text, str):
            try:
                text.encode("utf-8")
            except UnicodeEncodeError:
                raise ValueError(
                    "text contains invalid Unicode (a lone surrogate)"
                ) from None
    return value


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=True)

    @field_validator("*", mode="after")
    @classmethod
    def _valid_unicode(cls, value: object) -> object:
        return _check_unicode(value)


class ProjectCreate(RequestModel):
    """Body of ``PUT /v1/projects/{id}``: one project as the CMS publishes it."""

    library_id: IdStr
    library_name: Annotated[Text, StringConstraints(min_length=1, max_length=300)]
    title: Annotated[Text, StringConstraints(min_length=1, max_length=500)]
    summary: Annotated[Text, StringConstraints(max_length=20_000)] = ""
    year: Annotated[int, Field(ge=1900, le=2200)] | None = None
    # The CMS calls a library's regional network its "network"; both names are accepted.
    region: Annotated[Text, StringConstraints(min_length=1, max_length=128)] | None = (
        Field(default=None, validation_alias=AliasChoices("region", "network"))
    )
    phase: Annotated[Text, StringConstraints(min_length=1, max_length=32)] | None = None
    url: Annotated[Text, StringConstraints(min_length=1, max_length=2000)] | None = None
    # Shared by the copies of one project over the years; search collapses by it.
    lineage: IdStr | None = None


class ProjectBulkItem(ProjectCreate):
    id: IdStr


class BulkUpsertRequest(RequestModel):
    projects: list[ProjectBulkItem]


class ProjectPublic(BaseModel):
    id: str
    library_id: str
    library_name: str
    title: str
    summary: str
    year: int | None = None
    region: str | None = None
    phase: str | None = None
    url: str | None = None
    lineage: str | None = None


class UpsertResponse(BaseModel):
    upserted: int
    embedded: int = Field(
        description="How many records needed a new vector (text changed)."
    )


class DeleteResponse(BaseModel):
    id: str
    deleted: bool


class IdsResponse(BaseModel):
    ids: list[str]
    next_after: str | None = Field(
        description="Pass as ?after= for the next page; null at the end."
    )
    total: int


def _as_list(value: object) -> object:
    return (
        [value]
        if isinstance(value, str | int) and not isinstance(value, bool)
        else value
    )


class FeedbackCreate(RequestModel):
    """Body of ``POST /v1/feedback``: what an editor did right after a search.

    No user identity: the query text, the project and the signal only.
    """

    query: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_QUERY)]
    project_id: IdStr
    signal: Literal["open", "partnership", "import"]
    # The client's key for this event: resending it (a retried delivery) stores nothing.
    event_id: IdStr | None = None


class FeedbackResponse(BaseModel):
    stored: bool = Field(description="False if this event_id was stored before.")
    feedback: dict[str, int] = Field(description="Stored events per signal.")


class SearchFilters(RequestModel):
    """Optional restrictions; a list means "any of these"."""

    year: int | list[int] | None = None
    region: str | list[str] | None = Field(
        default=None, validation_alias=AliasChoices("region", "network")
    )
    library_id: IdStr | list[IdStr] | None = None

    @field_validator("year", "region", "library_id", mode="after")
    @classmethod
    def _listify(cls, value: object) -> object:
        value = _as_list(value)
        if isinstance(value, list) and len(value) > 1000:
            raise ValueError("at most 1000 values per filter")
        return value


class SearchRequest(RequestModel):
    """Body of ``POST /v1/search``."""

    query: Annotated[Text, StringConstraints(min_length=1, max_length=MAX_QUERY)]
    k: Annotated[int, Field(ge=1, le=MAX_K)] = 10
    exclude_library_ids: Annotated[list[IdStr], Field(max_length=1000)] = []
    filters: SearchFilters | None = None


class LineageMember(BaseModel):
    id: str
    year: int | None = None


class SearchResult(ProjectPublic):
    score: float = Field(
        description="Cosine similarity; its calibrated reading is `level`."
    )
    level: Literal["good", "possible", "weak"] = Field(
        description="Match level from thresholds calibrated for the model in use."
    )
    also: list[LineageMember] = Field(
        description="The other members of this hit's lineage (other years, copies)."
    )
    matched_terms: list[str] = Field(
        description="Content words of the query that occur in the project."
    )

    @classmethod
    def from_hit(cls, hit: SearchHit) -> SearchResult:
        """The stored record's public fields, with its score and matched words.

        Built without validation: the record passed it on the way in.
        """
        public = {
            name: getattr(hit.record, name) for name in ProjectPublic.model_fields
        }
        return cls.model_construct(
            **public,
            score=round(hit.score, 5),
            level=hit.level,
            also=[LineageMember.model_validate(m) for m in hit.also],
            matched_terms=hit.matched_terms,
        )


class SearchResponse(BaseModel):
    results: list[SearchResult]
    took_ms: float
    model: str


class LevelsPublic(BaseModel):
    good: float
    possible: float
    source: str


class HealthResponse(BaseModel):
    status: str
    model: str
    dim: int
    records: int
    levels: LevelsPublic | None = None
    feedback: int | None = None


class ErrorBody(BaseModel):
    """Every 4xx answer but validation errors: one clear message."""

    detail: str


class ValidationErrorItem(BaseModel):
    type: str
    loc: list[str]
    msg: str


class ValidationErrorBody(BaseModel):
    """A 422: one readable message, then each error's type, location and message."""

    detail: str
    errors: list[ValidationErrorItem]


# Documented on every protected router so the OpenAPI schema describes the bodies the
# exception handlers in app.py really send (FastAPI's default 422 has a list `detail`).
ERROR_RESPONSES: dict[int | str, dict[str, object]] = {
    401: {"model": ErrorBody, "description": "Missing or wrong bearer token."},
    413: {"model": ErrorBody, "description": "Request body too large."},
    422: {"model": ValidationErrorBody, "description": "Invalid request."},
}
