"""The in-memory FAISS index with the columns that filters need.

Inner-product search over unit vectors, every vector scanned: E5's cosine scores are
compressed (relevant around 0.84, unrelated around 0.80), so no score threshold, IVF
loses quality here and HNSW cannot delete. Two storages behind ``IndexIDMap2`` (ids,
deletes, reconstruction): ``IndexFlatIP`` (exact float32) and ``IndexScalarQuantizer``
SQ8 (one byte per dimension, trained on the vectors at hand: a quarter of the memory
and a faster scan at the same dev-set quality; bench/matcher.py measures both).
``kind="auto"`` stays flat up to ``sq8_min_records`` and converts once above it. FAISS
ids are the SQLite ``num`` of each record. Library, year and region are kept as small
integer arrays indexed by num, so a filter becomes one vectorised mask.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field

import faiss
import numpy as np

# One OpenMP thread: a single-query flat search is faster on one thread, and the
# encoder beside it keeps both cores (measured; see DESIGN.md "Speed facts").
faiss.omp_set_num_threads(1)

NO_CODE = -1
NO_YEAR = -1
# SQ8 learns each dimension's range from the vectors it is trained on: not from fewer.
SQ8_MIN_TRAIN = 1000
SQ8_TRAIN_SAMPLE = 50_000
INDEX_KINDS = ("flat", "sq8", "auto")


@dataclass
class Filters:
    """Which records a search may return; ``None`` means "any"."""

    years: Sequence[int] | None = None
    regions: Sequence[str] | None = None
    library_ids: Sequence[str] | None = None
    exclude_library_ids: Sequence[str] = field(default_factory=tuple)

    def allows(self, library_id: str, year: int | None, region: str | None) -> bool:
        """Whether one record passes (the index's mask, for a handful of records)."""
        return (
            library_id not in self.exclude_library_ids
            and (self.library_ids is None or library_id in self.library_ids)
            and (self.regions is None or region in self.regions)
            and (self.years is None or year in self.years)
        )

    def is_empty(self) -> bool:
        return (
            self.years is None
            and self.regions is None
            and self.library_ids is None
            and not self.exclude_library_ids
        )


class VectorIndex:
    """FAISS flat index plus per-num filter columns, guarded by one lock."""

    def __init__(
        self, dim: int, kind: str = "flat", sq8_min_records: int = 10_000
    ) -> None:
        if kind not in INDEX_KINDS:
            raise ValueError(f"index kind must be one of {INDEX_KINDS}, not {kind!r}")
        self.dim = dim
        self.kind = kind
        self.sq8_min_records = SQ8_MIN_TRAIN if kind == "sq8" else sq8_min_records
        self._faiss = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        self.storage = "flat"
        self.lock = threading.RLock()
        size = 1024
        self._alive = np.zeros(size, dtype=bool)
        self._lib = np.full(size, NO_CODE, dtype=np.int32)
        self._region = np.full(size, NO_CODE, dtype=np.int32)
        self._year = np.full(size, NO_YEAR, dtype=np.int32)
        self._codes: dict[str, int] = {}

    @property
    def ntotal(self) -> int:
        return int(self._faiss.ntotal)

    def _code(self, value: str | None) -> int:
        if value is None:
            return NO_CODE
        code = self._codes.get(value)
        if code is None:
            code = self._codes[value] = len(self._codes)
        return code

    def _grow(self, max_num: int) -> None:
        size = len(self._alive)
        if max_num < size:
            return
        new = max(size * 2, max_num + 1)
        pad = new - size
        self._alive = np.concatenate([self._alive, np.zeros(pad, dtype=bool)])
        self._lib = np.concatenate([self._lib, np.full(pad, NO_CODE, dtype=np.int32)])
        self._region = np.concatenate(
            [self._region, np.full(pad, NO_CODE, dtype=np.int32)]
        )
        self._year = np.concatenate([self._year, np.full(pad, NO_YEAR, dtype=np.int32)])

    def upsert(
        self,
        nums: np.ndarray,
        vectors: np.ndarray,
        attrs: Sequence[tuple[str, int | None, str | None]],
    ) -> None:
        """Add or replace vectors; ``attrs`` holds (library_id, year, region) per num."""
        nums = np.asarray(nums, dtype=np.int64)
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        with self.lock:
            self._grow(int(nums.max()) if len(nums) else 0)
            existing = nums[self._alive[nums]]
            if len(existing):
                self._faiss.remove_ids(faiss.IDSelectorBatch(existing))
            self._faiss.add_with_ids(vectors, nums)
            self._alive[nums] = True
            self._lib[nums] = [self._code(a[0]) for a in attrs]
            self._year[nums] = [NO_YEAR if a[1] is None else a[1] for a in attrs]
            self._region[nums] = [self._code(a[2]) for a in attrs]
            self._maybe_compress()

    def _maybe_compress(self) -> None:
        """Flat -> SQ8 once the index is big enough (``kind`` sq8 or auto); never back."""
        if (
            self.storage != "flat"
            or self.kind == "flat"
            or self.ntotal < self.sq8_min_records
        ):
            return
        n = self.ntotal
        ids = faiss.vector_to_array(self._faiss.id_map).astype(np.int64)
        flat = faiss.downcast_index(self._faiss.index)
        vectors = (
            # downcast_index returns the concrete IndexFlat; its stubs say Index.
            faiss.rev_swig_ptr(flat.get_xb(), n * self.dim)  # type: ignore[attr-defined]
            .reshape(n, self.dim)
            .copy()
        )
        sq = faiss.IndexScalarQuantizer(
            self.dim, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        step = max(1, n // SQ8_TRAIN_SAMPLE)
        sq.train(np.ascontiguousarray(vectors[::step]))
        index = faiss.IndexIDMap2(sq)
        index.add_with_ids(vectors, ids)
        self._faiss = index
        self.storage = "sq8"

    def remove(self, num: int) -> None:
        with self.lock:
            if num < len(self._alive) and self._alive[num]:
                self._faiss.remove_ids(
                    faiss.IDSelectorBatch(np.array([num], dtype=np.int64))
                )
                self._alive[num] = False
                self._lib[num] = NO_CODE

    def vectors_of(self, nums: Sequence[int]) -> np.ndarray:
        with self.lock:
            return np.stack([self._faiss.reconstruct(int(n)) for n in nums])

    def _mask(self, f: Filters) -> np.ndarray | None:
        if f.is_empty():
            return None
        mask = self._alive.copy()
        if f.exclude_library_ids:
            codes = [self._codes[x] for x in f.exclude_library_ids if x in self._codes]
            if codes:
                mask &= ~np.isin(self._lib, codes)
        if f.library_ids is not None:
            codes = [self._codes[x] for x in f.library_ids if x in self._codes]
            mask &= np.isin(self._lib, codes)
        if f.regions is not None:
            codes = [self._codes[x] for x in f.regions if x in self._codes]
            mask &= np.isin(self._region, codes)
        if f.years is not None:
            # NO_YEAR marks "no year given"; a filter never selects it.
            years = [y for y in f.years if 0 <= y < 2**31]
            mask &= np.isin(self._year, np.asarray(years, dtype=np.int32))
        return mask

    def search(
        self, query: np.ndarray, k: int, filters: Filters
    ) -> list[tuple[int, float]]:
        """Top ``k`` (num, score) among records that pass ``filters``, best first.

        Loose filters (most records pass, e.g. excluding one's own library) over-fetch
        and post-filter, growing the fetch until ``k`` survive or every record was seen;
        tight filters search only the allowed ids through a FAISS bitmap selector.
        """
        q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
        with self.lock:
            total = self.ntotal
            if total == 0 or k <= 0:
                return []
            mask = self._mask(filters)
            if mask is None:
                scores, ids = self._faiss.search(q, min(k, total))
                return [
                    (int(i), float(s))
                    for i, s in zip(ids[0], scores[0], strict=True)
                    if i >= 0
                ]
            allowed = int(mask.sum())
            if allowed == 0:
                return []
            if allowed * 3 >= total:
                fetch = min(total, int(k * total / allowed * 1.2) + 16)
                while True:
                    scores, ids = self._faiss.search(q, fetch)
                    hits = [
                        (int(i), float(s))
                        for i, s in zip(ids[0], scores[0], strict=True)
                        if i >= 0 and mask[i]
                    ]
                    if len(hits) >= k or fetch >= total:
                        return hits[:k]
                    fetch = min(total, fetch * 2)
            bitmap = np.packbits(mask, bitorder="little")
            # The first argument is the bitmap size in bytes.
            selector = faiss.IDSelectorBitmap(len(bitmap), faiss.swig_ptr(bitmap))
            # SWIG keyword arguments set attributes; the stubs know only the class.
            params = faiss.SearchParameters(sel=selector)  # type: ignore[call-arg]
            scores, ids = self._faiss.search(q, min(k, allowed), params=params)
            return [
                (int(i), float(s))
                for i, s in zip(ids[0], scores[0], strict=True)
                if i >= 0
            ]
