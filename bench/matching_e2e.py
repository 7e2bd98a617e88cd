"""End-to-end speed of partner matching: what the CMS adds on top of the matcher.

    .venv/bin/python bench/matching_e2e.py                  # demo data (4 libraries) + 10,000 synthetic
    .venv/bin/python bench/matching_e2e.py --libraries 12 --synthetic 10000 --queries 300

What it does:

1. A fresh SQLite database in a temporary folder (or ``DATABASE_URL`` if set), migrated,
   with the demo data (``load_demo_data --libraries N``). The demo projects reach the
   matcher the way every project does: outbox rows written by publishing, sent by the
   worker (``OutboxWorker.drain``).
2. The real matcher service with the real model (``matcher_service.testing.run_matcher``).
3. 10,000 synthetic projects pushed straight into the matcher through
   ``POST /v1/projects/bulk``, built from the demo themes. They belong to one library
   the CMS knows, which shares its projects with partners only, so every search
   excludes them in the matcher (the exclusion list the CMS always sends). The flat
   index still scores all of them; no result points at a page the CMS does not have.
4. For each query, alternately (so both see the same load on the machine):
   - the CMS: ``GET /api/matching/search?q=...&k=10`` through Django's test client,
     i.e. the whole Django stack in this process (middleware, session auth, DRF,
     throttling, visibility, the matcher call over HTTP, the database check,
     serialisation), without an HTTP server in front;
   - the matcher alone: ``POST /v1/search`` over HTTP with the body the CMS sends
     (same ``k`` with over-fetch, same exclusion list), on a kept-alive connection.
5. Prints p50/p95 of both, the difference of the medians, and the median of the
   per-query differences. Target: the CMS adds at most 15 ms at p50.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SEARCHER = "redacteur-{short}"
SYNTHETIC_LIBRARY = "Bibliotheek Synthetisch"
BULK = 1000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


class Fill(dict):
    """Placeholders of the demo texts; unknown ones become empty."""

    def __missing__(self, key: str) -> str:
        return {"year": "2026", "n": "5"}.get(key, "")


def synthetic_projects(count: int, library_id: str, seed: int = 7) -> list[dict]:
    from cms.demo import content

    rng = random.Random(seed)
    towns = [town for *_rest, places in content.LIBRARIES for town in places]
    themes = content.THEMES + content.ASSURANCE_THEMES
    projects = []
    for n in range(count):
        theme = rng.choice(themes)
        fill = Fill(
            place=rng.choice(towns),
            school=rng.choice(content.SCHOOLS),
            vo_school=rng.choice(content.SECONDARY_SCHOOLS),
            year=rng.choice([2023, 2024, 2025, 2026]),
            n=rng.randint(3, 12),
        )
        title = rng.choice(theme["titles"]).format_map(fill)
        summary = rng.choice(theme["summaries"]).format_map(fill)
        goal = rng.choice(theme["goals"]).format_map(fill)
        projects.append(
            {
                "id": f"synthetic-{n}",
                "library_id": library_id,
                "library_name": SYNTHETIC_LIBRARY,
                "title": f"{title} ({n})",
                "summary": f"{summary}\n{goal}\n{theme['target_group']}",
                "year": fill["year"],
                "phase": rng.choice(["plan", "do", "check", "act", "done"]),
            }
        )
    return projects


def queries(count: int, seed: int = 11) -> list[str]:
    """What librarians type: theme titles, shortened, reworded, sometimes a summary."""
    from cms.demo import content

    rng = random.Random(seed)
    out = []
    themes = content.THEMES + content.ASSURANCE_THEMES
    while len(out) < count:
        theme = rng.choice(themes)
        title = rng.choice(theme["titles"]).format_map(Fill(school="de school"))
        words = title.split()
        cut = " ".join(words[: rng.randint(2, max(2, len(words)))])
        if rng.random() < 0.3:
            cut += " " + rng.choice(theme["goals"]).format_map(Fill())
        out.append(f"{cut.strip()} {len(out)}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--libraries", type=int, default=4, help="demo libraries")
    parser.add_argument("--synthetic", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bm-bench-matching-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
    # The API's per-user throttle is part of the path, but must not stop the run.
    os.environ["API_THROTTLE_USER"] = "1000000/minute"

    import django

    django.setup()

    import httpx
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from bm_matching.search import MATCHER_MAX_K
    from bm_matching.visibility import search_scope
    from bm_matching.worker import OutboxWorker
    from bm_pages.models import LibraryPage
    from bm_pages.services.libraries import ensure_library
    from matcher_service.testing import run_matcher

    say = print
    say(f"database: {settings.DATABASES['default']['NAME']}")
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    say(f"migrated in {time.perf_counter() - t0:.1f}s")

    with run_matcher(workdir / "matcher") as matcher:
        settings.BM_MATCHING = {
            **settings.BM_MATCHING,
            "MATCHER_URL": matcher.url,
            "MATCHER_API_TOKEN": matcher.token,
            "TIMEOUT": 300.0,
        }
        t0 = time.perf_counter()
        call_command("load_demo_data", libraries=args.libraries, verbosity=0)
        say(
            f"demo data ({args.libraries} libraries) in {time.perf_counter() - t0:.1f}s"
        )
        t0 = time.perf_counter()
        drained = OutboxWorker().drain()
        if drained.outage or drained.failed_pages:
            say(f"indexing the demo data failed: {drained}")
            return 1
        say(
            f"demo projects indexed through the outbox: {drained.upserted} in "
            f"{time.perf_counter() - t0:.1f}s"
        )

        synthetic = ensure_library(
            SYNTHETIC_LIBRARY,
            project_visibility=LibraryPage.ProjectVisibility.PARTNERS,
        )
        records = synthetic_projects(args.synthetic, str(synthetic.pk))
        t0 = time.perf_counter()
        with httpx.Client(headers=matcher.headers, timeout=600) as http:
            for start in range(0, len(records), BULK):
                http.post(
                    f"{matcher.url}/v1/projects/bulk",
                    json={"projects": records[start : start + BULK]},
                ).raise_for_status()
            total = http.get(f"{matcher.url}/v1/health").json()["records"]
        say(
            f"{len(records)} synthetic projects pushed in {time.perf_counter() - t0:.1f}s; "
            f"the matcher holds {total} records"
        )

        user = (
            get_user_model()
            .objects.filter(username__startswith="redacteur-")
            .order_by("username")
            .first()
        )
        scope = search_scope(user)
        exclude = [str(pk) for pk in sorted(scope.excluded_ids)]
        fetch = min(MATCHER_MAX_K, args.k + max(5, args.k // 2))
        say(
            f"searching as {user.username}: {len(exclude)} libraries excluded "
            f"(own, not shared, synthetic), k={args.k} (matcher k={fetch})"
        )

        client = Client()
        client.force_login(user)
        api = "/api/matching/search"
        direct = httpx.Client(base_url=matcher.url, headers=matcher.headers, timeout=30)
        texts = queries(args.queries + 20)
        for q in texts[:20]:  # warm both paths: model, connections, caches
            client.get(api, {"q": q, "k": args.k})
            direct.post(
                "/v1/search",
                json={"query": q, "k": fetch, "exclude_library_ids": exclude},
            )

        cms_ms: list[float] = []
        matcher_ms: list[float] = []
        inside_ms: list[float] = []
        calls = 0
        found = 0
        for n, q in enumerate(texts[20:]):
            order = ("cms", "matcher") if n % 2 == 0 else ("matcher", "cms")
            for which in order:
                if which == "cms":
                    t0 = time.perf_counter()
                    response = client.get(api, {"q": q, "k": args.k})
                    cms_ms.append((time.perf_counter() - t0) * 1000)
                    assert response.status_code == 200, response.content[:500]
                    body = response.json()
                    found += body["count"]
                    inside_ms.append(body["timing"]["matcher_ms"])
                    calls += 1
                else:
                    t0 = time.perf_counter()
                    response = direct.post(
                        "/v1/search",
                        json={"query": q, "k": fetch, "exclude_library_ids": exclude},
                    )
                    matcher_ms.append((time.perf_counter() - t0) * 1000)
                    response.raise_for_status()
        direct.close()

    diffs = [c - m for c, m in zip(cms_ms, matcher_ms, strict=True)]
    figures = {
        "records_in_matcher": total,
        "queries": len(cms_ms),
        "k": args.k,
        "mean_results": round(found / max(1, calls), 1),
        "cms_p50_ms": round(statistics.median(cms_ms), 1),
        "cms_p95_ms": round(percentile(cms_ms, 0.95), 1),
        "matcher_p50_ms": round(statistics.median(matcher_ms), 1),
        "matcher_p95_ms": round(percentile(matcher_ms, 0.95), 1),
        "cms_minus_matcher_p50_ms": round(
            statistics.median(cms_ms) - statistics.median(matcher_ms), 1
        ),
        "median_paired_difference_ms": round(statistics.median(diffs), 1),
        "matcher_call_inside_cms_p50_ms": round(statistics.median(inside_ms), 1),
    }
    say("")
    say(f"{'':32}{'p50':>9}{'p95':>9}")
    say(
        f"{'CMS GET /api/matching/search':32}{figures['cms_p50_ms']:>7.1f}ms"
        f"{figures['cms_p95_ms']:>7.1f}ms"
    )
    say(
        f"{'matcher POST /v1/search':32}{figures['matcher_p50_ms']:>7.1f}ms"
        f"{figures['matcher_p95_ms']:>7.1f}ms"
    )
    verdict = "met" if figures["median_paired_difference_ms"] <= 15 else "NOT met"
    say(
        f"CMS adds {figures['cms_minus_matcher_p50_ms']:.1f}ms at p50 "
        f"(median of per-query differences {figures['median_paired_difference_ms']:.1f}ms;"
        f" target <= 15ms: {verdict})"
    )
    say(json.dumps(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
