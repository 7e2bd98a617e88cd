"""The anonymous public cache: what it stores, what it never stores, and its purge.

Through the real middleware stack and Wagtail's page serving, with the cache switched
on (the test settings leave it off for the rest of the suite). Changes run through
Wagtail's own publish, unpublish, move and delete, and the purge happens when the
transaction commits, as in production.
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.core.cache import cache
from wagtail.models import PageViewRestriction

from bm_pages.models import AnnualPlanPage, AuditPortalPage, ProjectPage
from tests.conftest import make_project
from tests.factories import AnnualPlanPageFactory, LibraryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

PROJECT = "BoekStart in Teststad"


@pytest.fixture(autouse=True)
def cache_on(settings):
    settings.BM_PAGES = {
        **settings.BM_PAGES,
        "PUBLIC_CACHE_SECONDS": 600,
        "PLAN_CARDS_CACHE_SECONDS": 600,
        "PUBLIC_PARTS_CACHE_SECONDS": 600,
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change and its on-commit callbacks (the purge), as a commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            change()

    return run


def get(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200, (url, response.status_code)
    return response


def text(client, url) -> str:
    return get(client, url).content.decode()


def surfaces(page_tree, home_page) -> dict[str, str]:
    """Where a project, its plan and its library show, for anonymous readers."""
    return {
        "plan page": page_tree.plan.url,
        "search": f"{home_page.url}zoeken/?q=BoekStart",
        "api v2 projects": f"/api/v2/projects/?plan={page_tree.plan.pk}",
        "api v2 pages": "/api/v2/pages/?limit=20",
        "library page": page_tree.library.url,
        "home page": home_page.url,
    }


def warm(client, urls) -> None:
    for url in urls:
        get(client, url)
        assert get(client, url)["X-Cache"] == "hit", url


# What is stored ------------------------------------------------------------------


def test_anonymous_page_is_stored_and_served_without_queries(
    client, page_tree, django_assert_num_queries
):
    first = get(client, page_tree.plan.url)
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = get(client, page_tree.plan.url)

    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert PROJECT in second.content.decode()
    control = second["Cache-Control"]
    assert "public" in control and "s-maxage=1" in control and "max-age=0" in control
    assert second["ETag"] == first["ETag"]
    assert not second.cookies


def test_api_v2_answers_are_stored_too(client, page_tree):
    url = f"/api/v2/projects/?plan={page_tree.plan.pk}"
    assert get(client, url)["X-Cache"] == "miss"
    hit = get(client, url)
    assert hit["X-Cache"] == "hit"
    assert hit["Content-Type"].startswith("application/json")
    assert PROJECT in {item["title"] for item in hit.json()["items"]}


def test_matching_etag_gets_304_on_a_hit_and_on_a_miss(client, page_tree, settings):
    etag = get(client, page_tree.plan.url)["ETag"]
    hit = client.get(page_tree.plan.url, headers={"if-none-match": etag})
    assert hit.status_code == 304 and hit.content == b""

    other = client.get(page_tree.plan.url, headers={"if-none-match": '"other"'})
    assert other.status_code == 200 and PROJECT in other.content.decode()

    settings.BM_PAGES = {**settings.BM_PAGES, "PUBLIC_CACHE_SECONDS": 0}
    api = "/api/v2/plans/"
    api_etag = get(client, api)["ETag"]
    assert client.get(api, headers={"if-none-match": api_etag}).status_code == 304


def test_public_answers_are_gzipped_once_and_kept_compressed(client, page_tree):
    plain = get(client, page_tree.plan.url)
    zipped = get(client, page_tree.plan.url, accept_encoding="gzip, deflate")
    assert zipped["X-Cache"] == "miss"  # a variant of its own
    again = get(client, page_tree.plan.url, accept_encoding="gzip")

    assert again["X-Cache"] == "hit" and again["Content-Encoding"] == "gzip"
    assert gzip.decompress(again.content) == plain.content
    assert "Accept-Encoding" in again["Vary"]
    assert len(again.content) < len(plain.content) / 2


# What is never stored or shared --------------------------------------------------


def test_signed_in_answers_are_private_never_stored_never_compressed(client, page_tree):
    user = UserFactory(is_superuser=True)
    client.force_login(user)
    for url in (page_tree.plan.url, "/api/v2/projects/", "/admin/"):
        response = client.get(url, headers={"accept-encoding": "gzip"})
        assert response.status_code == 200, url
        assert "private" in response["Cache-Control"], url
        assert "public" not in response["Cache-Control"], url
        assert "Cookie" in response["Vary"], url
        assert "X-Cache" not in response, url
        assert "Content-Encoding" not in response, url
    # The admin's preview of a draft is never stored either.
    edit = client.get(f"/admin/pages/{page_tree.draft_project.pk}/edit/")
    assert "no-store" in edit["Cache-Control"] or "private" in edit["Cache-Control"]

    client.logout()
    assert get(client, page_tree.plan.url)["X-Cache"] == "miss"


def test_anonymous_with_a_message_cookie_is_not_served_from_the_cache(
    client, page_tree
):
    warm(client, [page_tree.plan.url])
    client.cookies["messages"] = "something"
    assert "X-Cache" not in get(client, page_tree.plan.url)


@pytest.mark.parametrize(
    "restriction",
    [PageViewRestriction.PASSWORD, PageViewRestriction.LOGIN],
)
def test_restricted_pages_are_never_stored_and_restricting_purges(
    client, page_tree, home_page, committed, restriction
):
    project = page_tree.live_project
    shown = surfaces(page_tree, home_page)
    warm(client, [project.url, *shown.values()])

    committed(
        lambda: PageViewRestriction.objects.create(
            page=project, restriction_type=restriction, password="geheim"
        )
    )

    anonymous = client.get(project.url)
    assert anonymous.status_code == (
        200 if restriction == PageViewRestriction.PASSWORD else 302
    )
    assert "X-Cache" not in anonymous
    # Everywhere it showed, with the restricted pages kept (PUBLIC_PARTS_CACHE_SECONDS).
    for where, url in shown.items():
        assert PROJECT not in text(client, url), where

    client.force_login(UserFactory(is_superuser=True))
    if restriction == PageViewRestriction.LOGIN:
        signed_in = client.get(project.url)
        assert signed_in.status_code == 200
        assert "no-store" in signed_in["Cache-Control"]
        assert "private" in signed_in["Cache-Control"]


def test_audit_portal_is_never_stored(client, roles_world):
    portal = AuditPortalPage.objects.child_of(roles_world.library_a).get()
    anonymous = client.get(portal.url)
    assert anonymous.status_code == 302 and "X-Cache" not in anonymous
    client.force_login(roles_world.users["auditor_a"])
    response = client.get(portal.url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    client.logout()
    assert "X-Cache" not in client.get(portal.url)


# Purge: every change shows at once on every surface ------------------------------


def rename_and_publish(page, title):
    page = page.specific
    page.title = title
    page.save_revision().publish()


def test_publish_shows_at_once_everywhere(client, page_tree, home_page, committed):
    urls = surfaces(page_tree, home_page)
    warm(client, urls.values())

    def publish():
        rename_and_publish(page_tree.live_project, "BoekStart voor iedereen")
        rename_and_publish(page_tree.plan, "Jaarplan 2026 herzien")
        rename_and_publish(page_tree.library, "Bibliotheek Teststad-Noord")

    committed(publish)

    for name in ("plan page", "search", "api v2 projects", "api v2 pages"):
        assert "BoekStart voor iedereen" in text(client, urls[name]), name
    assert "Jaarplan 2026 herzien" in text(client, urls["library page"])
    assert "Bibliotheek Teststad-Noord" in text(client, urls["home page"])


@pytest.mark.parametrize("change", ["unpublish", "move", "delete"])
def test_a_project_leaving_the_plan_shows_at_once(
    client, page_tree, home_page, committed, change
):
    urls = surfaces(page_tree, home_page)
    warm(client, urls.values())
    project = page_tree.live_project
    other_plan = AnnualPlanPageFactory(parent=page_tree.library, year=2030)

    committed(
        {
            "unpublish": lambda: project.unpublish(),
            "move": lambda: project.move(other_plan, pos="last-child"),
            "delete": lambda: project.delete(),
        }[change]
    )

    for name in ("plan page", "api v2 projects"):
        assert PROJECT not in text(client, urls[name]), name
    if change != "move":
        assert PROJECT not in text(client, urls["search"])
        assert PROJECT not in text(client, urls["api v2 pages"])


@pytest.mark.parametrize("change", ["unpublish", "move", "delete"])
def test_a_plan_leaving_the_library_shows_at_once(
    client, page_tree, home_page, committed, change
):
    other_library = LibraryPageFactory(parent=home_page, title="Bibliotheek Elders")
    plan = page_tree.plan
    urls = surfaces(page_tree, home_page)
    warm(client, [urls["library page"], urls["api v2 projects"]])
    assert plan.title in text(client, urls["library page"])

    committed(
        {
            "unpublish": lambda: plan.unpublish(),
            "move": lambda: plan.move(other_library, pos="last-child"),
            "delete": lambda: plan.delete(),
        }[change]
    )

    assert plan.title not in text(client, urls["library page"])
    if change == "move":
        assert plan.title in text(client, other_library.url)
        assert AnnualPlanPage.objects.get(pk=plan.pk).library_id == other_library.pk
    else:
        assert get(client, urls["api v2 projects"]).json()["items"] == []


@pytest.mark.parametrize("change", ["unpublish", "delete"])
def test_a_library_leaving_the_site_shows_at_once_on_the_home_page(
    client, page_tree, home_page, committed, change
):
    library = page_tree.library
    warm(client, [home_page.url])
    assert library.title in text(client, home_page.url)

    committed(lambda: getattr(library, change)())

    assert library.title not in text(client, home_page.url)


def test_a_new_project_shows_at_once(client, page_tree, home_page, committed):
    urls = surfaces(page_tree, home_page)
    warm(client, [urls["plan page"], urls["api v2 projects"]])

    committed(lambda: make_project(page_tree.plan, title="Taalcafé op dinsdag"))

    assert "Taalcafé op dinsdag" in text(client, urls["plan page"])
    titles = {
        item["title"] for item in get(client, urls["api v2 projects"]).json()["items"]
    }
    assert "Taalcafé op dinsdag" in titles
    assert ProjectPage.objects.filter(title="Taalcafé op dinsdag", live=True).exists()


def test_stored_api_answers_still_count_against_the_anonymous_throttle(
    client, page_tree, settings
):
    # The host's REST_FRAMEWORK rates win where it has them; a bare host has none.
    rest = getattr(settings, "REST_FRAMEWORK", {})
    settings.REST_FRAMEWORK = {
        **rest,
        "DEFAULT_THROTTLE_RATES": {
            **rest.get("DEFAULT_THROTTLE_RATES", {}),
            "anon": "3/minute",
        },
    }
    url = f"/api/v2/projects/?plan={page_tree.plan.pk}"
    answers = [client.get(url) for _ in range(5)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429, 429]
    assert [a.get("X-Cache") for a in answers[:3]] == ["miss", "hit", "hit"]
    assert answers[3].json()["code"] == "throttled"
    # Pages have no throttle: their stored copies are served whatever the rate.
    assert all(get(client, page_tree.plan.url) for _ in range(5))


# The plan page's cards cache ---------------------------------------------------------


def card_titles(html: str) -> list[str]:
    return re.findall(r'project-card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def cards_only(settings):
    """The page cache off, the cards cache on: every request renders the page."""
    settings.BM_PAGES = {**settings.BM_PAGES, "PUBLIC_CACHE_SECONDS": 0}


def test_plan_cards_are_rendered_once_then_kept(client, page_tree, cards_only):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = page_tree.plan.url
    with CaptureQueriesContext(connection) as first:
        cold = text(client, url)
    with CaptureQueriesContext(connection) as second:
        warm_html = text(client, url)

    assert warm_html == cold and page_tree.live_project.title in card_titles(cold)
    tables = ["bm_pages_projectindicator", "bm_pages_focusarea"]
    for table in tables:
        assert any(table in q["sql"] for q in first.captured_queries), table
        assert not any(table in q["sql"] for q in second.captured_queries), table
    assert len(second.captured_queries) < len(first.captured_queries)


def test_kept_cards_show_a_publish_at_once_to_everyone(
    client, page_tree, cards_only, committed
):
    url = page_tree.plan.url
    text(client, url)
    committed(lambda: rename_and_publish(page_tree.live_project, "Voorlezen 2.0"))

    assert "Voorlezen 2.0" in card_titles(text(client, url))
    client.force_login(UserFactory())
    assert "Voorlezen 2.0" in card_titles(text(client, url))


def test_a_preview_shows_its_draft_focus_areas_not_kept_cards(
    client, page_tree, cards_only
):
    kept = text(client, page_tree.plan.url)
    draft = AnnualPlanPage.objects.get(pk=page_tree.plan.pk)
    areas = list(draft.focus_areas.all())
    for area in areas:
        area.title = f"Concept {area.title}"
    draft.focus_areas = areas  # in memory, as the editor's form gives the preview

    preview = draft.make_preview_request().content.decode()

    assert "Concept " not in kept
    assert f"Concept {page_tree.live_project.focus_area.title}" in preview
    assert text(client, page_tree.plan.url) == kept


# Parts many answers share -----------------------------------------------------------


def test_search_filter_choices_are_kept_until_a_change_purges_them(
    client, home_page, page_tree, committed
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def search(words: str) -> tuple[str, list[str]]:
        with CaptureQueriesContext(connection) as captured:
            html = text(client, f"{home_page.url}zoeken/?q={words}")
        return html, [query["sql"] for query in captured.captured_queries]

    first, _ = search("BoekStart")
    # Another search misses the page cache, but not its filter choices.
    _, queries = search("klachten")
    assert page_tree.library.title in first
    assert not [sql for sql in queries if '"year" AS "year"' in sql]

    committed(
        lambda: LibraryPageFactory(parent=home_page, title="Bibliotheek Nieuwstad")
    )

    html, queries = search("voorlezen")
    assert [sql for sql in queries if '"year" AS "year"' in sql]
    assert "Bibliotheek Nieuwstad" in html.split('id="search-library"')[1]
