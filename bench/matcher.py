"""Benchmark of the matcher service: ranking quality on the dev set, and speed.

    .venv/bin/python bench/matcher.py                 # quality + speed at 1k, 10k, 100k
    .venv/bin/python bench/matcher.py --quality-only
    .venv/bin/python bench/matcher.py --sizes 1000 --queries 100

Quality: nDCG@10, Recall@10 and MRR on bench/matcher_devset for the default model,
for FTS5 BM25 alone, and for the fusions tried.

Speed, per size: start-up time and RSS of the real service (child process); p50/p95
of ``POST /v1/search`` over HTTP (excluding one library, k=10); and, in this process,
the floor: ``model.encode(query)`` + ``index.search`` on the same vectors. Indexing
throughput (records/s through ``POST /v1/projects/bulk``) is compared with raw
``model.encode`` throughput at batch 64 on the same texts. At 100k, records and
vectors are written straight into the store (embedding 100k texts takes too long
here), so 100k reports search and start-up, not indexing.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import faiss
import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matcher_devset import evaluate, load_devset  # noqa: E402

from matcher_service import lexical  # noqa: E402
from matcher_service.embedder import SentenceTransformerEmbedder  # noqa: E402
from matcher_service.engine import DB_NAME, MatcherEngine  # noqa: E402
from matcher_service.index import Filters  # noqa: E402
from matcher_service.sample_texts import dutch_sentences, synthetic_projects  # noqa: E402
from matcher_service.store import ProjectRecord  # noqa: E402
from matcher_service.testing import default_model, run_matcher  # noqa: E402

faiss.omp_set_num_threads(1)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))


# --- quality ----------------------------------------------------------------------
def quality(embedder: SentenceTransformerEmbedder) -> dict[str, dict[str, float]]:
    devset = load_devset()
    with tempfile.TemporaryDirectory() as tmp:
        engine = MatcherEngine(Path(tmp), embedder)
        engine.open()
        engine.upsert([ProjectRecord(**p) for p in devset.projects])  # type: ignore[arg-type]
        nums = engine.store.get_by_nums(list(range(1, len(devset.projects) + 10)))
        num_to_id = {n: r.id for n, r in nums.items()}
        dense_rank: dict[str, list[str]] = {}
        dense_scores: dict[str, dict[int, float]] = {}
        bm25_rank: dict[str, list[str]] = {}
        bm25_scores: dict[str, dict[int, float]] = {}
        for qid, text in devset.queries:
            hits = engine.index.search(engine.embed_query(text), 50, Filters())
            dense_scores[qid] = dict(hits)
            dense_rank[qid] = [num_to_id[n] for n, _ in hits]
            match = lexical.fts_query(text)
            lex = engine.store.bm25(match, None, 50) if match else {}
            bm25_scores[qid] = lex
            bm25_rank[qid] = [num_to_id[n] for n in sorted(lex, key=lex.__getitem__, reverse=True)]
        engine.close()

    results = {"dense (multilingual-e5-small)": evaluate(dense_rank, devset)}
    results["BM25 (FTS5)"] = evaluate(bm25_rank, devset)
    for weight in (0.1, 0.2, 0.3, 0.5):
        fused_rank = {}
        for qid, _ in devset.queries:
            lex = {n: s for n, s in bm25_scores[qid].items() if n in dense_scores[qid]}
            fused = lexical.fuse(dense_scores[qid], lex, weight)
            fused_rank[qid] = [num_to_id[n] for n in sorted(fused, key=fused.__getitem__, reverse=True)]
        results[f"fusion min-max w={weight}"] = evaluate(fused_rank, devset)
    rrf_rank = {}
    for qid, _ in devset.queries:
        dense_order = list(dense_scores[qid])
        lex_order = sorted(bm25_scores[qid], key=bm25_scores[qid].__getitem__, reverse=True)
        fused = lexical.rrf([dense_order, lex_order])
        rrf_rank[qid] = [num_to_id[n] for n in sorted(fused, key=fused.__getitem__, reverse=True)]
    results["fusion RRF (k=60)"] = evaluate(rrf_rank, devset)
    return results


# --- speed ------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def raw_encode_rate(embedder: SentenceTransformerEmbedder, texts: list[str]) -> float:
    embedder.model.encode(texts[:64], prompt_name=embedder.document_prompt, batch_size=64)
    t0 = time.perf_counter()
    embedder.model.encode(texts, prompt_name=embedder.document_prompt, batch_size=64,
                          normalize_embeddings=True, show_progress_bar=False)
    return len(texts) / (time.perf_counter() - t0)


def fill_store_directly(data_dir: Path, embedder: SentenceTransformerEmbedder, n: int) -> None:
    """Records with unit vectors written straight to the store (for 100k)."""
    engine = MatcherEngine(data_dir, embedder)
    engine.open()  # records the model's fingerprint, so the service will not re-embed
    rng = np.random.default_rng(0)
    batch: list[ProjectRecord] = []
    for p in synthetic_projects(n, seed=3):
        batch.append(ProjectRecord(**p))  # type: ignore[arg-type]
        if len(batch) == 5000:
            vecs = rng.normal(size=(len(batch), embedder.dim)).astype(np.float32)
            vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
            engine.store.upsert_many(batch, vecs)
            batch = []
    if batch:
        vecs = rng.normal(size=(len(batch), embedder.dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        engine.store.upsert_many(batch, vecs)
    engine.close()


def load_vectors(data_dir: Path, dim: int) -> faiss.Index:
    from matcher_service.store import ProjectStore

    store = ProjectStore(data_dir / DB_NAME)
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    for nums, vectors, _ in store.iter_index_rows():
        index.add_with_ids(np.ascontiguousarray(vectors), nums)
    store.close()
    return index


def speed(embedder: SentenceTransformerEmbedder, model_dir: Path, n: int, n_queries: int) -> dict[str, Any]:
    queries = [q.split(";")[0] for q in dutch_sentences(n_queries + 10, seed=99)]
    row: dict[str, Any] = {"records": n}
    with tempfile.TemporaryDirectory(dir=ROOT / ".data") as tmp:
        data_dir = Path(tmp)
        direct = n > 10_000
        if direct:
            t0 = time.perf_counter()
            fill_store_directly(data_dir, embedder, n)
            row["fill_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        with run_matcher(data_dir, model=model_dir) as m:
            row["startup_s"] = time.perf_counter() - t0
            client = httpx.Client(base_url=m.url, headers=m.headers, timeout=300)
            if not direct:
                projects = list(synthetic_projects(n, seed=3))
                # Raw encode measured now, beside the indexing run, since load varies.
                row["raw_encode_rps"] = raw_encode_rate(
                    embedder, [f"{p['title']}\n{p['summary']}" for p in projects[:1000]]
                )
                t0 = time.perf_counter()
                for start in range(0, n, 500):
                    r = client.post("/v1/projects/bulk", json={"projects": projects[start:start + 500]})
                    r.raise_for_status()
                row["index_rps"] = n / (time.perf_counter() - t0)
            # The floor runs in this process on the same vectors (read from the store
            # while the service runs: WAL allows it). HTTP and floor queries alternate,
            # so both see the same background load; each waits while the other runs.
            index = load_vectors(data_dir, embedder.dim)
            model = embedder.model

            def floor(q: str) -> float:
                t0 = time.perf_counter()
                vec = model.encode(q, prompt_name=embedder.query_prompt, normalize_embeddings=True)
                index.search(vec.reshape(1, -1), 10)
                return (time.perf_counter() - t0) * 1000

            body = {"k": 10, "exclude_library_ids": ["lib7"]}
            for q in queries[:10]:  # warm-up
                client.post("/v1/search", json={**body, "query": q}).raise_for_status()
                floor(q)
            http_ms, server_ms, floor_ms = [], [], []
            for q in queries[10:]:
                t0 = time.perf_counter()
                r = client.post("/v1/search", json={**body, "query": q})
                http_ms.append((time.perf_counter() - t0) * 1000)
                r.raise_for_status()
                assert len(r.json()["results"]) == 10
                server_ms.append(r.json()["took_ms"])
                floor_ms.append(floor(q))
            row["http_p50"], row["http_p95"] = pct(http_ms, 50), pct(http_ms, 95)
            row["server_p50"] = pct(server_ms, 50)
            row["floor_p50"], row["floor_p95"] = pct(floor_ms, 50), pct(floor_ms, 95)
            row["rss_mb"] = rss_mb(m.process.pid) if m.process else float("nan")
            client.close()
        row["ratio_p50"] = row["http_p50"] / row["floor_p50"]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(default_model()))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quality-only", action="store_true")
    args = parser.parse_args()

    torch_threads = os.cpu_count() or 1
    embedder = SentenceTransformerEmbedder(args.model, torch_threads=torch_threads)
    print(f"model {embedder.name} (dim {embedder.dim}), {torch_threads} cores")

    print("\n== quality on bench/matcher_devset (85 projects, 50 queries)")
    print(f"{'ranking':32} {'nDCG@10':>8} {'R@10':>6} {'MRR':>6}")
    for name, m in quality(embedder).items():
        print(f"{name:32} {m['ndcg@10']:8.3f} {m['recall@10']:6.3f} {m['mrr']:6.3f}")
    if args.quality_only:
        return 0


    print("\n== speed (HTTP = POST /v1/search over loopback; floor = encode + index.search in-process)")
    header = (f"{'records':>8} {'HTTP p50':>9} {'p95':>7} {'in-app':>7} {'floor p50':>10} {'p95':>7} {'ratio':>6} "
              f"{'index rec/s':>12} {'raw rec/s':>10} {'vs raw':>7} {'start s':>8} {'RSS MB':>7}")
    print(header)
    for n in (int(s) for s in args.sizes.split(",")):
        row = speed(embedder, Path(args.model), n, args.queries)
        idx = row.get("index_rps")
        print(
            f"{n:>8} {row['http_p50']:8.1f}ms {row['http_p95']:6.1f}ms {row['server_p50']:6.1f}ms {row['floor_p50']:9.1f}ms "
            f"{row['floor_p95']:6.1f}ms {row['ratio_p50']:6.2f} "
            + (f"{idx:12.0f} {row['raw_encode_rps']:10.0f} {idx / row['raw_encode_rps']:6.0%}"
               if idx else f"{'(direct)':>12} {'':>10} {'':>7}")
            + f" {row['startup_s']:8.1f} {row['rss_mb']:7.0f}",
            flush=True,
        )
    print(f"\nruns on {os.cpu_count()} cores; other work on the machine makes timings noisy")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
