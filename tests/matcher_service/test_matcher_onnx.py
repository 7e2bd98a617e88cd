"""The ONNX serving path: the export agrees with sentence-transformers, ranks the dev set
like torch, serves without torch in the process, and a folder without it still serves."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import httpx
import numpy as np
import pytest
from matcher_corpus import PROJECTS, payload, topic_ids

from matcher_service.build.onnx_export import (
    EXPORT_DIR,
    ExportError,
    check_texts,
    export_onnx,
)
from matcher_service.embedder import SentenceTransformerEmbedder
from matcher_service.engine import MatcherEngine
from matcher_service.index import Filters
from matcher_service.onnx_embedder import OnnxEmbedder
from matcher_service.store import ProjectRecord
from matcher_service.testing import REPO_ROOT, run_matcher

sys.path.insert(0, str(REPO_ROOT / "bench"))
from matcher_devset import evaluate, load_devset, subsets

pytestmark = pytest.mark.matcher


@pytest.fixture(scope="module")
def torch_model(model_dir: Path) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model_dir)


@pytest.fixture(scope="module")
def onnx_model(model_dir: Path) -> OnnxEmbedder:
    return OnnxEmbedder(model_dir)


def test_export_agrees_with_sentence_transformers(
    model_dir: Path, torch_model: SentenceTransformerEmbedder, onnx_model: OnnxEmbedder
) -> None:
    texts = check_texts()
    for ours, theirs in (
        (onnx_model.embed_queries(texts), torch_model.embed_queries(texts)),
        (onnx_model.embed_documents(texts), torch_model.embed_documents(texts)),
    ):
        assert ours.shape == theirs.shape == (len(texts), 384)
        np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-4)
        assert float(np.min(np.sum(ours * theirs, axis=1))) >= 0.99
    meta = json.loads((model_dir / EXPORT_DIR / "export.json").read_text())
    assert (
        meta["query_model"] == onnx_model.query_file != "model.onnx"
    )  # int8 for queries
    assert all(figures["min"] >= 0.99 for figures in meta["agreement"].values())


def test_a_disagreeing_export_is_not_written(model_dir: Path, tmp_path: Path) -> None:
    # A folder without an export (links to the real files); demand more agreement than
    # the int8 graph can give, so the export must refuse.
    folder = tmp_path / "model"
    folder.mkdir()
    for item in model_dir.iterdir():
        if item.name != EXPORT_DIR:
            (folder / item.name).symlink_to(item)
    with pytest.raises(ExportError, match="disagrees with sentence-transformers"):
        export_onnx(folder, min_cosine=0.99999)
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        p.name for p in model_dir.iterdir() if p.name != EXPORT_DIR
    )


def _devset_ndcg(embedder: object, tmp_path: Path) -> dict[str, float]:
    devset = load_devset()
    engine = MatcherEngine(tmp_path, embedder)  # type: ignore[arg-type]
    engine.open()
    engine.upsert([ProjectRecord(**p) for p in devset.projects])  # type: ignore[arg-type]
    num_to_id = {
        n: r.id
        for n, r in engine.store.get_by_nums(
            list(range(1, len(devset.projects) + 1))
        ).items()
    }
    out = {}
    for name, sub in subsets(devset).items():
        rankings = {
            qid: [
                num_to_id[n]
                for n, _ in engine.index.search(engine.embed_query(text), 10, Filters())
            ]
            for qid, text in sub.queries
        }
        out[name] = evaluate(rankings, sub)["ndcg@10"]
    engine.close()
    return out


def test_onnx_ranks_the_devset_like_torch(
    torch_model: SentenceTransformerEmbedder, onnx_model: OnnxEmbedder, tmp_path: Path
) -> None:
    reference = _devset_ndcg(torch_model, tmp_path / "torch")
    ours = _devset_ndcg(onnx_model, tmp_path / "onnx")
    assert set(ours) == {"Dutch", "English", "typos"}
    for subset, value in reference.items():
        assert abs(ours[subset] - value) <= 0.01, (subset, ours, reference)
        # The model ranks (typos are hardest), so the bound means something.
        assert value > 0.3


SERVE_AND_REPORT = """
import json, sys
from fastapi.testclient import TestClient
from matcher_service.app import create_app
from matcher_service.config import MatcherSettings
app = create_app(MatcherSettings(api_token="t", data_dir=sys.argv[1], model=sys.argv[2]))
with TestClient(app, headers={"Authorization": "Bearer t"}) as client:
    put = client.put("/v1/projects/a", json={"library_id": "l", "library_name": "B",
                                            "title": "Voorlezen aan peuters"})
    found = client.post("/v1/search", json={"query": "voorleesuur voor kleuters"}).json()
    heavy = sorted(m for m in sys.modules
                   if m.split(".")[0] in ("torch", "sentence_transformers", "transformers"))
    print(json.dumps({"put": put.status_code, "ids": [r["id"] for r in found["results"]],
                      "embedder": type(app.state.engine.embedder).__name__, "heavy": heavy}))
"""


def test_onnx_service_process_never_imports_torch(
    model_dir: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATCHER_")}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            SERVE_AND_REPORT,
            str(tmp_path / "data"),
            str(model_dir),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=300,
        check=True,
    )
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert report == {"put": 200, "ids": ["a"], "embedder": "OnnxEmbedder", "heavy": []}

    # And the served process itself (python -m matcher_service serve): no libtorch mapped.
    with run_matcher(tmp_path / "served", model=model_dir) as m:
        maps = Path(f"/proc/{m.process.pid}/maps").read_text()
        assert "onnxruntime" in maps
        # The served graphs' weights are mapped from their .data files, not copied.
        assert "model_qint8.onnx.data" in maps and "model_emb8.onnx.data" in maps
        assert "libtorch" not in maps and "/torch/" not in maps


def test_folder_without_export_still_serves_through_torch(
    model_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "plain-model"
    folder.mkdir()
    for item in model_dir.iterdir():
        if item.name != EXPORT_DIR:
            (folder / item.name).symlink_to(item)
    with run_matcher(tmp_path / "data", model=folder) as m:
        assert "has no ONNX export" in m.stderr_text()
        assert "SentenceTransformerEmbedder" in m.stderr_text()
        r = httpx.post(
            f"{m.url}/v1/projects/bulk",
            headers=m.headers,
            timeout=120,
            json={"projects": [payload(p) for p in PROJECTS]},
        )
        assert r.status_code == 200
        top = httpx.post(
            f"{m.url}/v1/search",
            headers=m.headers,
            timeout=30,
            json={"query": "reading aloud to toddlers", "k": 3},
        ).json()["results"]
        assert top[0]["id"] in topic_ids("baby")
