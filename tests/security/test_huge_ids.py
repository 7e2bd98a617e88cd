"""Item 7 of the hardening review: ids beyond the database's range are a 404, never a 500.

Every URL pattern of bm_pages and bm_matching that takes a database id uses the
``<db_id:...>`` converter (``bm_pages/converters.py``), which refuses numbers above
2**63 - 1 before a view runs. The tests walk the real URL resolver (the admin's and the
audit portal's routes), so a new pattern written with ``<int:...>`` fails here too.
"""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter
from django.urls.resolvers import RoutePattern

from bm_pages.converters import MAX_DATABASE_ID, DatabaseIdConverter
from bm_pages.models import AuditPortalPage, LibraryMembership, Partnership
from tests.bm_pages.roles_helpers import RolesWorld

pytestmark = pytest.mark.django_db

HUGE = (2**63, 2**64, 10**30)
USERS = ("superuser", "editor_a")
APPS = ("bm_pages", "bm_matching")


@pytest.fixture
def world(roles_world) -> RolesWorld:
    return roles_world


def client_for(world: RolesWorld, user_name: str) -> Client:
    client = Client()
    client.force_login(world.user(user_name))
    return client


def portal_url(world: RolesWorld) -> str:
    return AuditPortalPage.objects.child_of(world.library_a).get().url


# Walking the URL resolver --------------------------------------------------------------


def _walk(patterns, prefix: str, converters: dict):
    for entry in patterns:
        pattern = entry.pattern
        if not isinstance(pattern, RoutePattern):
            continue  # regex patterns (Wagtail's own, media) take no typed ids
        route = prefix + str(pattern)
        merged = {**converters, **pattern.converters}
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, route, merged)
        elif isinstance(entry, URLPattern):
            yield route, merged, entry


def _module(entry: URLPattern) -> str:
    callback = entry.callback
    view_class = getattr(callback, "view_class", None)
    return (view_class or callback).__module__


def app_routes(patterns, prefix: str = "") -> list[tuple[str, dict]]:
    """(route, converters) of every pattern whose view lives in bm_pages/bm_matching."""
    return [
        (route, converters)
        for route, converters, entry in _walk(patterns, prefix, {})
        if _module(entry).split(".")[0] in APPS
    ]


def takes_id(converter) -> bool:
    # <int:> too: were a pattern still to use it, its huge-id request shows the 500.
    return isinstance(converter, (DatabaseIdConverter, IntConverter))


def with_ids(route: str, converters: dict, huge: int) -> str:
    """The route with ``huge`` in every id slot and a harmless value elsewhere."""

    def fill(match: re.Match) -> str:
        converter = converters[match.group(2)]
        return str(huge) if takes_id(converter) else "docx"

    return "/" + re.sub(r"<(?:([^>:]+):)?([^>]+)>", fill, route)


def admin_id_routes() -> list[tuple[str, dict]]:
    routes = [
        (route, converters)
        for route, converters in app_routes(get_resolver().url_patterns)
        if any(takes_id(c) for c in converters.values())
    ]
    assert len(routes) >= 12  # every id-taking admin view of the two apps
    return routes


def portal_id_routes() -> list[tuple[str, dict]]:
    routes = [
        (str(entry.pattern), entry.pattern.converters)
        for entry in AuditPortalPage.get_subpage_urls()
        if any(takes_id(c) for c in getattr(entry.pattern, "converters", {}).values())
    ]
    assert routes  # projecten/<db_id:project_id>/
    return routes


# The rule ---------------------------------------------------------------------------


def test_converter_accepts_the_bigint_range_only():
    converter = DatabaseIdConverter()
    assert converter.to_python("1") == 1
    assert converter.to_python(str(MAX_DATABASE_ID)) == MAX_DATABASE_ID
    for value in HUGE:
        with pytest.raises(ValueError):
            converter.to_python(str(value))
    assert re.fullmatch(converter.regex, str(10**30)) is None


def test_no_app_url_takes_an_unbounded_int():
    """Every id in an admin URL or portal route of the apps goes through <db_id:>."""
    unbounded = [
        route
        for route, converters in app_routes(get_resolver().url_patterns)
        if any(isinstance(c, IntConverter) for c in converters.values())
    ]
    unbounded += [
        str(entry.pattern)
        for entry in AuditPortalPage.get_subpage_urls()
        if any(
            isinstance(c, IntConverter)
            for c in getattr(entry.pattern, "converters", {}).values()
        )
    ]
    assert unbounded == []


# Through the real admin and portal ------------------------------------------------------


@pytest.mark.parametrize("user_name", USERS)
def test_every_admin_id_route_is_404_for_huge_ids(world, user_name):
    client = client_for(world, user_name)
    routes = admin_id_routes()
    for huge in HUGE:
        for route, converters in routes:
            url = with_ids(route, converters, huge)
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("user_name", USERS)
def test_every_portal_id_route_is_404_for_huge_ids(world, user_name):
    client = client_for(world, user_name)
    base = portal_url(world)
    assert client.get(base).status_code == 200  # the user may open the portal
    for huge in HUGE:
        for route, converters in portal_id_routes():
            url = base + with_ids(route, converters, huge).lstrip("/")
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("user_name", USERS)
@pytest.mark.parametrize("huge", HUGE[:2])
def test_reported_urls_are_404(world, user_name, huge):
    """The URLs of the review, one by one, with a real id beside the huge one."""
    client = client_for(world, user_name)
    a = world.library_a.pk
    project = world.live_project_a.pk
    urls = [
        f"/admin/network/partners/{huge}/",
        f"/admin/network/partners/{a}/projects/{huge}/",
        f"/admin/network/partners/{huge}/projects/{project}/",
        f"/admin/bm-roles/library/{huge}/team/",
        f"/admin/matching/import/{huge}/",
        f"{portal_url(world)}projecten/{huge}/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    partnerships = Partnership.objects.count()
    memberships = LibraryMembership.objects.count()
    for url in (f"/admin/network/end/{a}/{huge}/", f"/admin/network/end/{huge}/{a}/"):
        assert client.post(url).status_code == 404, url
    assert Partnership.objects.count() == partnerships
    assert LibraryMembership.objects.count() == memberships


@pytest.mark.parametrize("user_name", USERS)
def test_the_largest_id_is_an_ordinary_not_found(world, user_name):
    """2**63 - 1 is a valid bigint: the view runs and finds nothing (404, not 500)."""
    client = client_for(world, user_name)
    assert client.get(
        f"/admin/bm-roles/library/{MAX_DATABASE_ID}/team/"
    ).status_code in (
        403,
        404,
    )
    assert (
        client.get(f"{portal_url(world)}projecten/{MAX_DATABASE_ID}/").status_code
        == 404
    )


@pytest.mark.parametrize("user_name", USERS)
def test_huge_ids_in_query_strings_are_ignored(world, user_name):
    """Ids read from a query string or form are bounded the same way (no 500)."""
    client = client_for(world, user_name)
    huge = 2**64
    for url in (
        f"/admin/network/?library={huge}",
        f"/admin/network/request/?project={huge}&partner={huge}&library={huge}",
        f"{portal_url(world)}documenten/?work_field={huge}&policy_topic={huge}",
    ):
        assert client.get(url).status_code == 200, url
