"""Who may find whose projects: the sharing choice of each library, the searcher's
libraries (from the roles module), and the single place partnerships will extend."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bm_matching.visibility import (
    libraries_of,
    library_can_see,
    may_search,
    search_scope,
    visible_library_ids,
)
from bm_pages.models import LibraryPage, Partnership
from bm_pages.roles import LibraryRole, grant_role
from tests.bm_matching.helpers import network, set_up_library, staff
from tests.factories import LibraryPageFactory, UserFactory

pytestmark = pytest.mark.django_db

ALL = LibraryPage.ProjectVisibility.ALL
NETWORK = LibraryPage.ProjectVisibility.NETWORK
PARTNERS = LibraryPage.ProjectVisibility.PARTNERS


@pytest.fixture
def libs(home_page):
    noord, zuid = network("noord", "Netwerk Noord"), network("zuid", "Netwerk Zuid")
    los = network("los", "Los Verband")
    los.link_members_by_default = False
    los.save()
    a = set_up_library("Bibliotheek Aadorp", noord)

    def lib(title, net, shares):
        return LibraryPageFactory(
            parent=home_page, title=title, network=net, project_visibility=shares
        )

    return {
        "a": a,
        "b": lib("Bibliotheek Beekstad", noord, ALL),
        "c": lib("Bibliotheek Cederveen", zuid, NETWORK),
        "d": lib("Bibliotheek Dijkwater", noord, NETWORK),
        "e": lib("Bibliotheek Eemhoven", zuid, PARTNERS),
        "g": lib("Bibliotheek Geen Netwerk", None, NETWORK),
        "h": lib("Bibliotheek Heidedorp", los, PARTNERS),
        "i": lib("Bibliotheek IJsselkant", los, NETWORK),
        "j": lib("Bibliotheek Jutberg", los, ALL),
    }


@pytest.mark.parametrize(
    ("viewer", "owner", "can_see"),
    [
        ("a", "b", True),  # shares with all
        ("a", "d", True),  # network-only, same network
        ("a", "c", False),  # network-only, other network
        ("a", "e", False),  # partners only, and A is not a partner of E
        ("c", "e", True),  # partners only: network members are partners by default
        ("j", "h", False),  # ...unless the network does not link its members
        ("j", "i", True),  # network-only: a member of that network, linked or not
        ("a", "g", False),  # network-only without a network: nobody else
        ("g", "d", False),  # a viewer without a network is in no network
        ("a", "a", True),  # a library sees itself
        (None, "b", True),  # someone without a library sees "all" libraries...
        (None, "d", False),  # ...and nothing else
    ],
)
def test_library_can_see(libs, viewer, owner, can_see):
    viewer_lib = libs[viewer] if viewer else None
    assert library_can_see(viewer_lib, libs[owner]) is can_see


def test_libraries_of_follows_the_roles_module(libs):
    a = libs["a"]
    cederveen = set_up_library(
        "Bibliotheek Cederveen 2", network("zuid", "Netwerk Zuid")
    )
    editor = staff(a, "redacteur")
    approver = staff(a, "goedkeurder", LibraryRole.APPROVER)
    auditor = staff(a, "auditor", LibraryRole.AUDITOR)
    expired = UserFactory(username="oud-redacteur")
    grant_role(
        a,
        expired,
        LibraryRole.EDITOR,
        expires_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    grant_role(cederveen, approver, LibraryRole.EDITOR)
    superuser = UserFactory(username="beheerder", is_superuser=True)

    assert libraries_of(editor) == [a]
    assert {lib.pk for lib in libraries_of(approver)} == {a.pk, cederveen.pk}
    assert libraries_of(auditor) == [], "auditors only read their audit portal"
    assert libraries_of(expired) == []
    assert libraries_of(superuser) == []
    assert [may_search(u) for u in (editor, approver, auditor, expired, superuser)] == [
        True,
        True,
        False,
        False,
        True,
    ]


def test_the_search_scope_of_an_editor_a_superuser_and_a_multi_library_user(libs):
    a, c = libs["a"], libs["c"]
    editor = staff(a, "redacteur")
    scope = search_scope(editor)
    assert scope.own_ids == {a.pk}
    assert scope.hidden_ids == {
        c.pk,
        libs["e"].pk,
        libs["g"].pk,
        libs["h"].pk,
        libs["i"].pk,
    }
    assert visible_library_ids(editor) >= {libs["b"].pk, libs["d"].pk}
    assert not visible_library_ids(editor) & {a.pk, c.pk, libs["e"].pk}

    superuser = UserFactory(username="beheerder", is_superuser=True)
    assert search_scope(superuser).sees_all
    assert search_scope(superuser).excluded_ids == frozenset()

    # A superuser who also works for a library searches as that library does.
    grant_role(a, superuser, LibraryRole.EDITOR)
    assert search_scope(superuser).own_ids == {a.pk}

    # Working for libraries in both networks opens both networks' shared projects:
    # Zuiderhaven is in Zuid, so C (Zuid only) and E (partners; Zuid links its
    # members by default) open up too.
    zuid_lib = set_up_library(
        "Bibliotheek Zuiderhaven", network("zuid", "Netwerk Zuid")
    )
    grant_role(zuid_lib, editor, LibraryRole.EDITOR)
    assert search_scope(editor).hidden_ids == {
        libs["g"].pk,
        libs["h"].pk,
        libs["i"].pk,
    }


def test_an_accepted_partnership_opens_partners_only_projects(libs):
    a, e = libs["a"], libs["e"]
    editor = staff(a, "redacteur")
    assert e.pk in search_scope(editor).hidden_ids

    low, high = sorted((a, e), key=lambda lib: lib.pk)
    partnership = Partnership.objects.create(
        library_a=low,
        library_b=high,
        requested_by_library=a,
        status=Partnership.Status.ACTIVE,
    )

    assert library_can_see(a, e)
    assert e.pk not in search_scope(editor).hidden_ids
    assert libs["c"].pk in search_scope(editor).hidden_ids, "C is still not a partner"

    partnership.status = Partnership.Status.ENDED
    partnership.save()
    assert not library_can_see(a, e)
    assert e.pk in search_scope(editor).hidden_ids
