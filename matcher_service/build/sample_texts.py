"""Deterministic Dutch-like project texts for model checks and benchmarks.

Real library project titles are short Dutch noun phrases ("Voorleesuur voor peuters in
de wijk"). These generators combine real Dutch library vocabulary so the model sees
realistic token statistics; they carry no relevance judgements (see bench/matcher_devset).
"""

from __future__ import annotations

import random
from collections.abc import Iterator

ACTIVITIES = [
    "Voorleesuur",
    "Taalcafé",
    "Digitaal spreekuur",
    "Leesclub",
    "Schrijfwedstrijd",
    "Workshop mediawijsheid",
    "Cursus Klik & Tik",
    "Huiswerkbegeleiding",
    "Repair café",
    "Makerspace",
    "Filmavond",
    "Lezing",
    "Debatavond",
    "Poëziemarathon",
    "Boekenbus",
    "Spelletjesmiddag",
    "Codeerclub",
    "Gamingtoernooi",
    "Inloopspreekuur DigiD",
    "Oefenavond Nederlands",
    "Verhalenwandeling",
    "Bibliotheek aan huis",
    "Podcaststudio",
    "Prentenboekenfeest",
    "Week van de Alfabetisering",
    "Jeugdjury",
    "Escape room",
]
AUDIENCES = [
    "peuters",
    "kleuters",
    "basisschoolleerlingen",
    "tieners",
    "jongeren",
    "ouders",
    "senioren",
    "laaggeletterden",
    "nieuwkomers",
    "statushouders",
    "werkzoekenden",
    "mantelzorgers",
    "vrijwilligers",
    "leerkrachten",
    "mensen met dementie",
    "anderstaligen",
    "jonge ouders",
    "zzp'ers",
    "mbo-studenten",
    "buurtbewoners",
]
PLACES = [
    "in de wijk",
    "op school",
    "in het buurthuis",
    "in de vestiging Centrum",
    "in het dorpshuis",
    "in het verzorgingstehuis",
    "op het consultatiebureau",
    "in de bibliotheek",
    "online",
    "op de markt",
    "in het Taalhuis",
    "op het mbo",
]
GOALS = [
    "om leesplezier te vergroten",
    "om de digitale vaardigheden te verbeteren",
    "om eenzaamheid tegen te gaan",
    "om de taalontwikkeling te stimuleren",
    "om mensen te helpen met online overheidszaken",
    "om ontmoeting te bevorderen",
    "om laaggeletterdheid terug te dringen",
    "om nepnieuws te leren herkennen",
    "om de leesvaardigheid te versterken",
    "om cultuureducatie aan te bieden",
    "om de bibliotheek beter zichtbaar te maken",
    "om samen te werken met partners",
]
PARTNERS = [
    "met het consultatiebureau",
    "met basisscholen",
    "met de gemeente",
    "met welzijnsorganisaties",
    "met het ROC",
    "met vrijwilligers van SeniorWeb",
    "met de GGD",
    "met het UWV",
    "met kinderopvang",
    "met de Belastingdienst",
]


def dutch_sentences(n: int, seed: int = 0) -> list[str]:
    """Return ``n`` varied Dutch sentences in the style of project descriptions."""
    rng = random.Random(seed)  # noqa: S311 - reproducible text, not security
    out: list[str] = []
    for _ in range(n):
        shape = rng.randrange(4)
        act, aud, place = (
            rng.choice(ACTIVITIES),
            rng.choice(AUDIENCES),
            rng.choice(PLACES),
        )
        if shape == 0:
            out.append(f"{act} voor {aud} {place}")
        elif shape == 1:
            out.append(f"{act} voor {aud} {place} {rng.choice(GOALS)}.")
        elif shape == 2:
            out.append(
                f"Wij organiseren samen {rng.choice(PARTNERS)} een {act.lower()} "
                f"voor {aud} {rng.choice(GOALS)}."
            )
        else:
            out.append(
                f"In {rng.randint(2019, 2026)} starten we {place} met {act.lower()} "
                f"voor {aud} en {rng.choice(AUDIENCES)}; {rng.choice(GOALS)} werken we "
                f"{rng.choice(PARTNERS)}."
            )
    return out


def synthetic_projects(n: int, seed: int = 0) -> Iterator[dict[str, object]]:
    """Yield ``n`` synthetic project records (for speed benchmarks only)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible text, not security
    titles = dutch_sentences(n, seed=seed)
    for i, title in enumerate(titles):
        lib = rng.randrange(150)
        yield {
            "id": f"p{i}",
            "library_id": f"lib{lib}",
            "library_name": f"Bibliotheek {lib}",
            "title": title.split(";")[0][:200],
            "summary": " ".join(dutch_sentences(2, seed=seed * 1_000_003 + i)),
            "year": rng.randint(2019, 2026),
            "region": f"netwerk-{lib % 12}",
            "phase": rng.choice(["plan", "do", "check", "act", "done"]),
        }
