"""``matcher_reindex``, ``matcher_status [--repair]`` and ``matcher_sync --once`` against
the real matcher."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from bm_matching.indexing import live_project_ids
from bm_matching.models import IndexOutbox
from tests.bm_matching.helpers import (
    add_plan,
    drain,
    matcher_delete,
    matcher_ids,
    matcher_put,
    matcher_record,
    matcher_settings,
    network,
    pending_rows,
    publish_project,
    set_up_library,
)

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


@pytest.fixture
def world(clean_matcher):
    library = set_up_library("Bibliotheek Herindex", network("noord", "Netwerk Noord"))
    plan = add_plan(library, 2026)
    live = [publish_project(plan, f"Leesproject {n}") for n in range(4)]
    draft = publish_project(plan, "Concept", live=False)
    private = publish_project(plan, "Besloten")
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.LOGIN
    )
    drain()
    assert matcher_ids(clean_matcher) == {str(p.pk) for p in live}
    return live, draft, private


def page_ids(matcher) -> set[int]:
    return {int(i) for i in matcher_ids(matcher) if i.isdigit()}


def test_reindex_makes_the_matcher_equal_to_the_live_set(world, clean_matcher):
    live, draft, private = world
    matcher_delete(clean_matcher, live[0].pk)
    matcher_put(clean_matcher, draft.pk, title="Concept dat er niet hoort")
    matcher_put(clean_matcher, 987654, title="Een verwijderde pagina")
    matcher_put(clean_matcher, "extern-42", title="Van een andere client")

    output = run("matcher_reindex", "--no-input")

    assert page_ids(clean_matcher) == set(live_project_ids()) == {p.pk for p in live}
    assert "extern-42" in matcher_ids(clean_matcher), "other clients' records stay"
    assert (
        "Reindexed" in output and "4 projects sent, 2 stale records removed" in output
    )
    assert pending_rows() == []


def test_reindex_asks_first(world, clean_matcher, monkeypatch):
    live, _draft, _private = world
    matcher_delete(clean_matcher, live[0].pk)
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    output = run("matcher_reindex")
    assert "Cancelled" in output
    assert str(live[0].pk) not in matcher_ids(clean_matcher)
    assert pending_rows() == []


def test_reindex_refuses_when_the_matcher_is_down(world, matcher, settings):
    settings.BM_MATCHING = matcher_settings(matcher, MATCHER_URL="http://127.0.0.1:9")
    with pytest.raises(CommandError, match="not reachable.*Nothing was changed"):
        run("matcher_reindex", "--no-input")
    assert pending_rows() == []


def test_status_finds_a_drift_made_on_purpose_and_repairs_it(world, clean_matcher):
    live, draft, _private = world
    assert "In sync." in run("matcher_status")

    matcher_delete(clean_matcher, live[1].pk)
    matcher_put(clean_matcher, draft.pk, title="Concept dat er niet hoort")
    report = run("matcher_status")
    assert "Live projects in the CMS: 4; page records in the matcher: 4." in report
    assert f"1 live projects missing from the matcher (page ids {live[1].pk})" in report
    assert f"1 records the matcher should not hold (page ids {draft.pk})" in report
    assert "Run with --repair" in report
    assert str(live[1].pk) not in matcher_ids(clean_matcher), (
        "status alone changes nothing"
    )

    repaired = run("matcher_status", "--repair")

    assert "Repaired: 1 indexed, 1 removed. In sync." in repaired
    assert page_ids(clean_matcher) == {p.pk for p in live}
    assert matcher_record(clean_matcher, live[1].pk)["title"] == live[1].title


def test_status_shows_the_outbox_and_counts_pending_changes_as_in_flight(
    world, clean_matcher
):
    live, _draft, _private = world
    live[2].unpublish()  # queued, not sent: in flight, not drift
    IndexOutbox.objects.pending().update(
        attempts=3, last_error="cannot reach the matcher: refused"
    )
    report = run("matcher_status")
    assert "Outbox: 1 pending (1 due, 1 retrying after errors)" in report
    assert f"page {live[2].pk}: 3 attempts" in report and "refused" in report
    assert "Settled by pending outbox rows: 1." in report
    # No drift to repair, but not "in sync" while a row waits to be sent.
    assert "In sync." not in report
    assert "not in sync yet: 1 outbox rows are still pending" in report


def test_matcher_sync_once(world, clean_matcher, matcher, settings):
    live, draft, _private = world
    draft.save_revision().publish()
    assert "1 indexed" in run("matcher_sync", "--once")
    assert str(draft.pk) in matcher_ids(clean_matcher)

    live[0].unpublish()
    settings.BM_MATCHING = matcher_settings(matcher, MATCHER_URL="http://127.0.0.1:9")
    with pytest.raises(SystemExit) as exit_info:
        run("matcher_sync", "--once")
    assert exit_info.value.code == 1
    (row,) = pending_rows()
    assert row.attempts == 1 and row.next_attempt_at > timezone.now()
