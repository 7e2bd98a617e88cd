"""Domain adaptation: teach the embedding model the libraries' own language.

``adapt_model`` fine-tunes a sentence-transformers model on texts the service already
holds, with no judgement: each project gives the pair ("query: " + its title,
"passage: " + its own summary), and the other pairs of a batch are the negatives
(``MultipleNegativesRankingLoss``, both directions). Feedback adds judged pairs: a
search query an editor followed with a partnership request or an import, paired with
that project's text. The word-embedding table (96% of the weights, 250k rows of which a
corpus touches a few thousand) is frozen, so rare words keep their pretrained meaning
and the adapted model carries over to libraries it was not trained on.

The result is a new, complete model folder (weights, tokenizer, prompts) with the ONNX
export the service serves, its own ``levels.json`` and a ``manifest.json``; the base
folder is never written. Serving the new folder re-embeds every record at start-up
(the engine's model check); serving the base again goes back.

Measured on the dev set (bench/matcher.py; figures in bench/matcher_results.md).
Needs torch, sentence-transformers[train] (datasets, accelerate): a build-time step.
"""

from __future__ import annotations

import json
import logging
import random
import shutil
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from ..levels import MatchLevels, load_levels, write_levels
from ..store import embed_text

logger = logging.getLogger(__name__)

MIN_RECORDS = 100
MANIFEST_FILE = "manifest.json"


class AdaptError(Exception):
    """The adaptation was refused (too few records, output exists, bad base)."""


@dataclass(frozen=True)
class Project:
    """What adaptation reads of one record."""

    id: str
    title: str
    summary: str


@dataclass
class AdaptSettings:
    epochs: int = 2
    seed: int = 13
    learning_rate: float = 3e-5
    batch_size: int = 16
    # Titles and summaries are short; 128 tokens covers a summary of ~90 words.
    max_seq_length: int = 128
    freeze_word_embeddings: bool = True
    export_onnx: bool = True
    extra: dict[str, Any] = field(default_factory=dict)


