"""Ranking quality on the dev set: embedded text, adaptation, feedback, smoothing, levels.

    .venv/bin/python bench/matcher_quality.py            # everything (trains 3 models)
    .venv/bin/python bench/matcher_quality.py --no-adapt # text and smoothing only

Torch path (sentence-transformers) on the dev set's 311 projects, no distractors; every
row prints nDCG@10 / R@10 / MRR per subset (Dutch, English, typos):

- today's text ("Title\\nSummary") and the text fix ("Title. Summary");
- adaptation, library-held-out: trained on the texts of libraries 0-5, ranked among the
  projects of libraries 6-11 only (base model on the same half beside it);
- adaptation, all: trained on every project's text (what `adapt` does in production:
  the texts are the service's own, no judgement is used);
- with feedback pairs: each topic's first Dutch query paired with two of its projects
  (as if imported after that search); figures on the other queries only, beside the
  model adapted without them on the same queries;
- with smoothing (lambda 0.5) on the base and the adapted model;
- the level thresholds calibrated on the even topics' Dutch queries and checked on the
  odd topics' queries (data the calibration did not see), then on all, with the
  precision of "good" (grade 2) and "possible" (grade >= 1) per subset.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matcher_devset import (  # noqa: E402
    DevSet,
    evaluate,
    library_halves,
    load_devset,
    restricted,
    subsets,
)

from matcher_service.build.adapt import AdaptSettings, Project, adapt_model  # noqa: E402
from matcher_service.embedder import SentenceTransformerEmbedder  # noqa: E402
from matcher_service.levels import calibrate, precision  # noqa: E402
from matcher_service.rerank import smooth  # noqa: E402
from matcher_service.store import embed_text  # noqa: E402

OUT = ROOT / ".data" / "bench" / "adapted"
SUBSETS = ("Dutch", "English", "typos")


def todays_text(title: str, summary: str) -> str:
    return f"{title}\n{summary}".strip()


class Ranker:
    """One model's vectors of the dev set: documents by a text format, all queries."""

    def __init__(
        self,
        embedder: SentenceTransformerEmbedder,
        devset: DevSet,
        text: Callable[[str, str], str] = embed_text,
    ) -> None:
        self.ids = [str(p["id"]) for p in devset.projects]
        self.docs = embedder.embed_documents(
            [text(str(p["title"]), str(p["summary"])) for p in devset.projects]
        )
        texts = {q: t for sub in subsets(devset).values() for q, t in sub.queries}
        vectors = embedder.embed_queries(list(texts.values()))
        self.queries = dict(zip(texts, vectors, strict=True))

    def rank(
        self, qid: str, among: set[str] | None = None, smoothing: float = 0.0
    ) -> list[tuple[str, float]]:
        scores = self.docs @ self.queries[qid]
        order = np.argsort(-scores)
        if among is not None:
            order = np.asarray([i for i in order if self.ids[i] in among])
        pool = order[:50]
        hits = [(int(i), float(scores[i])) for i in pool]
        if smoothing:
            hits = smooth(hits, self.docs[[i for i, _ in hits]], smoothing)
        return [(self.ids[i], s) for i, s in hits[:10]]

    def figures(
        self, devset: DevSet, among: set[str] | None = None, smoothing: float = 0.0
    ) -> dict[str, dict[str, float]]:
        out = {}
        for name, sub in subsets(devset).items():
            rankings = {
                q: [pid for pid, _ in self.rank(q, among, smoothing)]
                for q, _ in sub.queries
            }
            out[name] = evaluate(rankings, sub)
        return out


def row(label: str, figures: dict[str, dict[str, float]]) -> None:
    cells = " ".join(
        f"{figures[s]['ndcg@10']:6.3f} {figures[s]['recall@10']:5.3f} {figures[s]['mrr']:5.3f}"
        for s in SUBSETS
    )
    print(f"{label:38} {cells}", flush=True)


def header(title: str) -> None:
    print(f"\n== {title}")
    print(
        f"{'':38} "
        + " ".join(f"{s + ' nDCG R@10 MRR':>18}" for s in SUBSETS).replace("  ", " ")
    )


def only_queries(devset: DevSet, keep: Callable[[str], bool]) -> DevSet:
    queries = [(q, t) for q, t in devset.queries if keep(q)]
    return DevSet(devset.projects, queries, {q: devset.qrels[q] for q, _ in queries})


def feedback_pairs(devset: DevSet) -> list[tuple[str, str]]:
    """Each topic's first Dutch query -> two of its projects (simulated imports)."""
    pairs = []
    for qid, text in devset.queries:
        if qid.endswith("#0"):
            best = sorted(p for p, g in devset.qrels[qid].items() if g == 2)[:2]
            pairs += [(text, pid) for pid in best]
    return pairs


def judged_hits(
    ranker: Ranker, devset: DevSet, keep: Callable[[str], bool]
) -> dict[str, list[tuple[float, int]]]:
    out: dict[str, list[tuple[float, int]]] = {}
    for name, sub in subsets(devset).items():
        out[name] = [
            (score, sub.qrels[q].get(pid, 0))
            for q, _ in sub.queries
            if keep(q)
            for pid, score in ranker.rank(q)
        ]
    return out


