"""A small LRU of query vectors: the same query is embedded once.

Typing a title sends a search per pause, so the same prefixes come again (backspace,
a second editor, the admin's search page after the editor's panel); embedding is
most of a search's time. Vectors are keyed by the exact query text, belong to one
engine (one model), and are returned read-only so no caller can change a cached one.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable

import numpy as np

DEFAULT_SIZE = 1024  # x 384 float32 = 1.5 MB for multilingual-e5-small


class QueryVectorCache:
    """``get(query, embed)``: the cached vector, or ``embed(query)`` remembered."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, query: str, embed: Callable[[str], np.ndarray]) -> np.ndarray:
        with self._lock:
            vector = self._vectors.get(query)
            if vector is not None:
                self._vectors.move_to_end(query)
                self.hits += 1
                return vector
            self.misses += 1
        # Embedded outside the lock: other queries need not wait for this one.
        vector = embed(query)
        vector.setflags(write=False)
        if self.size > 0:
            with self._lock:
                self._vectors[query] = vector
                self._vectors.move_to_end(query)
                while len(self._vectors) > self.size:
                    self._vectors.popitem(last=False)
        return vector

    def __len__(self) -> int:
        return len(self._vectors)
