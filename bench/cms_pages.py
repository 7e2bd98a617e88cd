"""Time the public annual plan page with 10 and 100 projects.

Run: ``.venv/bin/python bench/cms_pages.py [--requests 50]``

It builds a throwaway test database (SQLite in memory, or a ``test_<name>`` copy of the
database in ``DATABASE_URL``, dropped afterwards), creates one library with a plan of
10 and a plan of 100 published projects (each with indicators, activities and a PDCA
log), then requests each plan page through the Django test client (the full middleware
stack and Wagtail's page serving) and prints median and p95 times and the number of SQL
queries per request.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")

import django

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    setup_test_environment,
    teardown_test_environment,
)

SIZES = (10, 100)


def build_plan(library, year: int, project_count: int):
    from bm_pages.models import (
        AnnualPlanPage,
        FocusArea,
        PhaseLogEntry,
        PolicyTopic,
        ProjectActivity,
        ProjectIndicator,
        ProjectPage,
    )

    plan = AnnualPlanPage(title=f"Jaarplan {year}", slug=f"jaarplan-{year}", year=year)
    for index, title in enumerate(["Lezen", "Digitaal", "Ontmoeting"]):
        plan.focus_areas.add(FocusArea(title=title, sort_order=index))
    library.add_child(instance=plan)
    plan.save_revision().publish()
    areas = list(FocusArea.objects.filter(page=plan).order_by("sort_order"))
    core = list(PolicyTopic.objects.filter(kind="core_function")[:2])
    phases = [value for value, _label in ProjectPage.Phase.choices]
    for index in range(project_count):
        project = ProjectPage(
            title=f"Project {year}-{index}",
            slug=f"project-{index}",
            summary="Ouders en kinderen lezen samen; de bibliotheek ondersteunt.",
            goal="Meer leesplezier.",
            target_group="Gezinnen",
            budget=Decimal(1000 + index),
            hours=40,
            focus_area=areas[index % len(areas)],
            phase=phases[index % len(phases)],
            start_date=date(year, 1, 1),
            end_date=date(year, 12, 1),
        )
        project.core_functions = core
        for position in range(3):
            project.indicators.add(
                ProjectIndicator(
                    name=f"indicator {position}",
                    unit="deelnemers",
                    target=Decimal(100),
                    result=Decimal(40 + position * 20),
                    sort_order=position,
                )
            )
            project.activities.add(
                ProjectActivity(what=f"stap {position}", sort_order=position)
            )
        project.phase_log.add(PhaseLogEntry(phase="plan", note="gestart"))
        plan.add_child(instance=project)
        project.save_revision().publish()
    return plan


def time_page(client: Client, url: str, requests: int) -> dict:
    for _ in range(3):  # warm caches, templates and connections
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    # Read now: the next request resets the connection's query log.
    query_count = len(queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    timings.sort()
    return {
        "median": statistics.median(timings),
        "p95": timings[max(0, round(0.95 * len(timings)) - 1)],
        "queries": query_count,
        "bytes": len(response.content),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--requests", type=int, default=50, help="timed requests per page"
    )
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from bm_pages.services.libraries import ensure_library

        call_command("migrate", verbosity=0)
        library = ensure_library("Bibliotheek Benchmark")
        started = time.perf_counter()
        plans = {
            size: build_plan(library, 2020 + i, size) for i, size in enumerate(SIZES)
        }
        print(
            f"database: {connection.vendor}; built {sum(SIZES)} projects in "
            f"{time.perf_counter() - started:.1f} s; {args.requests} timed requests per page"
        )
        client = Client()
        print(
            f"{'projects':>8} {'median ms':>10} {'p95 ms':>8} {'queries':>8} {'KiB':>6}"
        )
        for size, plan in plans.items():
            result = time_page(client, plan.url, args.requests)
            print(
                f"{size:>8} {result['median']:>10.1f} {result['p95']:>8.1f} "
                f"{result['queries']:>8} {result['bytes'] / 1024:>6.0f}"
            )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()


if __name__ == "__main__":
    main()