def levels_report(ranker: Ranker, devset: DevSet, label: str) -> None:
    topics = sorted({q.split("#")[0] for q, _ in devset.queries})
    even = {t for i, t in enumerate(topics) if i % 2 == 0}

    def is_even(q: str) -> bool:
        return q.split("#")[0] in even

    fit = calibrate(judged_hits(ranker, devset, is_even)["Dutch"])
    print(
        f"\n== levels, {label}: calibrated on the even topics' Dutch queries: "
        f"good >= {fit.good:.4f}, possible >= {fit.possible:.4f}; "
        "precision on the odd topics (not seen):"
    )
    held = judged_hits(ranker, devset, lambda q: not is_even(q))
    for name in SUBSETS:
        p = precision(held[name], fit)
        print(
            f"  {name:8} good {p['good'][0]:.2f} of {p['good'][1]:4d} hits   "
            f"possible {p['possible'][0]:.2f} of {p['possible'][1]:4d}   "
            f"weak (relevant) {p['weak'][0]:.2f} of {p['weak'][1]:4d}"
        )
    final = calibrate(judged_hits(ranker, devset, lambda q: True)["Dutch"])
    print(
        f"  calibrated on all Dutch queries (what is stored): good >= {final.good:.4f}, "
        f"possible >= {final.possible:.4f}"
    )


def projects_of(devset: DevSet, ids: set[str] | None = None) -> list[Project]:
    return [
        Project(str(p["id"]), str(p["title"]), str(p["summary"]))
        for p in devset.projects
        if ids is None or p["id"] in ids
    ]


def adapted(
    base: Path, name: str, projects: list[Project], feedback=(), epochs: int = 2
) -> SentenceTransformerEmbedder:
    t0 = time.perf_counter()
    folder = OUT / name
    adapt_model(
        base,
        folder,
        projects,
        feedback,
        AdaptSettings(epochs=epochs, export_onnx=False),
        force=True,
    )
    print(
        f"  (adapted '{name}' on {len(projects)} texts + {len(feedback)} feedback "
        f"pairs, {epochs} epochs: {time.perf_counter() - t0:.0f}s)",
        flush=True,
    )
    return SentenceTransformerEmbedder(folder)


def report(base: Path, *, adapt: bool = True, epochs: int = 2) -> None:
    devset = load_devset()
    counts = {name: len(sub.queries) for name, sub in subsets(devset).items()}
    print(
        f"dev set: {len(devset.projects)} projects, queries {counts}; torch path; "
        f"load average {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    base_model = SentenceTransformerEmbedder(base)
    today = Ranker(base_model, devset, todays_text)
    fixed = Ranker(base_model, devset)
    header("embedded text (all 311 projects)")
    row("today's text (Title\\nSummary)", today.figures(devset))
    row("text fix (Title. Summary)", fixed.figures(devset))
    row("text fix + smoothing 0.5", fixed.figures(devset, smoothing=0.5))
    levels_report(fixed, devset, "base model, text fix")
    if not adapt:
        return
    half_a, half_b = library_halves(devset)
    held_out = restricted(devset, half_b)
    header("adaptation, library-held-out: ranked among libraries 6-11's projects")
    row("base (text fix)", fixed.figures(held_out, among=half_b))
    model_a = adapted(base, "half-a", projects_of(devset, half_a), epochs=epochs)
    ranker_a = Ranker(model_a, devset)
    row("adapted on libraries 0-5's texts", ranker_a.figures(held_out, among=half_b))
    del model_a, ranker_a
    header("adaptation, all texts")
    model_all = adapted(base, "all", projects_of(devset), epochs=epochs)
    ranker_all = Ranker(model_all, devset)
    row("base (text fix)", fixed.figures(devset))
    row("adapted on all texts", ranker_all.figures(devset))
    row("adapted + smoothing 0.5", ranker_all.figures(devset, smoothing=0.5))
    levels_report(ranker_all, devset, "adapted on all texts")
    header("with feedback pairs (figures on the queries not used as feedback)")
    later = only_queries(devset, lambda q: not q.endswith("#0"))
    row("base (text fix)", fixed.figures(later))
    row("adapted on all texts", ranker_all.figures(later))
    del model_all, ranker_all
    pairs = feedback_pairs(devset)
    model_fb = adapted(base, "all-feedback", projects_of(devset), pairs, epochs)
    row(
        f"adapted + {len(pairs)} feedback pairs",
        Ranker(model_fb, devset).figures(later),
    )


def main() -> int:
    from matcher_service.testing import default_model

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(default_model()))
    parser.add_argument("--no-adapt", action="store_true")
    parser.add_argument("--epochs", type=int, default=2)
    args = parser.parse_args()
    report(Path(args.model), adapt=not args.no_adapt, epochs=args.epochs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
