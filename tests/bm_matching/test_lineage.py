"""One line per project: the CMS sends the root of the copy/import chain as
``lineage``, and search (real matcher) shows the copies as one result with ``also``."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from bm_matching.actions import ImportPartnerProjectAction
from bm_matching.indexing import build_records
from bm_pages.actions.copy import CopyProjectToNextYearAction
from tests.bm_matching.helpers import (
    add_plan,
    drain,
    matcher_record,
    network,
    publish_project,
    set_up_library,
    staff,
)

pytestmark = pytest.mark.django_db

TITLE = "Voorleesontbijt voor peuters en hun ouders"
SUMMARY = "Op zaterdagochtend ontbijten ouders en peuters samen en lezen we voor."


def search(user, q, **params):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/matching/search", {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.fixture
def chain(clean_matcher):
    """A project of 2025, its copy into 2026 and an import by another library."""
    net = network("west", "Netwerk West")
    a = set_up_library("Bibliotheek Aadorp", net)
    b = set_up_library("Bibliotheek Beekstad", net)
    c = set_up_library("Bibliotheek Ceesdorp", net)
    original = publish_project(add_plan(a, 2025), TITLE, SUMMARY)
    add_plan(a, 2026)  # live, so the copy can be
    copy = CopyProjectToNextYearAction(original).execute(skip_permission_checks=True)
    copy.save_revision().publish()
    imported = (
        ImportPartnerProjectAction(original, add_plan(b, 2025), None)
        .execute(skip_permission_checks=True)
        .project
    )
    imported.save_revision().publish()
    other = publish_project(add_plan(c, 2025), "Taalcafé", "Nederlands oefenen.")
    return original, copy, imported, other, staff(c, "redacteur-ceesdorp")


def test_copies_and_imports_share_the_lineage_of_their_root(chain, clean_matcher):
    original, copy, imported, other, _ = chain
    records = build_records([original.pk, copy.pk, imported.pk, other.pk])
    assert {records[pk].lineage for pk in (original.pk, copy.pk, imported.pk)} == {
        str(original.pk)
    }
    assert records[other.pk].lineage == str(other.pk)
    assert not drain().outage
    assert matcher_record(clean_matcher, copy.pk)["lineage"] == str(original.pk)


def test_search_shows_one_line_with_the_other_years(chain):
    original, copy, imported, _, editor_c = chain
    assert not drain().outage
    results = search(editor_c, "Voorlezen en ontbijten met peuters")
    lines = [r for r in results if r["id"] in {original.pk, copy.pk, imported.pk}]
    assert len(lines) == 1, results
    line = lines[0]
    members = {line["id"]} | {m["id"] for m in line["also"]}
    assert members == {original.pk, copy.pk, imported.pk}
    assert sorted(m["year"] for m in line["also"]) in ([2025, 2026], [2025, 2025])
    assert line["level"] in {"good", "possible"}
    assert line["level_label"] in {"Goede match", "Mogelijke match"}
