""" "Bibliotheek inrichten" asks the library's profile (inhabitants served, branches,
municipalities, CBS urbanity class): validated, saved on the LibraryPage (row and
latest revision), still editable on the library page. Through the real admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bm_pages.models import LibraryPage
from bm_pages.profile import profile_of
from tests.bm_pages.roles_helpers import ROLE_NAMES, edit_form_data, make_staff

pytestmark = pytest.mark.django_db

URL = "/admin/bm-roles/setup/"


def superuser_client(world) -> Client:
    client = Client()
    client.force_login(world.user("superuser"))
    return client


def post(client, **data):
    return client.post(URL, {"name": "Bibliotheek Duinrand", **data})


PROFILE = {
    "inhabitants": "47500",
    "urbanity": "4",
    "municipalities": "Duinrand, Zeedorp , Duinrand",
    "branches": "Duinrand centrum\n\n  Zeedorp  \n",
}


def test_the_profile_is_entered_at_set_up(roles_world):
    client = superuser_client(roles_world)
    page = client.get(URL).content.decode()
    for name in ("inhabitants", "urbanity", "municipalities", "branches"):
        assert f'name="{name}"' in page
    assert "Inwoners in het werkgebied" in page and "Eén vestiging per regel" in page

    response = post(client, **PROFILE)
    library = LibraryPage.objects.get(title="Bibliotheek Duinrand")
    assert response.status_code == 302
    assert (library.inhabitants, library.urbanity) == (47_500, 4)
    assert library.municipalities == "Duinrand, Zeedorp"
    assert list(library.branches.values_list("name", flat=True)) == [
        "Duinrand centrum",
        "Zeedorp",
    ]
    profile = profile_of(library)
    assert (profile.branches, profile.municipalities, profile.size_class) == (2, 2, 2)
    # The editor starts from the latest revision: it has the profile too.
    draft = library.get_latest_revision_as_object()
    assert (draft.inhabitants, draft.urbanity) == (47_500, 4)
    assert [b.name for b in draft.branches.all()] == ["Duinrand centrum", "Zeedorp"]


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"inhabitants": "0", "urbanity": "3"}, {"inhabitants"}),
        ({"inhabitants": "-20", "urbanity": "3"}, {"inhabitants"}),
        ({"inhabitants": "veel", "urbanity": "3"}, {"inhabitants"}),
        ({"inhabitants": "5000", "urbanity": "6"}, {"urbanity"}),
        ({"inhabitants": "5000", "urbanity": "0"}, {"urbanity"}),
        ({"inhabitants": "5000", "urbanity": "3", "branches": "x" * 256}, {"branches"}),
        # A new library needs both: "libraries like mine" compares them.
        ({}, {"inhabitants", "urbanity"}),
        ({"urbanity": "3"}, {"inhabitants"}),
    ],
)
def test_bad_profiles_are_refused_and_nothing_is_made(roles_world, data, errors):
    client = superuser_client(roles_world)
    response = post(client, **data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == errors
    assert not LibraryPage.objects.filter(title="Bibliotheek Duinrand").exists()
    html = response.content.decode()
    if data == {}:
        assert "Een nieuwe bibliotheek heeft dit nodig" in html
    # What was typed is still there.
    if "inhabitants" in data:
        assert f'value="{data["inhabitants"]}"' in html


def test_an_existing_library_keeps_its_own_profile(roles_world):
    world = roles_world
    library = world.library_a
    LibraryPage.objects.filter(pk=library.pk).update(inhabitants=30_000, urbanity=2)
    client = superuser_client(world)
    response = client.post(
        URL,
        {"name": library.title, "inhabitants": "99000", "urbanity": "5"},
        follow=True,
    )
    assert response.status_code == 200
    library.refresh_from_db()
    assert (library.inhabitants, library.urbanity) == (30_000, 2)
    assert "eigen profiel vastgelegd" in response.content.decode()


def test_an_existing_library_without_a_profile_gets_it(roles_world):
    world = roles_world
    library = world.library_b
    assert library.inhabitants is None and not library.branches.exists()
    client = superuser_client(world)
    response = client.post(
        URL,
        {
            "name": library.title,
            "inhabitants": "120000",
            "urbanity": "1",
            "branches": "Centrale bibliotheek",
        },
    )
    assert response.status_code == 302
    library = LibraryPage.objects.get(pk=library.pk)
    assert (library.inhabitants, library.urbanity) == (120_000, 1)
    draft = library.get_latest_revision_as_object()
    assert draft.inhabitants == 120_000
    assert [b.name for b in draft.branches.all()] == ["Centrale bibliotheek"]


def test_the_profile_stays_editable_on_the_library_page(roles_world):
    client = superuser_client(roles_world)
    post(client, **PROFILE)
    library = LibraryPage.objects.get(title="Bibliotheek Duinrand")
    # The library's own approver edits it there, as any other content.
    editor = Client()
    staff = make_staff(library, "duinrand")
    editor.force_login(staff["approver"])
    data = edit_form_data(editor, library, inhabitants="52000", urbanity="3")
    assert data["branches-TOTAL_FORMS"] == ["2"]
    response = editor.post(f"/admin/pages/{library.pk}/edit/", data)
    assert response.status_code == 302
    draft = LibraryPage.objects.get(pk=library.pk).get_latest_revision_as_object()
    assert (draft.inhabitants, draft.urbanity) == (52_000, 3)
    assert [b.name for b in draft.branches.all()] == ["Duinrand centrum", "Zeedorp"]


@pytest.mark.parametrize("role", ROLE_NAMES)
def test_only_superusers_set_up_a_library_with_its_profile(roles_world, role):
    client = Client()
    user = roles_world.user(role)
    if user is not None:
        client.force_login(user)
    response = post(client, **PROFILE)
    made = LibraryPage.objects.filter(title="Bibliotheek Duinrand").exists()
    if role == "superuser":
        assert response.status_code == 302 and made
        assert response["Location"].startswith("/admin/bm-roles/library/")
        return
    assert not made
    if role in ("anonymous", "auditor_a"):  # auditors have no admin access at all
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        assert response.status_code == 403
