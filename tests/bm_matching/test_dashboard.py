"""The dashboard tells superusers when the search index is behind; nobody else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bm_matching.indexing import enqueue
from bm_matching.models import IndexOutbox
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return UserFactory(username="beheerder", is_superuser=True, is_staff=True)


def dashboard(client, user) -> str:
    client.force_login(user)
    return client.get("/admin/").content.decode()


def test_no_warning_while_the_outbox_keeps_up(client, superuser, home_page):
    enqueue([1, 2], IndexOutbox.Action.UPSERT, "publish")  # just written: not late
    assert 'data-bm-panel="index-status"' not in dashboard(client, superuser)


def test_failing_or_old_rows_warn_superusers_only(client, superuser, home_page):
    enqueue([1, 2, 3], IndexOutbox.Action.UPSERT, "publish")
    IndexOutbox.objects.filter(page_id=1).update(
        attempts=4, last_error="cannot reach the matcher at http://matcher:8765"
    )
    IndexOutbox.objects.update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )

    html = dashboard(client, superuser)

    assert 'data-bm-panel="index-status"' in html
    assert "3 wijzigingen wachten" in html
    assert "cannot reach the matcher at http://matcher:8765" in html
    assert "matcher_status" in html

    editor = UserFactory(username="redacteur", is_staff=True)
    from django.contrib.auth.models import Permission

    editor.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    assert 'data-bm-panel="index-status"' not in dashboard(client, editor)
