"""The SMART check in the audit portal: the score of the version the auditor sees
(live as published, drafts as drafted), equal to the rules run on the database."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from bm_pages.models import ProjectPage
from bm_pages.smart.rules import smart_check
from tests.bm_pages.certification_helpers import build_world, login

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def shown_version(page: ProjectPage) -> ProjectPage:
    page = ProjectPage.objects.get(pk=page.pk)
    if page.live:
        return page
    draft = page.get_latest_revision_as_object()
    draft.plan_id = page.plan_id
    return draft


def test_plans_list_the_score_of_every_project(world):
    client = Client()
    login(client, world.user("auditor_a"))
    html = client.get(f"{world.portal_a.url}jaarplannen/").content.decode()
    rows = dict(
        re.findall(
            r'data-bm-project="(\d+)">.*?data-bm="smart-score" data-score="(\d)"',
            html,
            re.S,
        )
    )
    projects = ProjectPage.objects.descendant_of(world.library_a)
    assert set(rows) == {str(p.pk) for p in projects}
    for project in projects:
        assert int(rows[str(project.pk)]) == smart_check(shown_version(project)).score


def test_project_page_shows_score_and_what_is_missing(world):
    client = Client()
    login(client, world.user("auditor_a"))
    draft = world.draft_project_a
    html = client.get(f"{world.portal_a.url}projecten/{draft.pk}/").content.decode()
    result = smart_check(shown_version(draft))
    assert result.missing  # the crafted draft is not SMART
    assert f"SMART: {result.score} van 5" in html
    section = html.split('data-bm="smart-check"')[1].split("</section>")[0]
    for _rule, criterion in result.missing:
        assert f'data-code="{criterion.code}"' in section
    assert len(re.findall(r"data-code=", section)) == len(result.missing)
