"""The matcher's dev set (clusters.json) and ranking metrics.

Judgements: a project in the query's own cluster is grade 2 (the same project idea),
one in a cluster the query's cluster lists as related is grade 1. nDCG@10 uses graded
gains (2**grade - 1); Recall@10 and MRR count grade-2 projects only.

311 projects in 47 topic clusters, 116 Dutch queries, 94 English ones and the Dutch
ones with typing slips. Projects sit in 12 libraries (``lib0`` .. ``lib11``, members of
a cluster in different libraries); ``library_halves`` splits them for adaptation
experiments: train on one half's texts, rank the other half's.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent


@dataclass
class DevSet:
    projects: list[dict[str, object]]
    queries: list[tuple[str, str]]  # (query id, text)
    qrels: dict[str, dict[str, int]]  # query id -> project id -> grade


def load_devset(path: Path = HERE / "clusters.json") -> DevSet:
    clusters = json.loads(path.read_text(encoding="utf-8"))["clusters"]
    projects: list[dict[str, object]] = []
    members: dict[str, list[str]] = {}
    n = 0
    for cluster in clusters:
        ids = []
        for title, summary in cluster["projects"]:
            pid = f"d{n:03d}"
            projects.append(
                {
                    "id": pid,
                    "library_id": f"lib{n % LIBRARIES}",  # members of a cluster sit in different libraries
                    "library_name": f"Bibliotheek {n % LIBRARIES}",
                    "title": title,
                    "summary": summary,
                }
            )
            ids.append(pid)
            n += 1
        members[cluster["topic"]] = ids
    queries: list[tuple[str, str]] = []
    qrels: dict[str, dict[str, int]] = {}
    for cluster in clusters:
        for j, text in enumerate(cluster["queries"]):
            qid = f"{cluster['topic']}#{j}"
            queries.append((qid, text))
            grades = {pid: 1 for rel in cluster["related"] for pid in members[rel]}
            grades.update(dict.fromkeys(members[cluster["topic"]], 2))
            qrels[qid] = grades
    return DevSet(projects, queries, qrels)


LIBRARIES = 12


def library_halves(devset: DevSet) -> tuple[set[str], set[str]]:
    """Ids of the projects of libraries 0-5 and of libraries 6-11."""
    first = {f"lib{n}" for n in range(LIBRARIES // 2)}
    a = {str(p["id"]) for p in devset.projects if p["library_id"] in first}
    b = {str(p["id"]) for p in devset.projects if p["library_id"] not in first}
    return a, b


def restricted(devset: DevSet, ids: set[str]) -> DevSet:
    """The dev set ranked among ``ids`` only: judgements outside them are dropped and
    queries left without a grade-2 project are left out."""
    projects = [p for p in devset.projects if p["id"] in ids]
    qrels = {
        q: {pid: g for pid, g in grades.items() if pid in ids}
        for q, grades in devset.qrels.items()
    }
    queries = [(q, t) for q, t in devset.queries if 2 in qrels[q].values()]
    return DevSet(projects, queries, {q: qrels[q] for q, _ in queries})


def with_typo(text: str, rng: random.Random) -> str:
    """One typing slip per word of five letters or more: a swapped, dropped or doubled letter."""
    words = text.split(" ")
    for i, word in enumerate(words):
        if len(word) < 5 or not word.isalpha():
            continue
        j = rng.randrange(1, len(word) - 2)
        kind = rng.randrange(3)
        if kind == 0:
            word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
        elif kind == 1:
            word = word[:j] + word[j + 1 :]
        else:
            word = word[:j] + word[j] + word[j:]
        words[i] = word
    return " ".join(words)


def subsets(devset: DevSet, path: Path = HERE / "queries_en.json") -> dict[str, DevSet]:
    """The dev set's queries three ways: as written (Dutch), in English, and the Dutch
    ones with typing slips (fixed seed). Projects and judgements are shared."""
    english = json.loads(path.read_text(encoding="utf-8"))["queries"]
    en_queries: list[tuple[str, str]] = []
    en_qrels: dict[str, dict[str, int]] = {}
    for qid, _ in devset.queries:
        topic, j = qid.split("#")
        texts = english.get(topic, [])
        if int(j) < len(texts):
            en_queries.append((f"{qid}@en", texts[int(j)]))
            en_qrels[f"{qid}@en"] = devset.qrels[qid]
    rng = random.Random(11)
    typo_queries = [
        (f"{qid}@typo", with_typo(text, rng)) for qid, text in devset.queries
    ]
    typo_qrels = {f"{qid}@typo": devset.qrels[qid] for qid, _ in devset.queries}
    return {
        "Dutch": devset,
        "English": DevSet(devset.projects, en_queries, en_qrels),
        "typos": DevSet(devset.projects, typo_queries, typo_qrels),
    }


def ndcg_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    dcg = sum(
        (2 ** grades.get(pid, 0) - 1) / math.log2(i + 2)
        for i, pid in enumerate(ranking[:k])
    )
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranking: Sequence[str], grades: Mapping[str, int], k: int = 10) -> float:
    relevant = {pid for pid, g in grades.items() if g >= 2}
    return len(relevant & set(ranking[:k])) / len(relevant) if relevant else 0.0


def mrr(ranking: Sequence[str], grades: Mapping[str, int]) -> float:
    for i, pid in enumerate(ranking):
        if grades.get(pid, 0) >= 2:
            return 1.0 / (i + 1)
    return 0.0


def evaluate(rankings: Mapping[str, Sequence[str]], devset: DevSet) -> dict[str, float]:
    """Mean nDCG@10, Recall@10 and MRR over the dev set's queries."""
    qids = [qid for qid, _ in devset.queries]
    return {
        "ndcg@10": sum(ndcg_at(rankings[q], devset.qrels[q]) for q in qids) / len(qids),
        "recall@10": sum(recall_at(rankings[q], devset.qrels[q]) for q in qids)
        / len(qids),
        "mrr": sum(mrr(rankings[q], devset.qrels[q]) for q in qids) / len(qids),
    }
