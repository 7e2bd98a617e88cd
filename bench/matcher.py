"""Benchmark of the matcher service: ranking quality on the dev set, and speed.

    .venv/bin/python bench/matcher.py                      # 1k, 10k, 100k
    .venv/bin/python bench/matcher.py --sizes 1000 --queries 100
    .venv/bin/python bench/matcher.py --quality-only

Per size N (records in the service):

- quality first (bench/matcher_quality.py): nDCG@10 / R@10 / MRR per subset for today's
  text, the text fix, adaptation (library-held-out and all), with feedback pairs, with
  smoothing, and the match-level thresholds with their precision;
- then nDCG@10 on bench/matcher_devset (311 projects; Dutch, English and misspelt
  queries) with the devset's projects among N-311 distractors, for the torch path
  (sentence-transformers queries and documents) and the onnx path (int8 queries, the
  export's document graph), on a flat and an SQ8 index. Distractors: ``--real`` of them
  embedded by the ONNX document graph once and cached under .data/bench/, the rest
  normalised mixes of two of those plus a little noise, so they sit where project
  vectors sit (embedding 100k texts is out of reach on a shared 2-core machine).
- speed, the real service as a child process: start-up (a store already holding N-M
  records with those vectors: no re-embedding), indexing rate of M (``--new``) new
  records through ``POST /v1/projects/bulk`` (500 per request), RSS, ``POST /v1/search`` p50/p95 over
  HTTP for the dev set's queries (what librarians type: titles) against the in-process floor (the same embedder files and index kind, in this
  process, alternating with the HTTP queries so both see the same load), and 8
  concurrent clients (p50/p95, throughput, errors).
- today's path for reference (``--torch-reference``, at the smallest size): the same
  service with ``MATCHER_EMBEDDER=torch MATCHER_INDEX=flat``.
- ``--threads``: onnxruntime intra-op threads per query (1 vs 2) under 8 clients.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from matcher_devset import DevSet, evaluate, load_devset, subsets  # noqa: E402

from matcher_service.build.sample_texts import synthetic_projects  # noqa: E402
from matcher_service.config import MatcherSettings  # noqa: E402
from matcher_service.embedder import Embedder  # noqa: E402
from matcher_service.engine import DB_NAME, MatcherEngine  # noqa: E402
from matcher_service.index import Filters, VectorIndex  # noqa: E402
from matcher_service.onnx_embedder import OnnxEmbedder  # noqa: E402
from matcher_service.store import ProjectRecord, ProjectStore  # noqa: E402
from matcher_service.testing import default_model, run_matcher  # noqa: E402

CACHE = ROOT / ".data" / "bench"
BULK = 500


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else float("nan")


# --- the distractor corpus, embedded once ---------------------------------------------
def corpus(n: int) -> list[dict[str, Any]]:
    return list(synthetic_projects(n, seed=3))


def corpus_vectors(onnx: OnnxEmbedder, n: int, real: int) -> np.ndarray:
    """Vectors for ``corpus(n)``: the first ``real`` embedded by the export's document
    graph (cached in .data/bench/), the rest normalised mixes of two of those plus a
    little noise, so that they sit where real project vectors sit (embedding 100k
    texts is out of reach on a shared 2-core machine)."""
    meta = (
        json.dumps(onnx.meta.get("agreement", {}), sort_keys=True) + onnx.document_file
    )
    key = f"{onnx.name}-{hashlib.sha1(meta.encode(), usedforsecurity=False).hexdigest()[:10]}"
    folder = CACHE / "vectors" / key
    folder.mkdir(parents=True, exist_ok=True)
    chunk = 250
    projects = corpus(real)
    parts = []
    for start in range(0, real, chunk):
        path = folder / f"{start:07d}.npy"
        if not path.exists():
            texts = [
                ProjectRecord(**p).embed_text() for p in projects[start : start + chunk]
            ]
            t0 = time.perf_counter()
            np.save(path, onnx.embed_documents(texts))
            print(
                f"  embedded distractors {start + len(texts)}/{real} "
                f"({len(texts) / (time.perf_counter() - t0):.0f} rec/s)",
                flush=True,
            )
        parts.append(np.load(path))
    base = np.concatenate(parts)[:real]
    if n <= real:
        return base[:n]
    rng = np.random.default_rng(5)
    a = base[rng.integers(0, real, n - real)]
    b = base[rng.integers(0, real, n - real)]
    w = rng.uniform(0.2, 0.8, size=(n - real, 1)).astype(np.float32)
    mixed = w * a + (1 - w) * b + rng.normal(0, 0.01, size=a.shape).astype(np.float32)
    mixed /= np.linalg.norm(mixed, axis=1, keepdims=True)
    return np.concatenate([base, mixed.astype(np.float32)])


# --- quality ----------------------------------------------------------------------------
def path_vectors(
    embedder: Embedder, devset: DevSet
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """The devset's project vectors and every subset's query vectors through one path."""
    texts = [ProjectRecord(**p).embed_text() for p in devset.projects]  # type: ignore[arg-type]
    queries = {
        qid: embedder.embed_queries([text])[0]
        for sub in subsets(devset).values()
        for qid, text in sub.queries
    }
    return embedder.embed_documents(texts), queries


def quality(
    vectors: tuple[np.ndarray, dict[str, np.ndarray]],
    devset: DevSet,
    distractors: np.ndarray,
    kind: str,
) -> dict[str, Any]:
    """nDCG@10 per subset with the devset's projects among ``distractors``."""
    docs, queries = vectors
    n_dev = len(docs)
    ids = [str(p["id"]) for p in devset.projects]
    index = VectorIndex(docs.shape[1], kind, sq8_min_records=1000)
    all_vecs = np.concatenate([docs, distractors]) if len(distractors) else docs
    index.upsert(
        np.arange(len(all_vecs), dtype=np.int64),
        all_vecs,
        [("lib", None, None)] * len(all_vecs),
    )
    out: dict[str, Any] = {"storage": index.storage}
    for name, sub in subsets(devset).items():
        rankings = {
            qid: [
                ids[n] if n < n_dev else f"x{n}"
                for n, _ in index.search(queries[qid], 10, Filters())
            ]
            for qid, _ in sub.queries
        }
        out[name] = evaluate(rankings, sub)["ndcg@10"]
    return out


