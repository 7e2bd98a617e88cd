"""The CMS and the real matcher over HTTP: what editors do shows up in other libraries'
searches, and a matcher outage delays indexing without losing anything."""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
from django.db import connection
from rest_framework.test import APIClient
from wagtail.models import Page

from bm_matching.models import IndexOutbox
from bm_matching.worker import OutboxWorker
from bm_pages.models import LibraryPage
from tests.bm_matching.helpers import (
    add_plan,
    counting_client,
    drain,
    matcher_ids,
    matcher_put,
    matcher_record,
    matcher_settings,
    network,
    pending_rows,
    publish_project,
    republish,
    set_up_library,
    staff,
    wipe_matcher,
)

pytestmark = pytest.mark.django_db


def search(user, q, **params):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/matching/search", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def two_libraries(clean_matcher):
    noord = network("noord", "Netwerk Noord")
    a = set_up_library("Bibliotheek Aadorp", noord)
    b = set_up_library("Bibliotheek Beekstad", noord)
    return a, b, add_plan(b, 2026), staff(a, "redacteur-aadorp")


def test_a_published_project_is_found_from_another_librarys_account(
    two_libraries, clean_matcher
):
    a, b, plan_b, editor_a = two_libraries
    project = publish_project(
        plan_b,
        "Taalcafé voor nieuwkomers",
        "Elke week oefenen nieuwkomers Nederlands met vrijwilligers in de bibliotheek.",
        goal="Nieuwkomers durven vaker Nederlands te spreken.",
        target_group="Statushouders",
        topics=["taalhuis"],
    )
    assert search(editor_a, "Taalcafé voor nieuwkomers") == [], "not indexed yet"

    result = drain()

    assert result.upserted == 1 and not result.outage
    record = matcher_record(clean_matcher, project.pk)
    assert record["library_name"] == "Bibliotheek Beekstad"
    assert record["library_id"] == str(b.pk)
    assert record["region"] == "noord" and record["year"] == 2026
    assert record["phase"] == "do"
    assert record["url"].endswith(
        "/bibliotheek-beekstad/jaarplan-2026/taalcafe-voor-nieuwkomers/"
    )
    assert "Statushouders" in record["summary"] and "Taalhuis" in record["summary"]

    (hit,) = search(editor_a, "Oefenen met Nederlands praten voor statushouders")
    assert hit["id"] == project.pk
    assert hit["library"] == {"id": b.pk, "name": "Bibliotheek Beekstad"}
    assert hit["year"] == 2026 and hit["phase"] == "do"
    assert hit["score"] > 0
    # From B's own staff it is never shown.
    editor_b = staff(b, "redacteur-beekstad")
    assert search(editor_b, "Taalcafé voor nieuwkomers") == []


def test_unpublishing_and_deleting_remove_the_project(two_libraries, clean_matcher):
    a, b, plan_b, editor_a = two_libraries
    kept = publish_project(plan_b, "Voorlezen op de kinderboerderij")
    unpublished = publish_project(plan_b, "Voorlezen in het zwembad")
    deleted = publish_project(plan_b, "Voorlezen in de bus")
    drain()
    assert matcher_ids(clean_matcher) == {
        str(kept.pk),
        str(unpublished.pk),
        str(deleted.pk),
    }

    unpublished.unpublish()
    Page.objects.get(pk=deleted.pk).delete()
    result = drain()

    assert result.deleted == 2
    assert matcher_ids(clean_matcher) == {str(kept.pk)}
    assert [r["id"] for r in search(editor_a, "Voorlezen", k=10)] == [kept.pk]


def test_a_renamed_library_shows_its_new_name(two_libraries, clean_matcher):
    a, b, plan_b, editor_a = two_libraries
    project = publish_project(plan_b, "Makerspace voor tieners")
    drain()

    republish(LibraryPage.objects.get(pk=b.pk), title="Bibliotheek Beekdal")
    assert [row.page_id for row in pending_rows()] == [project.pk]
    drain()

    assert (
        matcher_record(clean_matcher, project.pk)["library_name"]
        == "Bibliotheek Beekdal"
    )
    (hit,) = search(editor_a, "Makerspace voor tieners")
    assert hit["library"]["name"] == "Bibliotheek Beekdal"


def test_a_project_moved_to_another_library_is_indexed_there(
    two_libraries, clean_matcher
):
    a, b, plan_b, editor_a = two_libraries
    c = set_up_library("Bibliotheek Cederveen", network("zuid", "Netwerk Zuid"))
    plan_c = add_plan(c, 2027)
    project = publish_project(plan_b, "Leesclub voor jongeren")
    drain()

    Page.objects.get(pk=project.pk).move(plan_c, pos="last-child")
    drain()

    record = matcher_record(clean_matcher, project.pk)
    assert (record["library_id"], record["region"], record["year"]) == (
        str(c.pk),
        "zuid",
        2027,
    )
    assert "/bibliotheek-cederveen/" in record["url"]


