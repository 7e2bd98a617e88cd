"""Item 10 of the hardening review: "Copy to next year" makes one copy.

A second submit of the same copy (a double click, a second tab) is refused with a
Dutch message and writes nothing. Copies within one library run one at a time (a
row lock on the library page), so simultaneous submits cannot both succeed:
``test_concurrency.py`` fires them at once under gunicorn.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from wagtail.models import Page, Revision

from bm_pages.models import AnnualPlanPage, ProjectPage

pytestmark = pytest.mark.django_db


def database_state() -> tuple:
    return (
        list(Page.objects.order_by("pk").values_list("pk", "path", "numchild")),
        Revision.objects.count(),
    )


def copy_url(page) -> str:
    return reverse("bm_pages_admin:copy_to_next_year", args=[page.pk])


def test_copying_a_project_twice_is_refused_in_dutch(admin_client, page_tree):
    project = page_tree.live_project
    first = admin_client.post(copy_url(project))
    assert first.status_code == 302
    before = database_state()

    again = admin_client.post(copy_url(project), follow=True)

    assert "Dit project is al gekopieerd naar Jaarplan 2027." in again.content.decode()
    assert database_state() == before
    assert ProjectPage.objects.filter(copied_from=project).count() == 1
    assert (
        AnnualPlanPage.objects.filter(library=page_tree.library, year=2027).count() == 1
    )


def test_copying_a_plan_twice_is_refused_in_dutch(admin_client, page_tree):
    assert admin_client.post(copy_url(page_tree.plan)).status_code == 302
    before = database_state()

    again = admin_client.post(copy_url(page_tree.plan), follow=True)

    html = again.content.decode()
    assert "heeft al een jaarplan voor 2027" in html
    assert database_state() == before
    assert (
        AnnualPlanPage.objects.filter(library=page_tree.library, year=2027).count() == 1
    )
