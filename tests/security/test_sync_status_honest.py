"""``matcher_status`` and the worker's start-up check say "in sync" only when nothing
is pending in the outbox (hardening item 13).

Against the real matcher service (its hashing FakeEmbedder: ranking is beside the
point). A live project whose changed text is queued but not yet sent is held by the
matcher under the right id, so the id sets agree; the matcher still lacks the change.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bm_matching.models import IndexOutbox
from bm_matching.worker import OutboxWorker
from matcher_service.testing import run_matcher
from tests.bm_matching.helpers import (
    add_plan,
    drain,
    matcher_ids,
    matcher_settings,
    pending_rows,
    publish_project,
    republish,
    set_up_library,
    wipe_matcher,
)


@pytest.fixture(scope="module")
def fake_matcher(tmp_path_factory):
    with run_matcher(
        tmp_path_factory.mktemp("honest-status-matcher"),
        model="fake",
        token="bm-honest-status-token",
    ) as proc:
        yield proc


@pytest.fixture
def synced_with_one_change_queued(fake_matcher, settings):
    """Three live projects, all indexed; then one edited and its row held back."""
    settings.BM_MATCHING = matcher_settings(fake_matcher)
    wipe_matcher(fake_matcher)
    plan = add_plan(set_up_library("Bibliotheek Eerlijk"), 2026)
    projects = [publish_project(plan, f"Leesclub {n}") for n in range(3)]
    assert drain().upserted == 3
    assert pending_rows() == []
    republish(projects[0], title="Leesclub 0, nieuwe titel")
    # Retrying after an error, not due for an hour: stays pending during the test.
    IndexOutbox.objects.pending().update(
        attempts=2,
        last_error="cannot reach the matcher: refused",
        next_attempt_at=timezone.now() + datetime.timedelta(hours=1),
    )
    assert len(pending_rows()) == 1
    assert matcher_ids(fake_matcher) == {str(p.pk) for p in projects}
    return projects


def status(*args) -> str:
    out = io.StringIO()
    call_command("matcher_status", *args, stdout=out, stderr=out)
    return out.getvalue()


@pytest.mark.django_db
def test_status_is_not_in_sync_while_a_change_is_pending(synced_with_one_change_queued):
    report = status()
    assert "Outbox: 1 pending (0 due, 1 retrying after errors)" in report
    assert "In sync." not in report
    assert "not in sync yet: 1 outbox rows are still pending" in report
    # No drift to repair either: --repair queues nothing and still does not claim it.
    repaired = status("--repair")
    assert "In sync." not in repaired
    assert len(pending_rows()) == 1

    IndexOutbox.objects.pending().update(next_attempt_at=timezone.now())
    assert drain().upserted == 1
    assert "In sync." in status()


@pytest.mark.django_db
def test_worker_start_up_check_does_not_claim_all_projects_while_rows_pend(
    synced_with_one_change_queued,
):
    # The check ``matcher_sync`` runs once the matcher answers (OutboxWorker.run).
    log: list[str] = []
    assert OutboxWorker().startup_check(log.append) is True
    assert len(log) == 1, log
    assert "holds all" not in log[0], log
    assert "nothing to repair; 1 outbox rows still pending" in log[0], log
    assert len(pending_rows()) == 1

    IndexOutbox.objects.pending().update(next_attempt_at=timezone.now())
    assert drain().upserted == 1
    log.clear()
    OutboxWorker().startup_check(log.append)
    assert log == ["start-up check: the matcher holds all 3 live projects"]