# Outages: the real service with the FakeEmbedder, stopped and killed at will. ----------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_survives_the_matcher_going_down(fake_matcher, settings):
    settings.BM_MATCHING = matcher_settings(fake_matcher)
    wipe_matcher(fake_matcher)
    client, transport = counting_client(fake_matcher)
    library = set_up_library("Bibliotheek Storing")
    plan = add_plan(library, 2026)
    first = publish_project(plan, "Voor de storing")

    stop = threading.Event()
    log: list[str] = []

    def run_worker():
        try:
            OutboxWorker(client, batch_size=3).run(stop, log=log.append)
        finally:
            connection.close()

    worker = threading.Thread(target=run_worker, daemon=True)
    worker.start()
    try:
        wait_until(lambda: not pending_rows(), "the first project is sent")
        fake_matcher.kill()  # kill -9, while the worker keeps running

        during = [publish_project(plan, f"Tijdens de storing {n}") for n in range(5)]
        Page.objects.get(pk=first.pk).specific.unpublish()
        wait_until(
            lambda: all(row.attempts >= 2 for row in pending_rows()),
            "the worker retries with backoff",
        )
        rows = pending_rows()
        assert {row.page_id for row in rows} == {p.pk for p in during} | {first.pk}
        assert all("cannot reach the matcher" in row.last_error for row in rows)
        assert any("matcher unavailable" in line for line in log)
        assert worker.is_alive()

        fake_matcher.start()
        wait_until(lambda: not pending_rows(), "the backlog drains once it is back")
    finally:
        stop.set()
        worker.join(10)
    assert not worker.is_alive()

    assert matcher_ids(fake_matcher) == {str(p.pk) for p in during}
    assert any("matcher reachable again" in line for line in log)
    acked = Counter(transport.acked)
    assert acked[("delete", str(first.pk))] == 1
    for project in during:
        assert acked[("upsert", str(project.pk))] == 1, (
            "each page sent once it was back"
        )
    assert IndexOutbox.objects.filter(done_at__isnull=True).count() == 0


def test_rows_stay_pending_while_the_matcher_is_stopped_and_drain_after(
    fake_matcher, settings, db
):
    settings.BM_MATCHING = matcher_settings(fake_matcher)
    wipe_matcher(fake_matcher)
    library = set_up_library("Bibliotheek Onderhoud")
    plan = add_plan(library, 2026)
    fake_matcher.stop()  # a graceful stop this time
    try:
        projects = [publish_project(plan, f"Project {n}") for n in range(4)]
        result = drain()
        assert result.outage and result.upserted == 0
        assert len(pending_rows()) == 4
        assert all(row.attempts == 1 for row in pending_rows())
    finally:
        fake_matcher.start()
    IndexOutbox.objects.update(
        next_attempt_at=IndexOutbox._meta.get_field("created_at").default()
    )
    result = drain()
    assert result.upserted == 4 and not result.outage
    assert pending_rows() == []
    assert matcher_ids(fake_matcher) == {str(p.pk) for p in projects}


def wait_until(condition, what: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting until {what}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_started_with_reconcile_heals_a_matcher_that_lost_its_data(
    fake_matcher, settings
):
    settings.BM_MATCHING = matcher_settings(fake_matcher)
    wipe_matcher(fake_matcher)
    library = set_up_library("Bibliotheek Herstel")
    plan = add_plan(library, 2026)
    projects = [publish_project(plan, f"Project {n}") for n in range(3)]
    result = drain()
    assert result.upserted == 3, result
    wipe_matcher(fake_matcher)  # the matcher lost its data; the outbox is all done
    matcher_put(fake_matcher, 987654, title="Verwijderd project")
    assert pending_rows() == []

    stop, log = threading.Event(), []

    def run_worker():
        try:
            OutboxWorker().run(stop, log=log.append, reconcile=True)
        finally:
            connection.close()

    worker = threading.Thread(target=run_worker, daemon=True)
    worker.start()
    try:
        wait_until(
            lambda: matcher_ids(fake_matcher) == {str(p.pk) for p in projects},
            "the start-up check has queued and sent the difference",
        )
    finally:
        stop.set()
        worker.join(10)
    assert any(
        "3 live projects missing from the matcher, 1 stale records" in line
        for line in log
    ), log
