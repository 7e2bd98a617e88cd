"""The public search with the semantic matcher answering (the real service and model).

bm_matching adds the matcher to bm_pages' public search through the
``bm_pages_public_search_sources`` hook; bm_pages keeps only live, public pages.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

# No word of this query (nor its beginning) is in any project's text: only meaning
# connects it to the toddler reading projects.
QUERY = "leesbevordering jonge kinderen"


def result_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'data-bm="result" data-page="(\d+)"', html)]


def test_the_matcher_finds_by_meaning_what_words_do_not(search_world, settings):
    w = search_world
    response = Client().get("/zoeken/", {"q": QUERY}, headers={"accept-language": "nl"})
    html = response.content.decode()
    ids = result_ids(html)

    assert response.status_code == 200
    toddlers = {
        w.project_a.pk,
        w.project_b.pk,
        w.project_c.pk,
        w.project_d.pk,
        w.project_e.pk,
        w.project_f.pk,
    }
    assert len(toddlers & set(ids)) >= 4, ids
    # Live and public only, whatever the matcher holds.
    for hidden in (w.draft_b, w.unpublished_b, w.private_b):
        assert hidden.pk not in ids
    assert 'data-bm="search-partial"' not in html


def test_without_the_matcher_the_same_query_finds_nothing_but_answers(
    search_world, settings
):
    settings.BM_MATCHING = {
        **settings.BM_MATCHING,
        "MATCHER_URL": "http://127.0.0.1:9",
        "RETRIES": 0,
    }
    response = Client().get("/zoeken/", {"q": QUERY}, headers={"accept-language": "nl"})
    html = response.content.decode()

    assert response.status_code == 200
    assert result_ids(html) == []
    assert 'data-bm="search-partial"' in html
