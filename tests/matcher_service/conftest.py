"""Fixtures for the matcher service: the real model, a running service, a fake one.

The model folder comes from ``MATCHER_MODEL`` (default: the repo's
``.data/models/multilingual-e5-small``); if it is missing it is built here (and its ONNX
export added if only that is missing), never skipped.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from matcher_corpus import PROJECTS, payload

from matcher_service.app import create_app
from matcher_service.build.model_builder import build_model
from matcher_service.build.onnx_export import export_onnx
from matcher_service.config import MatcherSettings
from matcher_service.embedder import FakeEmbedder
from matcher_service.export_layout import has_export
from matcher_service.testing import MatcherProcess, default_model, run_matcher

TOKEN = "test-token"


@pytest.fixture(scope="session")
def model_dir() -> Path:
    path = default_model()
    if not (path / "modules.json").is_file():
        build_model(path)
    elif not has_export(path, current=True):  # built before the export's format
        export_onnx(path)
    os.environ.setdefault("MATCHER_MODEL", str(path))
    return path


@pytest.fixture(scope="session")
def matcher(
    model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[MatcherProcess]:
    """One real service (real model) for the session, loaded with the fixture corpus."""
    with run_matcher(
        tmp_path_factory.mktemp("matcher"), model=model_dir, token=TOKEN
    ) as proc:
        response = httpx.post(
            f"{proc.url}/v1/projects/bulk",
            json={"projects": [payload(p) for p in PROJECTS]},
            headers=proc.headers,
            timeout=120,
        )
        assert response.status_code == 200, response.text
        yield proc


@pytest.fixture
def client(matcher: MatcherProcess) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=matcher.url, headers=matcher.headers, timeout=60) as c:
        yield c


@pytest.fixture
def fake_client(tmp_path: Path) -> Iterator[TestClient]:
    """The app in-process with the FakeEmbedder: for plumbing tests only."""
    settings = MatcherSettings(
        api_token=TOKEN, data_dir=tmp_path / "data", max_body_bytes=64 * 1024
    )
    app = create_app(settings, embedder=FakeEmbedder())
    with TestClient(app, headers={"Authorization": f"Bearer {TOKEN}"}) as c:
        yield c
