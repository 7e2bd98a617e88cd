"""Public pages under load, with and without the anonymous cache, on the production stack.

Run: ``.venv/bin/python bench/public_load.py [--seconds 8] [--clients 1,4,16]
[--new-shares 0.1,0.03] [--more-threads 4] [--repeat 3]`` (``GUNICORN_THREADS`` from the
environment, default 2, as compose sets it)

The stack: a fresh PostgreSQL database (``BENCH_POSTGRES_URL``'s server, dropped
afterwards), the Redis at ``REDIS_URL`` (default ``redis://127.0.0.1:6379/0``, under a
key prefix of its own, deleted afterwards), and gunicorn with ``gunicorn.conf.py`` and
``cms.settings.production`` (3 workers x 2 threads, as compose sets them). Requests
carry ``X-Forwarded-Proto: https`` as from the TLS proxy, and ``Accept-Encoding:
gzip``. The matcher runs as in production (``matcher_service.testing.run_matcher``,
the real model) with every project indexed: the public search asks it for the
semantic half of its results. The API throttle is raised so the load is not refused.

Data: 12 libraries with a plan of 25 projects each (3 indicators apiece), plus one
library with plans of 10, 100, 300 and 1000 projects for the growth curve.

Printed, each with the ``/healthz/`` floor of the same run (16 clients):
- the mixed workload (home, library, plan, project, search, API v2; one request in
  ten a URL nobody asked before, so a miss) at each client count, both caches off
  and both on (``GUNICORN_THREADS`` from the environment, default 2):
  requests/s, p50, p95, the hit rate the cache reported (``X-Cache``), errors (with
  both caches on at the largest client count, the median of ``--repeat`` runs and
  the range of requests/s and p95 over them); then
  with both caches on at the largest client count once per further share of
  never-seen URLs (``--new-shares``: 3% as well, a reading public's share; say which
  you quote);
- the plan page at 10/100/300/1000 projects with the page cache off: p50 rendering
  everything and p50 with the cards kept (``PLAN_CARDS_CACHE_SECONDS``), SQL
  queries when rendering, HTML size;
- ``/api/v2/projects/`` at limit 5 and 20, uncached: p50 and SQL queries; then p50
  with the page cache off and each item's representation kept
  (``PUBLIC_PARTS_CACHE_SECONDS``).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
ADMIN_URL = os.environ.get(
    "BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)
DB_NAME = f"bm_bench_public_{os.getpid()}"
PORT = 8600 + os.getpid() % 300
GROWTH = (10, 100, 300, 1000)
TMP = Path(tempfile.mkdtemp(prefix="bm-bench-public-"))
RUNS = itertools.count()
HEADERS = {"X-Forwarded-Proto": "https", "Accept-Encoding": "gzip", "Host": "127.0.0.1"}
# Requests per single-client p50 (after two to warm the worker up).
SAMPLES = 60
WORDS = ["lezen", "taal", "digitaal", "ontmoeting", "peuters", "senioren", "school"]

ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DATABASE_URL": urlsplit(ADMIN_URL)._replace(path=f"/{DB_NAME}").geturl(),
    "MATCHER_API_TOKEN": secrets.token_urlsafe(40),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    "CACHE_KEY_PREFIX": f"bm-bench-{secrets.token_hex(4)}",
    "STATIC_ROOT": str(TMP / "static"),
    "MEDIA_ROOT": str(TMP / "media"),
    # Per second: DRF keeps every request's time within the window, and a minute of
    # benchmark traffic from one address would make that list the cost measured.
    "API_THROTTLE_ANON": "1000000/second",
    "LOG_LEVEL": "WARNING",
    "GUNICORN_BIND": f"127.0.0.1:{PORT}",
    "WEB_CONCURRENCY": "3",
    "GUNICORN_THREADS": os.environ.get("GUNICORN_THREADS", "2"),
}
os.environ.update(ENV)


def admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(ADMIN_URL, autocommit=True) as conn:
        conn.execute(statement)


def build_plan(library, year: int, count: int, rng: random.Random):
    from bm_pages.models import (
        AnnualPlanPage,
        FocusArea,
        ProjectIndicator,
        ProjectPage,
    )

    plan = AnnualPlanPage(title=f"Jaarplan {year}", slug=f"jaarplan-{year}", year=year)
    for index, title in enumerate(["Lezen", "Digitaal", "Ontmoeting"]):
        plan.focus_areas.add(FocusArea(title=title, sort_order=index))
    library.add_child(instance=plan)
    areas = list(FocusArea.objects.filter(page=plan).order_by("sort_order"))
    phases = ProjectPage.Phase.values
    for index in range(count):
        words = " ".join(rng.sample(WORDS, 3))
        project = ProjectPage(
            title=f"Project {year}-{index} {words}",
            slug=f"project-{index}",
            summary=f"Ouders en kinderen: {words}; de bibliotheek ondersteunt.",
            budget=Decimal(1000 + index),
            focus_area=areas[index % 3],
            phase=phases[index % len(phases)],
        )
        for position in range(3):
            project.indicators.add(
                ProjectIndicator(
                    name=f"indicator {position}",
                    unit="deelnemers",
                    target=Decimal(1200),
                    result=Decimal(400 + position * 350),
                    sort_order=position,
                )
            )
        plan.add_child(instance=project)
    return plan


def build_site(rng: random.Random) -> dict:
    from bm_pages.models import ProjectPage
    from bm_pages.services.libraries import ensure_library

    plans = []
    for index in range(12):
        library = ensure_library(f"Bibliotheek Bank {index}")
        plans.append(build_plan(library, 2026, 25, rng))
    growth_library = ensure_library("Bibliotheek Groei")
    growth = {
        size: build_plan(growth_library, 2020 + i, size, rng)
        for i, size in enumerate(GROWTH)
    }
    projects = list(ProjectPage.objects.filter(plan__in=plans).order_by("?")[:120])
    return {
        "libraries": [plan.get_parent().url for plan in plans],
        "plans": [plan.url for plan in plans],
        "plan_ids": [plan.pk for plan in plans],
        "projects": [project.url for project in projects],
        "project_ids": [project.pk for project in projects],
        "growth": {size: plan.url for size, plan in growth.items()},
    }


def mixed_url(site: dict, rng: random.Random, new_share: float = 0.1) -> str:
    """One request of the mixed public workload; ``new_share`` of them (one in ten by
    default) a URL never seen, which no cache can answer."""
    if rng.random() < new_share:
        if rng.random() < 0.5:
            return f"/zoeken/?q={rng.choice(WORDS)}+{rng.randrange(10**9)}"
        return f"/api/v2/projects/?limit=20&offset={rng.randrange(10**6)}"
    kind = rng.choices(
        ["home", "library", "plan", "project", "search", "api"],
        weights=[10, 15, 25, 25, 10, 15],
    )[0]
    if kind == "home":
        return "/"
    if kind == "search":
        return f"/zoeken/?q={rng.choice(WORDS)}"
    if kind == "api":
        return rng.choice(
            [
                f"/api/v2/projects/?limit=20&offset={20 * rng.randrange(15)}",
                f"/api/v2/projects/?plan={rng.choice(site['plan_ids'])}",
                f"/api/v2/projects/{rng.choice(site['project_ids'])}/",
                "/api/v2/plans/",
            ]
        )
    return rng.choice(site[f"{kind}s" if kind != "library" else "libraries"])


def every_cacheable_url(site: dict) -> list[str]:
    urls = ["/", "/api/v2/plans/", *site["libraries"], *site["plans"]]
    urls += [*site["projects"], *(f"/zoeken/?q={w}" for w in WORDS)]
    urls += [f"/api/v2/projects/?limit=20&offset={20 * k}" for k in range(15)]
    urls += [f"/api/v2/projects/?plan={pk}" for pk in site["plan_ids"]]
    return urls + [f"/api/v2/projects/{pk}/" for pk in site["project_ids"]]


def run_load(clients: int, seconds: float, next_url) -> dict:
    """``clients`` threads, each on one keep-alive connection, for ``seconds``."""
    results: list[tuple[float, int, str]] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def client(number: int) -> None:
        # A seed of its own per client and run: a "never seen" URL must not be one
        # an earlier run already asked for (and the cache kept).
        rng = random.Random(f"{next(RUNS)}-{number}")
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            url = next_url(rng)
            started = time.perf_counter()
            conn.request("GET", url, headers=HEADERS)
            response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            mine.append((elapsed, response.status, response.getheader("X-Cache", "")))
        conn.close()
        with lock:
            results.extend(mine)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    times = sorted(r[0] for r in results)
    return {
        "rps": len(results) / wall,
        "p50": statistics.median(times),
        "p95": times[max(0, round(0.95 * len(times)) - 1)],
        "hit": sum(r[2] == "hit" for r in results) / len(results),
        "errors": sum(r[1] >= 400 for r in results),
        "n": len(results),
    }


def repeated(times: int, clients: int, seconds: float, next_url) -> dict:
    """``run_load`` ``times`` times: the median of each figure, with the range of
    requests/s and p95 (this machine's runs differ by more than many changes do)."""
    runs = [run_load(clients, seconds, next_url) for _ in range(times)]
    merged = {
        name: statistics.median(run[name] for run in runs)
        for name in ("rps", "p50", "p95", "hit")
    }
    merged["errors"] = sum(run["errors"] for run in runs)
    merged["runs"] = times
    for name in ("rps", "p95"):
        merged[f"{name}_range"] = (
            min(r[name] for r in runs),
            max(r[name] for r in runs),
        )
    return merged


def p50_of(url: str, requests: int, gzip: bool = True) -> tuple[float, int]:
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    headers = (
        HEADERS
        if gzip
        else {k: v for k, v in HEADERS.items() if k != "Accept-Encoding"}
    )
    times, size = [], 0
    for _ in range(requests + 2):
        started = time.perf_counter()
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        size = len(response.read())
        assert response.status == 200, (url, response.status)
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return (statistics.median(times[2:]) if requests else 0.0), size


class Gunicorn:
    def __init__(
        self, cache_seconds: int, cards_seconds: int, threads: str | None = None
    ) -> None:
        # The parts cache (search filter choices, API v2 items) goes with the cards.
        self.env = {
            **os.environ,
            "PUBLIC_CACHE_SECONDS": str(cache_seconds),
            "PLAN_CARDS_CACHE_SECONDS": str(cards_seconds),
            "PUBLIC_PARTS_CACHE_SECONDS": str(cards_seconds),
        }
        if threads:
            self.env["GUNICORN_THREADS"] = threads

    def __enter__(self) -> Gunicorn:
        self.log = (TMP / "gunicorn.log").open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "cms.wsgi"],
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        for _ in range(300):
            try:
                p50_of("/", 0)
                return self
            except (OSError, AssertionError):
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit(f"gunicorn did not start; see {TMP / 'gunicorn.log'}")

    def __exit__(self, *exc: object) -> None:
        self.process.terminate()
        self.process.wait(30)
        self.log.close()


