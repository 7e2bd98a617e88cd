"""Two workers draining one outbox on PostgreSQL: every row sent exactly once, none lost.

PostgreSQL only: the claim is ``SELECT ... FOR UPDATE SKIP LOCKED``. On another
database these tests fail rather than skip; deselect them with ``-m "not postgresql"``.
"""

from __future__ import annotations

import threading
from collections import Counter

import pytest
from django.db import connection, transaction

from bm_matching.clients import FakeMatcherClient
from bm_matching.models import IndexOutbox
from bm_matching.worker import OutboxWorker
from tests.bm_matching.helpers import (
    add_plan,
    counting_client,
    matcher_ids,
    matcher_record,
    matcher_settings,
    pending_rows,
    publish_project,
    republish,
    set_up_library,
    wipe_matcher,
)

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.fail(
            "This test needs PostgreSQL (SKIP LOCKED). Run it with "
            "DATABASE_URL=postgres://..., or deselect it with -m 'not postgresql'."
        )


def test_two_workers_send_every_row_exactly_once(fake_matcher, settings):
    settings.BM_MATCHING = matcher_settings(fake_matcher)
    wipe_matcher(fake_matcher)
    library = set_up_library("Bibliotheek Tweewerkers")
    plan = add_plan(library, 2026)
    projects = [publish_project(plan, f"Project {n:02d}") for n in range(40)]
    for project in projects[::4]:  # several rows for some pages
        republish(project, summary=f"Bijgewerkt: {project.title}.")
    rows_before = IndexOutbox.objects.pending().count()
    assert rows_before == 40 + 10

    (client_1, sent_1), (client_2, sent_2) = (
        counting_client(fake_matcher),
        counting_client(fake_matcher),
    )
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def work(client):
        try:
            start.wait()
            worker = OutboxWorker(client, batch_size=4)
            while IndexOutbox.objects.pending().exists():
                worker.drain()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in (client_1, client_2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    assert not errors, errors
    assert sent_1.acked and sent_2.acked, "both workers took a share"
    acked = Counter(sent_1.acked + sent_2.acked)
    assert set(acked) == {("upsert", str(p.pk)) for p in projects}
    assert set(acked.values()) == {1}, "no page sent twice"
    assert pending_rows() == []
    assert IndexOutbox.objects.filter(done_at__isnull=False).count() == rows_before
    assert matcher_ids(fake_matcher) == {str(p.pk) for p in projects}
    # The republished pages went out with their last state.
    for project in projects[::4]:
        summary = matcher_record(fake_matcher, project.pk)["summary"]
        assert summary.startswith("Bijgewerkt"), summary


def test_a_page_held_by_one_worker_is_left_to_it(db):
    library = set_up_library("Bibliotheek Vasthouden")
    plan = add_plan(library, 2026)
    held = publish_project(plan, "In behandeling")
    free = publish_project(plan, "Vrij")
    republish(held, title="In behandeling, nieuwe titel")  # a second row, unlocked
    first_row = IndexOutbox.objects.filter(page_id=held.pk).order_by("id").first()

    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                IndexOutbox.objects.select_for_update().get(pk=first_row.pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    assert locked.wait(10)
    fake = FakeMatcherClient()
    try:
        result = OutboxWorker(fake).process_batch()
    finally:
        release.set()
        thread.join(10)

    assert fake.calls == [("bulk_upsert", [str(free.pk)])]
    assert result.deferred_pages == 1
    assert {row.page_id for row in pending_rows()} == {held.pk}, "left, not lost"

    OutboxWorker(fake).process_batch()
    assert fake.calls[-1] == ("bulk_upsert", [str(held.pk)])
    assert fake.records[str(held.pk)].title == "In behandeling, nieuwe titel"
    assert pending_rows() == []