def training_pairs(
    projects: Sequence[Project], feedback: Sequence[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """``(anchors, positives)``: title -> own summary for every project with a summary,
    then query -> project text for each feedback pair ``(query, project id)`` whose
    project is among ``projects``. Prompts are added by the trainer."""
    anchors: list[str] = []
    positives: list[str] = []
    for p in projects:
        if p.summary.strip() and p.title.strip():
            anchors.append(p.title.strip())
            positives.append(p.summary.strip())
    by_id = {p.id: p for p in projects}
    for query, project_id in feedback:
        project = by_id.get(project_id)
        if project is not None and query.strip():
            anchors.append(query.strip())
            positives.append(embed_text(project.title, project.summary))
    return anchors, positives


def adapt_model(
    base: Path,
    out: Path,
    projects: Sequence[Project],
    feedback: Sequence[tuple[str, str]] = (),
    settings: AdaptSettings | None = None,
    *,
    force: bool = False,
    min_records: int = MIN_RECORDS,
) -> dict[str, Any]:
    """Fine-tune ``base`` on ``projects`` (+ ``feedback``) and write the folder ``out``.

    :param base: a sentence-transformers model folder; read only.
    :param out: the new folder; refused if it exists, unless ``force``.
    :param feedback: ``(query, project id)`` pairs from partnership requests and imports.
    :returns: the manifest written to ``out/manifest.json``.
    :raises AdaptError: under ``min_records`` projects, ``out`` exists without
        ``force``, ``out`` is ``base``, or ``base`` is not a model folder.
    """
    settings = settings or AdaptSettings()
    base, out = Path(base), Path(out)
    if not (base / "modules.json").is_file():
        raise AdaptError(f"{base} is not a sentence-transformers model folder")
    if out.resolve() == base.resolve():
        raise AdaptError("--out must be a new folder: the base model is never written")
    if len(projects) < min_records:
        raise AdaptError(
            f"{len(projects)} records: adaptation needs at least {min_records} "
            "projects' texts to learn from (and not overfit a few)"
        )
    if out.exists() and not force:
        raise AdaptError(f"{out} exists; pass --force to replace it")
    anchors, positives = training_pairs(projects, feedback)
    feedback_used = len(anchors) - sum(
        1 for p in projects if p.summary.strip() and p.title.strip()
    )
    t0 = time.perf_counter()
    model = _train(base, anchors, positives, settings)
    train_s = time.perf_counter() - t0
    # Written next to ``out`` and moved in place at the end: a failure leaves no
    # half-written folder behind (and an existing one untouched).
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    try:
        model.save(str(staging))
        export: dict[str, Any] = {}
        if settings.export_onnx:
            from .onnx_export import export_onnx

            export = export_onnx(staging)
        levels = transfer_levels(base, projects, model)
        write_levels(
            staging,
            levels,
            method="quantile transfer from the base model's calibrated thresholds",
        )
        manifest = {
            "base_model": str(base.resolve()),
            "base_name": base.resolve().name,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "records": len(projects),
            "pairs": {"title_summary": len(anchors) - feedback_used},
            "feedback_pairs": feedback_used,
            "settings": {k: v for k, v in asdict(settings).items() if k != "extra"},
            "train_seconds": round(train_s, 1),
            "levels": levels.to_json(),
            "onnx_export": bool(export),
            "dev_set": DEV_SET_FIGURES,
            **settings.extra,
        }
        (staging / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n")
        if out.exists():
            shutil.rmtree(out)
        staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info(
        "adapted %s on %d records + %d feedback pairs in %.0fs -> %s",
        base.name,
        len(projects),
        feedback_used,
        train_s,
        out,
    )
    return manifest


def _train(
    base: Path, anchors: list[str], positives: list[str], settings: AdaptSettings
) -> Any:
    import torch
    from datasets import Dataset
    from sentence_transformers import (
        SentenceTransformer,
        SentenceTransformerTrainer,
        SentenceTransformerTrainingArguments,
    )
    from sentence_transformers.base.sampler import BatchSamplers
    from sentence_transformers.sentence_transformer.losses import (
        MultipleNegativesRankingLoss,
    )
    from transformers import set_seed

    set_seed(settings.seed)
    random.seed(settings.seed)
    np.random.seed(settings.seed)
    torch.manual_seed(settings.seed)
    model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    model.max_seq_length = settings.max_seq_length
    if settings.freeze_word_embeddings:
        encoder: Any = model[0]
        encoder.auto_model.get_input_embeddings().weight.requires_grad = False
    prompts: dict[str, str] = {k: v for k, v in (model.prompts or {}).items() if v}
    loss = MultipleNegativesRankingLoss(
        model,
        directions=("query_to_doc", "doc_to_query"),
        partition_mode="per_direction",
    )
    with tempfile.TemporaryDirectory() as scratch:
        args = SentenceTransformerTrainingArguments(
            output_dir=scratch,
            num_train_epochs=settings.epochs,
            per_device_train_batch_size=settings.batch_size,
            learning_rate=settings.learning_rate,
            warmup_steps=0.1,  # a share of the steps (transformers 5)
            seed=settings.seed,
            data_seed=settings.seed,
            # A pair repeated in a batch would be its own negative.
            batch_sampler=BatchSamplers.NO_DUPLICATES,
            prompts={
                "anchor": prompts.get("query", ""),
                "positive": prompts.get("passage", prompts.get("document", "")),
            },
            save_strategy="no",
            report_to="none",
            logging_steps=50,
            use_cpu=True,
            dataloader_num_workers=0,
            disable_tqdm=True,
        )
        trainer = SentenceTransformerTrainer(
            model=model,
            args=args,
            train_dataset=Dataset.from_dict({"anchor": anchors, "positive": positives}),
            loss=loss,
        )
        trainer.train()
    model.eval()
    return model


def transfer_levels(base: Path, projects: Sequence[Project], model: Any) -> MatchLevels:
    """The base model's thresholds carried to the adapted model by quantile.

    Both models rank the projects for their own titles (a query each, its own project
    left out); the share of top-10 scores above each base threshold is kept, and the
    adapted thresholds are the adapted scores at the same shares. No judgement needed.
    """
    from sentence_transformers import SentenceTransformer

    base_levels = load_levels(base, base.resolve().name)
    sample = list(projects)[:400]
    titles = [p.title for p in sample]
    texts = [embed_text(p.title, p.summary) for p in sample]
    base_model = SentenceTransformer(str(base), device="cpu", local_files_only=True)
    before = _top_scores(base_model, titles, texts)
    after = _top_scores(model, titles, texts)
    del base_model
    if base_levels.source == "none":
        return base_levels

    def carry(threshold: float) -> float:
        share = float(np.mean(before >= threshold))
        return float(np.quantile(after, 1.0 - share)) if share > 0 else threshold

    return MatchLevels(
        good=round(carry(base_levels.good), 4),
        possible=round(carry(base_levels.possible), 4),
        source=f"adapt: carried from {base.resolve().name}",
    )


def _top_scores(model: Any, titles: list[str], texts: list[str]) -> np.ndarray:
    prompts = model.prompts or {}
    q = model.encode(
        titles,
        prompt=prompts.get("query"),
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    d = model.encode(
        texts,
        prompt=prompts.get("passage"),
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )
    scores = q @ d.T
    np.fill_diagonal(scores, -1.0)
    top = np.sort(scores, axis=1)[:, ::-1][:, :10]
    return np.asarray(top.ravel(), dtype=np.float32)


# What this method measured on the dev set (bench/matcher.py, torch path, nDCG@10),
# copied into every manifest so a folder says what to expect of it.
DEV_SET_FIGURES: dict[str, Any] = {
    "measured": "2026-12-06, bench/matcher_quality.py (311 projects, 2 epochs)",
    "metric": "nDCG@10 per subset",
    "library_held_out": {
        "trained_on": "libraries 0-5's texts, ranked among libraries 6-11's projects",
        "base": {"Dutch": 0.588, "English": 0.612, "typos": 0.365},
        "adapted": {"Dutch": 0.660, "English": 0.667, "typos": 0.417},
    },
    "all_texts": {
        "base": {"Dutch": 0.587, "English": 0.590, "typos": 0.347},
        "adapted": {"Dutch": 0.675, "English": 0.685, "typos": 0.400},
        "adapted_with_smoothing_0.5": {
            "Dutch": 0.701,
            "English": 0.709,
            "typos": 0.426,
        },
    },
}
