"""Match levels: "good", "possible" or "weak", from score thresholds per model.

E5's cosine scores are compressed (unrelated projects around 0.81-0.83, real matches
0.86-0.91 with the base model), so a raw score means nothing to a librarian. The
thresholds are calibrated on the dev set (bench/matcher.py) for one model and stored in
its folder as ``levels.json``; ``adapt`` writes its own for the model it makes. A model
without calibrated thresholds calls every hit "possible": it cannot say "good".
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

logger = logging.getLogger("matcher_service")

LEVELS_FILE = "levels.json"
LEVELS = ("good", "possible", "weak")

# Calibrated by ``bench/matcher.py --calibrate`` on the dev set for the base model
# (multilingual-e5-small, "Title. Summary" texts); `build-model` writes them into the
# folder it builds. Figures in bench/matcher_results.md.
BUILT_IN = {
    "multilingual-e5-small": {"good": 0.8743, "possible": 0.8428},
}


@dataclass(frozen=True)
class MatchLevels:
    """Score thresholds: ``score >= good`` is good, ``>= possible`` possible, else weak."""

    good: float
    possible: float
    source: str = "calibrated"

    def level(self, score: float) -> str:
        if score >= self.good:
            return "good"
        if score >= self.possible:
            return "possible"
        return "weak"

    def to_json(self) -> dict[str, object]:
        return asdict(self)


# Cosines lie in [-1, 1]: nothing is good, nothing is weak.
UNCALIBRATED = MatchLevels(good=2.0, possible=-2.0, source="none")
# The hashing FakeEmbedder (plumbing tests): words in common give cosine well above 0.
FAKE = MatchLevels(good=0.5, possible=0.25, source="fake embedder")


def load_levels(model: str | Path, name: str, *, fake: bool = False) -> MatchLevels:
    """The thresholds for the model in ``model`` (a folder).

    :param name: the model's name, for the built-in thresholds of the base model.
    :param fake: the hashing FakeEmbedder serves (plumbing tests).
    """
    if fake or str(model).startswith("fake"):
        return FAKE
    path = Path(model) / LEVELS_FILE
    if path.is_file():
        data = json.loads(path.read_text(encoding="utf-8"))
        return MatchLevels(
            good=float(data["good"]),
            possible=float(data["possible"]),
            source=str(data.get("source", str(path))),
        )
    if name in BUILT_IN:
        return MatchLevels(**BUILT_IN[name], source="built-in")
    logger.warning(
        "%s has no %s: every hit is 'possible' (calibrate with bench/matcher.py "
        "--calibrate, or build the folder with `adapt`)",
        model,
        LEVELS_FILE,
    )
    return UNCALIBRATED


def write_levels(folder: Path, levels: MatchLevels, **extra: object) -> None:
    data = {**levels.to_json(), **extra}
    (folder / LEVELS_FILE).write_text(json.dumps(data, indent=2) + "\n")


def calibrate(
    hits: Iterable[tuple[float, int]],
    *,
    good_precision: float = 0.8,
    possible_precision: float = 0.5,
) -> MatchLevels:
    """Lowest thresholds that keep the levels honest on judged hits.

    :param hits: ``(score, grade)`` of the top hits of judged queries; grade 2 is the
        same project idea, 1 a related one, 0 unrelated.
    :param good_precision: share of "good" hits that must be grade 2.
    :param possible_precision: share of "possible" hits (between the two thresholds)
        that must be grade 1 or 2.
    """
    ranked = sorted(hits, key=lambda h: h[0], reverse=True)
    if not ranked:
        raise ValueError("no judged hits to calibrate on")
    good = _lowest(ranked, lambda g: g >= 2, good_precision)
    below = [h for h in ranked if h[0] < good]
    possible = _lowest(below, lambda g: g >= 1, possible_precision) if below else good
    return MatchLevels(good=round(good, 4), possible=round(min(possible, good), 4))


def _lowest(
    ranked: Sequence[tuple[float, int]],
    relevant: Callable[[int], bool],
    precision: float,
) -> float:
    """The lowest score s such that the hits scoring >= s are relevant at least
    ``precision`` of the time (over a prefix of at least 20 hits, so a lucky top
    hit does not set it)."""
    best = ranked[0][0] + 1e-6
    seen = correct = 0
    for score, grade in ranked:
        seen += 1
        correct += 1 if relevant(grade) else 0
        if seen >= 20 and correct / seen >= precision:
            best = score
    return best


def precision(
    hits: Iterable[tuple[float, int]], levels: MatchLevels
) -> dict[str, tuple[float, int]]:
    """Per level: (share of grade-2 hits for "good", grade >= 1 otherwise; count)."""
    out: dict[str, list[int]] = {name: [0, 0] for name in LEVELS}
    for score, grade in hits:
        name = levels.level(score)
        out[name][1] += 1
        out[name][0] += 1 if (grade >= 2 if name == "good" else grade >= 1) else 0
    return {name: (ok / n if n else float("nan"), n) for name, (ok, n) in out.items()}