def query_counts(site: dict) -> dict:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.BM_PAGES = {
        **settings.BM_PAGES,
        "PUBLIC_CACHE_SECONDS": 0,
        "PLAN_CARDS_CACHE_SECONDS": 0,
        "PUBLIC_PARTS_CACHE_SECONDS": 0,
    }
    client = Client(HTTP_X_FORWARDED_PROTO="https", SERVER_NAME="127.0.0.1")
    counts = {}
    urls = {**site["growth"], "api5": "/api/v2/projects/?limit=5"}
    urls["api20"] = "/api/v2/projects/?limit=20"
    for name, url in urls.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts[name] = len(queries)
    return counts


def load_average() -> str:
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=8.0, help="per measurement")
    parser.add_argument("--clients", default="1,4,16")
    parser.add_argument(
        "--more-threads",
        default="4",
        help="threads per gunicorn worker to try as well, both caches on, at the "
        "largest client count and the first share (comma-separated; '' for none)",
    )
    parser.add_argument(
        "--new-shares",
        default="0.1,0.03",
        help="shares of never-seen URLs; the first for every run, the others again "
        "with both caches on at the largest client count",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs of each mixed measurement with both caches on at the largest "
        "client count (the median is printed, with the range)",
    )
    args = parser.parse_args()
    client_counts = [int(n) for n in args.clients.split(",")]
    print(f"before: {load_average()} on {os.cpu_count()} CPUs")
    from matcher_service.testing import run_matcher

    # One uvicorn process, as compose runs it (WEB_CONCURRENCY here is gunicorn's).
    matcher_context = run_matcher(
        TMP / "matcher",
        token=ENV["MATCHER_API_TOKEN"],
        env={"WEB_CONCURRENCY": "1"},
    )
    matcher = matcher_context.__enter__()
    os.environ["MATCHER_URL"] = matcher.url
    admin_sql(f'CREATE DATABASE "{DB_NAME}"')
    try:
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        site = build_site(random.Random(7))
        # Fresh statistics and visibility maps, as autovacuum would leave them: right
        # after a bulk insert the planner took 66 s for the API v2 listing's joins
        # (0.2 ms once analysed), and an autovacuum of the new rows during the
        # single-client timings made them vary by half.
        with connections["default"].cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
            cursor.execute("CHECKPOINT")  # and the build's writes on disk
        call_command("matcher_reindex", interactive=False, verbosity=0)
        print(
            f"stack ready in {time.perf_counter() - started:.0f} s (migrate, static, data, matcher index)"
        )
        counts = query_counts(site)
        connections.close_all()
        shares = [float(n) for n in args.new_shares.split(",")]
        extra = [t for t in args.more_threads.split(",") if t]
        report(site, counts, client_counts, args.seconds, shares, extra, args.repeat)
    finally:
        matcher_context.__exit__(None, None, None)
        admin_sql(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        drop_redis_keys()
        shutil.rmtree(TMP, ignore_errors=True)
    print(f"after: {load_average()}")


def report(
    site: dict,
    counts: dict,
    client_counts: list[int],
    seconds: float,
    shares: list[float],
    extra_threads: list[str],
    repeat: int,
) -> None:
    mixed = {}
    with Gunicorn(cache_seconds=0, cards_seconds=0):
        floor_off = run_load(16, seconds, lambda rng: "/healthz/")
        print(
            f"\n/healthz/ floor, 16 clients: {floor_off['rps']:.0f} req/s, p50 {floor_off['p50']:.1f} ms"
        )
        growth = {size: p50_of(url, SAMPLES)[0] for size, url in site["growth"].items()}
        sizes = {
            size: p50_of(url, 0, gzip=False)[1] for size, url in site["growth"].items()
        }
        print("\n/api/v2/projects/, uncached, 1 client")
        for limit in (5, 20):
            p50, _size = p50_of(f"/api/v2/projects/?limit={limit}", SAMPLES)
            print(
                f"  limit={limit:<3} p50 {p50:.1f} ms, {counts[f'api{limit}']} queries"
            )
        for clients in client_counts:
            mixed[("off", clients, shares[0], ENV["GUNICORN_THREADS"])] = run_load(
                clients, seconds, lambda rng: mixed_url(site, rng, shares[0])
            )
    with Gunicorn(cache_seconds=0, cards_seconds=600):
        kept = {size: p50_of(url, SAMPLES)[0] for size, url in site["growth"].items()}
        print("\n/api/v2/projects/, page cache off, each item's representation kept")
        for limit in (5, 20):
            p50, _size = p50_of(f"/api/v2/projects/?limit={limit}", SAMPLES)
            print(f"  limit={limit:<3} p50 {p50:.1f} ms")
    print(
        "\nplan page, page cache off, 1 client: p50 rendering the cards, p50 with the"
        "\ncards kept (cards cache), queries when rendering, HTML (page 1 of 50 cards)"
    )
    print(
        f"{'projects':>8} {'p50 ms':>8} {'cards kept':>10} {'queries':>8} {'HTML KiB':>9}"
    )
    for size in site["growth"]:
        print(
            f"{size:>8} {growth[size]:>8.1f} {kept[size]:>10.1f} {counts[size]:>8} {sizes[size] / 1024:>9.0f}"
        )
    with Gunicorn(cache_seconds=600, cards_seconds=600):
        for url in every_cacheable_url(site):  # warm: each cacheable URL once
            p50_of(url, 0)
        most = max(client_counts)
        for clients in client_counts:
            mixed[("on", clients, shares[0], ENV["GUNICORN_THREADS"])] = repeated(
                repeat if clients == most else 1,
                clients,
                seconds,
                lambda rng: mixed_url(site, rng, shares[0]),
            )
        for share in shares[1:]:
            mixed[("on", most, share, ENV["GUNICORN_THREADS"])] = repeated(
                repeat,
                most,
                seconds,
                lambda rng, share=share: mixed_url(site, rng, share),
            )
        floor_on = run_load(16, seconds, lambda rng: "/healthz/")
    for more in extra_threads:
        with Gunicorn(cache_seconds=600, cards_seconds=600, threads=more):
            for url in every_cacheable_url(site):
                p50_of(url, 0)
            most = max(client_counts)
            mixed[("on", most, shares[0], more)] = run_load(
                most, seconds, lambda rng: mixed_url(site, rng, shares[0])
            )
    print(
        f"\nmixed public workload, {seconds:.0f} s each (floor {floor_off['rps']:.0f} / {floor_on['rps']:.0f} req/s before / after)"
    )
    print(
        f"(with both caches on at {max(client_counts)} clients: the median of {repeat} runs,"
        " and the range of requests/s and p95 over them)"
    )
    print(
        f"{'cache':>5} {'clients':>7} {'new %':>6} {'threads':>7} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'hit %':>6} {'errors':>6}"
        "   req/s range   p95 range"
    )
    for (mode, clients, share, threads), r in mixed.items():
        ranges = ""
        if r.get("runs", 1) > 1:
            low, high = r["rps_range"]
            fast, slow = r["p95_range"]
            ranges = f"   {low:>5.0f}-{high:<5.0f}  {fast:>5.0f}-{slow:<5.0f}"
        print(
            f"{mode:>5} {clients:>7} {100 * share:>6.0f} {threads:>7} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
            f"{100 * r['hit']:>6.0f} {r['errors']:>6}{ranges}"
        )


def drop_redis_keys() -> None:
    import redis

    client = redis.Redis.from_url(ENV["REDIS_URL"])
    for key in client.scan_iter(f"{ENV['CACHE_KEY_PREFIX']}:*"):
        client.delete(key)


if __name__ == "__main__":
    main()
