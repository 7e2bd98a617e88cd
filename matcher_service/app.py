"""The FastAPI application: ``create_app(settings)`` loads the model and index once."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from . import __doc__ as package_doc
from .config import MatcherSettings
from .embedder import Embedder, FakeEmbedder, load_embedder
from .engine import MatcherEngine
from .errors import install_error_handlers
from .levels import load_levels
from .middleware import BodyLimitAndLogMiddleware
from .routes import feedback, health, projects, search

logger = logging.getLogger("matcher_service")


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
        levels = load_levels(
            settings.model, model.name, fake=isinstance(model, FakeEmbedder)
        )
        engine = MatcherEngine(
            settings.data_dir,
            model,
            batch_size=settings.batch_size,
            lexical_weight=settings.lexical_weight,
            index_kind=settings.index,
            sq8_min_records=settings.sq8_min_records,
            levels=levels,
            smoothing=settings.smoothing,
        )
        engine.open()
        app.state.engine = engine
        logger.info(
            "ready: model %s (dim %d, %s, levels %s), %d records (%s index), data %s, "
            "start-up %.2fs",
            model.name,
            model.dim,
            type(model).__name__,
            levels.source,
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
    app.include_router(feedback.router)

    install_error_handlers(app)
    app.add_middleware(BodyLimitAndLogMiddleware, max_body=settings.max_body_bytes)
    return app
