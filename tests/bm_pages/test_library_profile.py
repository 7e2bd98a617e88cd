"""A library's profile and who is "like" whom (bm_pages/profile.py)."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from bm_pages.models import LibraryPage
from bm_pages.profile import (
    LibraryProfile,
    libraries_like,
    libraries_unlike,
    profile_of,
    size_class,
)
from tests.bm_pages.roles_helpers import edit_form_data
from tests.factories import BranchFactory, LibraryPageFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("inhabitants", "expected"),
    [
        (None, None),
        (0, 1),
        (29_999, 1),
        (30_000, 2),
        (59_999, 2),
        (60_000, 3),
        (100_000, 4),
        (199_999, 4),
        (200_000, 5),
        (900_000, 5),
    ],
)
def test_size_classes(inhabitants, expected):
    assert size_class(inhabitants) == expected


def profile(inhabitants, urbanity):
    return LibraryProfile(1, inhabitants, urbanity, branches=1, municipalities=1)


@pytest.mark.parametrize(
    ("other", "alike"),
    [
        ((45_000, 3), True),  # same classes
        ((65_000, 4), True),  # one step each
        ((25_000, 2), True),
        ((120_000, 3), False),  # size two steps away
        ((45_000, 5), False),  # urbanity two steps away
        ((None, 3), False),  # no profile
        ((45_000, None), False),
    ],
)
def test_like_means_within_one_step_of_both(other, alike):
    mine = profile(45_000, 3)
    assert mine.is_like(profile(*other)) is alike
    assert profile(*other).is_like(mine) is alike
    assert bool(mine.reasons_alike(profile(*other))) is alike


def test_profiles_from_the_database(home_page):
    mine = LibraryPageFactory(
        parent=home_page,
        title="Bibliotheek Mijn",
        municipalities="Aa, Bee, Cee",
        inhabitants=45_000,
        urbanity=4,
    )
    BranchFactory(page=mine, sort_order=0)
    BranchFactory(page=mine, sort_order=1)
    alike = LibraryPageFactory(parent=home_page, inhabitants=80_000, urbanity=5)
    city = LibraryPageFactory(parent=home_page, inhabitants=400_000, urbanity=1)
    blank = LibraryPageFactory(parent=home_page)

    assert libraries_like(mine) == {alike.pk}
    assert libraries_unlike(mine) == {city.pk, blank.pk}
    loaded = profile_of(mine)
    assert (loaded.branches, loaded.municipalities) == (2, 3)
    with translation.override("nl"):
        assert loaded.label() == (
            "45.000 inwoners · 2 vestigingen · 3 gemeenten · 4 – weinig stedelijk"
        )
    assert not profile_of(blank).complete
    with translation.override("nl"):
        # No branches recorded is unknown: the label says nothing, not "0 vestigingen".
        assert "vestigingen" not in profile_of(blank).label()


def test_the_profile_is_edited_on_the_library_page(admin_client, home_page):
    library = LibraryPageFactory(parent=home_page, title="Bibliotheek Profiel")
    data = edit_form_data(admin_client, library, inhabitants="52000", urbanity="2")
    response = admin_client.post(f"/admin/pages/{library.pk}/edit/", data)
    assert response.status_code == 302
    draft = LibraryPage.objects.get(pk=library.pk).get_latest_revision_as_object()
    assert (draft.inhabitants, draft.urbanity) == (52_000, 2)

    data = edit_form_data(admin_client, library, inhabitants="-5", urbanity="9")
    response = admin_client.post(f"/admin/pages/{library.pk}/edit/", data)
    assert response.status_code == 200
    assert {"inhabitants", "urbanity"} <= set(response.context["form"].errors)


def test_the_profile_is_entered_at_set_up(home_page):
    out = io.StringIO()
    call_command(
        "setup_library",
        "Bibliotheek Nieuwstad",
        "--inhabitants",
        "72000",
        "--urbanity",
        "2",
        stdout=out,
    )
    library = LibraryPage.objects.get(title="Bibliotheek Nieuwstad")
    assert (library.inhabitants, library.urbanity) == (72_000, 2)
    assert library.get_latest_revision_as_object().inhabitants == 72_000
    with pytest.raises(CommandError, match="negative"):
        call_command("setup_library", "Bibliotheek Min", "--inhabitants", "-1")
    assert not LibraryPage.objects.filter(title="Bibliotheek Min").exists()
