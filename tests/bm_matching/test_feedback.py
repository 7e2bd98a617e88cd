"""Search feedback: what an editor does after a search travels to the real matcher
through the durable outbox, across a matcher outage, without the user's identity."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from bm_matching.models import SearchFeedback
from matcher_service.engine import DB_NAME
from matcher_service.store import ProjectStore
from matcher_service.testing import free_port
from tests.bm_matching.helpers import (
    add_plan,
    drain,
    matcher_settings,
    publish_project,
    set_up_library,
    staff,
)

pytestmark = pytest.mark.django_db

QUERY = "Voorlezen aan peuters op zaterdag"


def test_open_partnership_and_import_reach_the_matcher_after_an_outage(
    clean_matcher, settings
):
    a = set_up_library("Bibliotheek Aadorp")
    b = set_up_library("Bibliotheek Beekstad")
    plan_a = add_plan(a, 2026)
    source = publish_project(
        add_plan(b, 2026), "Voorleesontbijt", "Ontbijten en voorlezen met peuters."
    )
    assert not drain().outage
    editor = staff(a, "redacteur-aadorp")
    browser = Client()
    browser.force_login(editor)

    # The matcher goes down; the editor works on.
    settings.BM_MATCHING = matcher_settings(
        clean_matcher, MATCHER_URL=f"http://127.0.0.1:{free_port()}"
    )
    assert browser.get("/admin/matching/similar/", {"q": QUERY}).status_code == 503

    opened = browser.get(f"/admin/matching/open/{source.pk}/", {"q": QUERY})
    assert opened.status_code == 302
    asked = browser.get(f"/admin/matching/partnership/{source.pk}/", {"q": QUERY})
    assert asked.status_code == 302
    form = browser.get(f"/admin/matching/import/{source.pk}/", {"q": QUERY})
    assert f'value="{QUERY}"' in form.content.decode()
    imported = browser.post(
        f"/admin/matching/import/{source.pk}/",
        {"target_plan": plan_a.pk, "q": QUERY},
    )
    assert imported.status_code == 302
    rows = list(SearchFeedback.objects.order_by("id"))
    assert [(r.signal, r.project_id, r.query) for r in rows] == [
        ("open", source.pk, QUERY),
        ("partnership", source.pk, QUERY),
        ("import", source.pk, QUERY),
    ]
    # Without a search before it, nothing is recorded.
    browser.get(f"/admin/matching/open/{source.pk}/")
    assert SearchFeedback.objects.count() == 3

    down = drain()
    assert down.outage and down.feedback_sent == 0
    assert all(r.sent_at is None for r in SearchFeedback.objects.all())
    assert SearchFeedback.objects.filter(attempts=1).count() == 1  # the first tried

    # Back up (and the back-off over): everything arrives, once.
    settings.BM_MATCHING = matcher_settings(clean_matcher)
    SearchFeedback.objects.update(next_attempt_at=timezone.now())
    up = drain()
    assert not up.outage and up.feedback_sent == 3
    assert not SearchFeedback.objects.filter(sent_at__isnull=True).exists()
    # A resend (a worker that died before marking) stores nothing twice.
    SearchFeedback.objects.update(sent_at=None)
    assert drain().feedback_sent == 3

    store = ProjectStore(clean_matcher.data_dir / DB_NAME)
    try:
        pairs = store.feedback_pairs(("partnership", "import"))
        counts = store.feedback_counts()
        columns = [
            row[1] for row in store._reader.execute("PRAGMA table_info(feedback)")
        ]
    finally:
        store.close()
    assert (QUERY, str(source.pk)) in pairs
    assert counts["open"] >= 1 and counts["import"] >= 1
    # What the matcher holds of an event: no user, no library of the editor.
    assert set(columns) == {
        "seq",
        "event_id",
        "query",
        "project_id",
        "signal",
        "created_at",
    }
