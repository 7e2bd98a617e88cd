"""After the vector search: neighbour smoothing and one line per lineage.

Smoothing (off unless ``MATCHER_SMOOTHING`` > 0): a candidate that resembles the best
hits is more likely on topic than one that only resembles the query's wording. Each
candidate's rank score becomes ``score + lambda x`` the score-weighted mean similarity
to the top 3 hits (other than itself). The displayed score and its level stay the
cosine with the query.

Lineage: the copies of one project over the years (copy to next year, import) share a
``lineage`` key; search returns the best member of each lineage and lists the others
in ``also``. A record without one is its own lineage.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

SMOOTHING_TOP = 3


def smooth(
    hits: Sequence[tuple[int, float]],
    vectors: np.ndarray,
    weight: float,
) -> list[tuple[int, float]]:
    """``hits`` reordered by neighbour-smoothed score (scores returned unchanged).

    :param hits: ``(num, cosine)`` best first.
    :param vectors: the hits' document vectors, in the same order.
    :param weight: lambda; 0 keeps the order.
    """
    if weight <= 0 or len(hits) < 2:
        return list(hits)
    scores = np.asarray([s for _, s in hits], dtype=np.float32)
    sims = vectors @ vectors[:SMOOTHING_TOP].T  # candidate x top hits
    top_weights = scores[:SMOOTHING_TOP].copy()
    keyed = []
    for i in range(len(hits)):
        w = top_weights.copy()
        if i < SMOOTHING_TOP:
            w[i] = 0.0  # not its own neighbour
        total = float(w.sum())
        neighbour = float(sims[i] @ w) / total if total > 0 else 0.0
        keyed.append((float(scores[i]) + weight * neighbour, i))
    keyed.sort(key=lambda item: -item[0])
    return [hits[i] for _, i in keyed]


def lineage_key(record_id: str, lineage: str | None) -> str:
    """Records without a lineage are their own (ids and lineages never collide)."""
    return f"l:{lineage}" if lineage else f"i:{record_id}"


def collapse(
    ordered: Sequence[tuple[int, float]],
    key_of: Callable[[int], str | None],
    k: int,
) -> list[tuple[int, float]]:
    """The best member of each of the first ``k`` lineages, in order.

    :param key_of: a hit's lineage key, ``None`` for a record gone meanwhile.
    """
    seen: set[str] = set()
    out: list[tuple[int, float]] = []
    for num, score in ordered:
        key = key_of(num)
        if key is None or key in seen:
            continue
        seen.add(key)
        out.append((num, score))
        if len(out) == k:
            break
    return out
