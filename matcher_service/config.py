"""Settings of the matcher service, read from ``MATCHER_*`` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class MatcherSettings(BaseSettings):
    """Everything the service needs to start; flags of ``serve`` override these."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_", extra="ignore")

    api_token: str = Field(
        default="",
        description="Bearer token required on every route but /v1/health. Empty refuses to start.",
    )
    data_dir: Path = Path(".data/matcher")
    model: str = ".data/models/multilingual-e5-small"
    host: str = "127.0.0.1"
    port: int = Field(default=8765, ge=0, le=65535)
    # Documents are embedded in batches of this size (the throughput sweet spot on CPU).
    batch_size: int = Field(default=64, ge=1, le=1024)
    # 0 means "all cores": one request at a time uses torch's intra-op threads.
    torch_threads: int = Field(default=0, ge=0)
    # Lexical (FTS5 BM25) fusion weight; 0 turns it off (see bench/matcher.py for why).
    lexical_weight: float = Field(default=0.0, ge=0.0, le=1.0)
    # Neighbour smoothing of the ranking (rerank.py); 0 turns it off. bench/matcher.py
    # measures it per subset (bench/matcher_results.md).
    smoothing: float = Field(default=0.0, ge=0.0, le=2.0)
    max_body_bytes: int = Field(default=16 * 1024 * 1024, ge=1024)
    max_bulk: int = Field(default=2000, ge=1)
    log_level: str = "info"
    # "onnx": onnxruntime + tokenizers, no torch in the process (a folder without an
    # ONNX export falls back to torch, with a log line). "torch" (alias
    # "sentence-transformers"): the reference. "fake": the hashing FakeEmbedder, for
    # plumbing tests only, never production.
    embedder: str = Field(
        default="onnx", pattern="^(onnx|torch|sentence-transformers|fake)$"
    )
    # onnxruntime intra-op threads per query. bench/matcher.py, 8 concurrent clients on a
    # busy 2-core machine: 1 thread 28.3/22.0/25.0 searches/s at 1k/10k/100k, 2 threads
    # 27.0/24.1/20.9: a draw within the noise, so 1, which lets two concurrent queries
    # use both cores instead of 16 threads fighting over 2 (a lone query is faster on 2).
    onnx_threads: int = Field(default=1, ge=1, le=64)
    # FAISS index: "flat" (exact float32), "sq8" (8-bit scalar quantizer, a quarter of
    # the memory, faster scans) or "auto": flat below sq8_min_records, then SQ8.
    # bench/matcher.py: SQ8's dev-set nDCG@10 is within 0.003 of flat at 1k, 10k and
    # 100k; one query scans 2.6x faster at 10k (1.0 vs 2.6 ms) and 2.6x at 100k. Below
    # 10k flat costs little and SQ8 would learn its ranges from few vectors.
    index: str = Field(default="auto", pattern="^(flat|sq8|auto)$")
    sq8_min_records: int = Field(default=10_000, ge=1000)
    # /docs, /redoc and /openapi.json: off unless enabled (they need no token).
    openapi_docs: bool = False
