"""``python -m matcher_service adapt``: refuses what it must, and writes a folder that
the service serves through its ONNX path with a different ranking than the base."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from matcher_service.__main__ import main
from matcher_service.embedder import FakeEmbedder
from matcher_service.engine import MatcherEngine
from matcher_service.store import ProjectRecord
from matcher_service.testing import REPO_ROOT, run_matcher

sys.path.insert(0, str(REPO_ROOT / "bench"))
from matcher_devset import load_devset

pytestmark = pytest.mark.matcher


def fill(data_dir: Path, n: int) -> list[ProjectRecord]:
    """``n`` dev-set projects in a store (vectors by the FakeEmbedder: adapt reads
    only texts, and serving another model re-embeds them)."""
    records = [
        ProjectRecord(
            str(p["id"]),
            str(p["library_id"]),
            str(p["library_name"]),
            str(p["title"]),
            str(p["summary"]),
        )
        for p in load_devset().projects[:n]
    ]
    engine = MatcherEngine(data_dir, FakeEmbedder())
    engine.open()
    engine.upsert(records)
    engine.store.add_feedback(
        "boeken ruilen in de buurt", records[0].id, "import", "e1"
    )
    engine.close()
    return records


def test_adapt_refuses_under_100_records(
    tmp_path: Path, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(tmp_path / "data", 99)
    code = main(
        [
            "adapt",
            "--data-dir",
            str(tmp_path / "data"),
            "--model",
            str(model_dir),
            "--out",
            str(tmp_path / "out"),
        ]
    )
    assert code == 2
    assert "at least 100" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_adapt_refuses_an_existing_out_without_force(
    tmp_path: Path, model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill(tmp_path / "data", 100)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("mine")
    args = ["adapt", "--data-dir", str(tmp_path / "data"), "--model", str(model_dir)]
    assert main([*args, "--out", str(tmp_path / "out")]) == 2
    assert "--force" in capsys.readouterr().err
    assert (tmp_path / "out" / "keep.txt").read_text() == "mine"
    # The base is never the output.
    assert main([*args, "--out", str(model_dir), "--force"]) == 2


def test_adapted_folder_serves_and_changes_the_ranking(
    tmp_path: Path, model_dir: Path
) -> None:
    data = tmp_path / "data"
    fill(data, 100)
    out = tmp_path / "adapted"
    # A child process, as an operator (or compose's one-shot service) runs it.
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "matcher_service",
            "adapt",
            "--data-dir",
            str(data),
            "--model",
            str(model_dir),
            "--out",
            str(out),
            "--epochs",
            "1",
            "--max-seq-length",
            "64",
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        cwd=REPO_ROOT,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["records"] == 100 and manifest["feedback_pairs"] == 1
    assert manifest["settings"]["seed"] == 13 and manifest["onnx_export"] is True
    assert (out / "onnx" / "export.json").is_file()
    levels = json.loads((out / "levels.json").read_text())
    assert 0 < levels["possible"] < levels["good"] < 1
    # The base folder is untouched.
    assert not (model_dir / "manifest.json").exists()

    devset = load_devset()
    queries = [text for _, text in devset.queries[:3]]
    rankings = {}
    for model in (model_dir, out):
        with run_matcher(data, model=model) as matcher:
            client = httpx.Client(
                base_url=matcher.url, headers=matcher.headers, timeout=60
            )
            health = client.get("/v1/health").json()
            assert health["records"] == 100
            if model == out:
                # Served through onnxruntime, with the folder's own thresholds; the
                # model check re-embedded the stored records.
                log = matcher.stderr_text()
                assert "OnnxEmbedder" in log and "re-embedding 100" in log
                assert health["levels"]["good"] == levels["good"]
            rankings[model] = [
                [
                    (r["id"], r["score"])
                    for r in client.post(
                        "/v1/search", json={"query": q, "k": 10}
                    ).json()["results"]
                ]
                for q in queries
            ]
            client.close()
    assert rankings[model_dir] != rankings[out]
    # Still a ranking (one epoch on 100 texts is no quality run; bench/matcher.py
    # measures that): each query finds a project of its own topic in the top 10.
    for (qid, _), ranking in zip(devset.queries[:3], rankings[out], strict=True):
        assert any(devset.qrels[qid].get(pid) == 2 for pid, _ in ranking), qid
