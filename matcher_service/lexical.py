"""Word-level helpers: ``matched_terms`` for display, and optional BM25 fusion.

Fusion is off by default: on the dev set (bench/matcher_devset) titles and summaries
of similar projects share few words, and mixing BM25 into the dense score did not
improve nDCG@10 (figures in bench/matcher.py's output). The code stays so a deployment
with more literal queries can turn it on with ``MATCHER_LEXICAL_WEIGHT``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence

import stopwordsiso

_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)


def _stopwords() -> frozenset[str]:
    """Dutch and English stop words from stopwordsiso, folded like the text they meet.

    The package's English list is broad (it holds "help", "work", "home", "group"):
    words that name a project's subject are kept. Added: verbs and fillers that
    project summaries use everywhere and that say nothing about the subject.
    """
    words_ = set(stopwordsiso.stopwords(["nl", "en"])) - _SUBJECT_WORDS
    return frozenset(fold(w) for w in words_ | _FILLER)


_SUBJECT_WORDS = frozenset(
    "help helps work works working home course group groups information free young "
    "older world children parents school".split()
)
_FILLER = frozenset(
    """
    krijgen krijgt kregen volgen volgt gaan gaat komen komt laten laat zorgen zorgt
    bieden biedt staan staat houden houdt zetten nieuw nieuwe elkaar jaar keer week
    """.split()
)


def fold(text: str) -> str:
    """Lower-case and strip diacritics, so "Poëzie" and "poezie" meet."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


STOPWORDS = _stopwords()


def words(text: str) -> list[str]:
    return _WORD.findall(text)


def content_terms(text: str) -> list[tuple[str, str]]:
    """``(as typed, folded)`` for each content word, first occurrence only."""
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for word in words(text):
        folded = fold(word)
        if len(folded) < 2 or folded in STOPWORDS or folded in seen:
            continue
        seen.add(folded)
        out.append((word, folded))
    return out


def _stem_match(a: str, b: str) -> bool:
    # A shared start of 5+ letters links inflections and compounds: "peuter" and
    # "peuters" or "digitaal" and "digitale" match, "voorlezen" and "voorleesuur" do not.
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 5 and long_.startswith(short[: max(5, len(short) - 2)])


def matched_terms(query_terms: Sequence[tuple[str, str]], document: str) -> list[str]:
    """The query's words (as typed) that also occur in ``document``."""
    if not query_terms:
        return []
    doc_words = {fold(w) for w in words(document)}
    # Only words sharing their first five letters can stem-match: look those up.
    by_start: dict[str, list[str]] = {}
    for word in doc_words:
        if len(word) >= 5:
            by_start.setdefault(word[:5], []).append(word)
    return [
        typed
        for typed, folded in query_terms
        if folded in doc_words
        or any(_stem_match(folded, w) for w in by_start.get(folded[:5], ()))
    ]


def fts_query(text: str) -> str | None:
    """An FTS5 OR-query of the content words (quoted, so no FTS5 syntax gets through)."""
    terms = [folded.replace('"', "") for _, folded in content_terms(text)]
    terms = [t for t in terms if t]
    if not terms:
        return None
    return " OR ".join(f'"{t}"' for t in terms)


def fuse(
    dense: Mapping[int, float], lexical: Mapping[int, float], weight: float
) -> dict[int, float]:
    """Weighted sum of min-max normalised dense and BM25 scores over the dense pool."""
    if not dense:
        return {}
    lo, hi = min(dense.values()), max(dense.values())
    span = (hi - lo) or 1.0
    top_lex = max(lexical.values(), default=0.0) or 1.0
    return {
        n: (1.0 - weight) * (s - lo) / span + weight * lexical.get(n, 0.0) / top_lex
        for n, s in dense.items()
    }


def rrf(rankings: Sequence[Sequence[int]], k: int = 60) -> dict[int, float]:
    """Reciprocal rank fusion of several rankings."""
    out: dict[int, float] = {}
    for ranking in rankings:
        for rank, n in enumerate(ranking):
            out[n] = out.get(n, 0.0) + 1.0 / (k + rank + 1)
    return out
