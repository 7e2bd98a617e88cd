"""The public search with the semantic matcher answering (the real service and model).

bm_matching adds the matcher to bm_pages' public search through the
``bm_pages_public_search_sources`` hook; bm_pages keeps only live, public pages.
"""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from bm_matching import public_source

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


def test_a_matcher_that_failed_is_left_out_for_a_while_then_asked_again(
    search_world, settings, caplog
):
    """A reader does not wait for a matcher that just failed: the search answers from
    full text at once, says it is partial, and asks the matcher again later."""
    working = settings.BM_MATCHING
    settings.BM_MATCHING = {**working, "MATCHER_URL": "http://127.0.0.1:9"}
    with caplog.at_level("WARNING", logger="bm_pages.public_search"):
        first = Client().get("/zoeken/", {"q": QUERY}).content.decode()
    assert 'data-bm="search-partial"' in first
    assert len(caplog.records) == 1  # the failure, logged once
    caplog.clear()

    # The matcher is back, but within the pause it is not asked: no results by meaning.
    settings.BM_MATCHING = working
    started = time.monotonic()
    with caplog.at_level("WARNING", logger="bm_pages.public_search"):
        paused = Client().get("/zoeken/", {"q": QUERY}).content.decode()
    assert 'data-bm="search-partial"' in paused
    assert result_ids(paused) == []
    assert time.monotonic() - started < 2
    assert not caplog.records  # left out, not logged again

    public_source.resume()  # as when the pause has passed
    again = Client().get("/zoeken/", {"q": QUERY}).content.decode()
    assert 'data-bm="search-partial"' not in again
    assert len(result_ids(again)) >= 4