# --- speed ------------------------------------------------------------------------------
def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class SearchClient:
    """``POST /v1/search`` over one keep-alive connection with ``http.client``.

    The latency figures are the service's: httpx spends about 2 ms of its own per
    request on this machine, as much as the service's whole HTTP layer.
    """

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        parts = urlsplit(url)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.headers = {**headers, "Content-Type": "application/json"}

    def search(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.conn.request("POST", "/v1/search", json.dumps(body), self.headers)
        response = self.conn.getresponse()
        return response.status, json.loads(response.read())

    def close(self) -> None:
        self.conn.close()


def speed_queries(n: int) -> list[str]:
    """What librarians type: the dev set's queries (Dutch, English and misspelt titles,
    about 12 tokens), in a fixed shuffled order, ``n`` different texts.

    Different, because the service keeps the vectors of queries it has embedded (its
    LRU): a text asked twice would time the cache, not the encoder. Past the pool's
    end a query comes again with a number after it (one token more).
    """
    devset = load_devset()
    pool = [text for sub in subsets(devset).values() for _, text in sub.queries]
    np.random.default_rng(9).shuffle(pool)
    return [
        pool[i] if i < len(pool) else f"{pool[i % len(pool)]} {i // len(pool)}"
        for i in range(n)
    ]


def fill_store(
    data_dir: Path,
    embedder: Embedder,
    projects: list[dict[str, Any]],
    vectors: np.ndarray,
) -> None:
    """Records with their vectors straight into the store (no embedding)."""
    engine = MatcherEngine(data_dir, embedder)
    engine.open()  # records the model's fingerprint, so the service will not re-embed
    for start in range(0, len(projects), 5000):
        batch = [ProjectRecord(**p) for p in projects[start : start + 5000]]
        engine.store.upsert_many(batch, vectors[start : start + len(batch)])
    engine.close()


def concurrent(
    url: str, headers: dict[str, str], queries: list[str], clients: int = 8
) -> dict[str, float]:
    body = {"k": 10, "exclude_library_ids": ["lib7"]}
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    per = max(1, len(queries) // clients)

    def run(i: int) -> None:
        c = SearchClient(url, headers)
        for q in queries[i * per : (i + 1) * per]:
            t0 = time.perf_counter()
            try:
                code, answer = c.search({**body, "query": q})
                ok = code == 200 and len(answer["results"]) == 10
            except (OSError, http.client.HTTPException, ValueError):
                ok = False
                c.close()
                c = SearchClient(url, headers)
            ms = (time.perf_counter() - t0) * 1000
            with lock:
                latencies.append(ms)
                errors[0] += 0 if ok else 1
        c.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    return {
        "c_p50": pct(latencies, 50),
        "c_p95": pct(latencies, 95),
        "c_qps": len(latencies) / wall,
        "c_errors": errors[0],
    }


def speed(
    model_dir: Path,
    n: int,
    n_queries: int,
    distractors: np.ndarray,
    env: dict[str, str],
    floor_embedder: Embedder,
    new_records: int,
) -> dict[str, Any]:
    # Warm-up, the single client's queries, then the concurrent clients' own.
    queries = speed_queries(2 * n_queries + 10)
    single, together = queries[10 : n_queries + 10], queries[n_queries + 10 :]
    projects = corpus(n + 2000)
    m_new = min(n, new_records)
    pre = n - m_new
    row: dict[str, Any] = {"records": n}
    with tempfile.TemporaryDirectory(dir=CACHE) as tmp:
        data_dir = Path(tmp)
        if pre:
            fill_store(data_dir, floor_embedder, projects[:pre], distractors[:pre])
        t0 = time.perf_counter()
        with run_matcher(data_dir, model=model_dir, env=env) as m:
            row["startup_s"] = time.perf_counter() - t0
            log = m.stderr_text()
            row["storage_at_start"] = "sq8" if "(sq8 index)" in log else "flat"
            client = httpx.Client(base_url=m.url, headers=m.headers, timeout=600)
            new = projects[pre : pre + m_new]
            t0 = time.perf_counter()
            for start in range(0, m_new, BULK):
                client.post(
                    "/v1/projects/bulk", json={"projects": new[start : start + BULK]}
                ).raise_for_status()
            row["index_rps"] = m_new / (time.perf_counter() - t0)
            # The floor: same embedder files, same index kind, same vectors, this process.
            store = ProjectStore(data_dir / DB_NAME)
            kind = env.get("MATCHER_INDEX", "auto")
            index = VectorIndex(
                floor_embedder.dim,
                kind,
                int(
                    env.get(
                        "MATCHER_SQ8_MIN_RECORDS", MatcherSettings().sq8_min_records
                    )
                ),
            )
            for nums, vectors, attrs in store.iter_index_rows():
                index.upsert(nums, vectors, attrs)
            store.close()
            row["storage"] = index.storage
            excl = Filters(exclude_library_ids=["lib7"])

            def floor(q: str) -> float:
                t0 = time.perf_counter()
                index.search(floor_embedder.embed_queries([q])[0], 10, excl)
                return (time.perf_counter() - t0) * 1000

            body = {"k": 10, "exclude_library_ids": ["lib7"]}
            searcher = SearchClient(m.url, m.headers)
            for q in queries[:10]:  # warm-up
                assert searcher.search({**body, "query": q})[0] == 200
                floor(q)
            http_ms, floor_ms = [], []
            for q in single:
                t0 = time.perf_counter()
                code, answer = searcher.search({**body, "query": q})
                http_ms.append((time.perf_counter() - t0) * 1000)
                assert code == 200 and len(answer["results"]) == 10, answer
                floor_ms.append(floor(q))
            searcher.close()
            row["http_p50"], row["http_p95"] = pct(http_ms, 50), pct(http_ms, 95)
            row["floor_p50"], row["floor_p95"] = pct(floor_ms, 50), pct(floor_ms, 95)
            row["ratio"] = row["http_p50"] / row["floor_p50"]
            row.update(concurrent(m.url, m.headers, together))
            row["rss_mb"] = rss_mb(m.process.pid) if m.process else float("nan")
            client.close()
    return row


def print_speed(label: str, row: dict[str, Any]) -> None:
    print(
        f"{label:14} {row['records']:>7} {row['http_p50']:7.1f} {row['http_p95']:7.1f} "
        f"{row['floor_p50']:7.1f} {row['ratio']:6.2f} {row['rss_mb']:7.0f} {row['startup_s']:7.1f} "
        f"{row['index_rps']:8.0f} {row['storage']:>5} {row['c_p50']:7.1f} {row['c_p95']:7.1f} "
        f"{row['c_qps']:6.1f} {row['c_errors']:4d}",
        flush=True,
    )


SPEED_HEADER = (
    f"{'path':14} {'records':>7} {'p50 ms':>7} {'p95 ms':>7} {'floor':>7} {'ratio':>6} {'RSS MB':>7} "
    f"{'start s':>7} {'index/s':>8} {'index':>5} {'8c p50':>7} {'8c p95':>7} {'8c q/s':>6} {'err':>4}"
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(default_model()))
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--quality-only", action="store_true")
    parser.add_argument("--no-quality", action="store_true")
    parser.add_argument(
        "--no-adapt", action="store_true", help="quality without training models"
    )
    parser.add_argument("--epochs", type=int, default=2, help="adaptation epochs")
    parser.add_argument(
        "--torch-reference",
        action="store_true",
        help="also run today's torch+flat service",
    )
    parser.add_argument(
        "--threads", action="store_true", help="compare MATCHER_ONNX_THREADS 1 and 2"
    )
    parser.add_argument(
        "--real", type=int, default=1000, help="distractors embedded for real"
    )
    parser.add_argument(
        "--new", type=int, default=200, help="records indexed through the API per size"
    )
    args = parser.parse_args()
    model_dir = Path(args.model)
    sizes = [int(s) for s in args.sizes.split(",")]
    CACHE.mkdir(parents=True, exist_ok=True)

    onnx = OnnxEmbedder(model_dir, query_threads=1)
    print(
        f"model {onnx.name} (dim {onnx.dim}); onnx queries {onnx.query_file}, documents "
        f"{onnx.document_file}; {os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f}"
    )
    distractors = corpus_vectors(onnx, max(sizes) + 2000, args.real)
    print(f"distractors: {args.real} embedded, the rest mixes of those", flush=True)

    if not args.no_quality:
        from matcher_quality import report

        from matcher_service.embedder import SentenceTransformerEmbedder

        report(model_dir, adapt=not args.no_adapt, epochs=args.epochs)

        devset = load_devset()
        paths = {
            "torch": path_vectors(SentenceTransformerEmbedder(model_dir), devset),
            "onnx": path_vectors(onnx, devset),
        }
        print("\n== nDCG@10 on the dev set among N-311 distractors")
        print(
            f"{'records':>8} {'path':6} {'index':>5} {'Dutch':>7} {'English':>8} {'typos':>7}"
        )
        for n in sizes:
            extra = distractors[: max(0, n - len(devset.projects))]
            for name, kind in (
                ("torch", "flat"),
                ("onnx", "flat"),
                ("torch", "sq8"),
                ("onnx", "sq8"),
            ):
                q = quality(paths[name], devset, extra, kind)
                print(
                    f"{n:>8} {name:6} {q['storage']:>5} {q['Dutch']:7.3f} {q['English']:8.3f} "
                    f"{q['typos']:7.3f}",
                    flush=True,
                )
    if args.quality_only:
        return 0

    print(
        f"\n== speed: HTTP POST /v1/search over loopback vs the in-process floor; index/s = "
        f"{args.new} new records through POST /v1/projects/bulk; 8c = 8 concurrent clients"
    )
    print(SPEED_HEADER, flush=True)
    if args.torch_reference:
        from matcher_service.embedder import SentenceTransformerEmbedder

        ref = SentenceTransformerEmbedder(model_dir, torch_threads=os.cpu_count() or 1)
        row = speed(
            model_dir,
            sizes[0],
            args.queries,
            distractors,
            {"MATCHER_EMBEDDER": "torch", "MATCHER_INDEX": "flat"},
            ref,
            args.new,
        )
        print_speed("torch+flat", row)
        del ref
    for n in sizes:
        row = speed(
            model_dir,
            n,
            args.queries,
            distractors,
            {"MATCHER_EMBEDDER": "onnx"},
            onnx,
            args.new,
        )
        print_speed("onnx+auto", row)
        if args.threads:
            row = speed(
                model_dir,
                n,
                args.queries,
                distractors,
                {"MATCHER_EMBEDDER": "onnx", "MATCHER_ONNX_THREADS": "2"},
                OnnxEmbedder(model_dir, query_threads=2),
                args.new,
            )
            print_speed("onnx 2 thr", row)
    print(
        f"\nload average at the end {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores "
        "(shared machine: timings are noisy); one run"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
