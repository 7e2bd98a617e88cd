"""ensure_library: the one way to create a library page."""

import pytest
from wagtail.models import Page

from bm_pages.models import HomePage, LibraryPage
from bm_pages.services.libraries import NoHomePageError, ensure_library, get_home_page
from tests.factories import RegionalNetworkFactory

pytestmark = pytest.mark.django_db


def test_ensure_library_creates_and_publishes_below_the_home_page():
    network = RegionalNetworkFactory(name="Netwerk Noord")

    library = ensure_library(
        "Bibliotheek Noorderlicht", network=network, municipalities="Dokkum"
    )

    library = LibraryPage.objects.get(pk=library.pk)
    assert library.get_parent().specific_class is HomePage
    assert library.live
    assert library.live_revision_id is not None
    assert library.slug == "bibliotheek-noorderlicht"
    assert library.network == network
    assert library.municipalities == "Dokkum"


def test_ensure_library_is_idempotent():
    first = ensure_library("Bibliotheek Noorderlicht")
    second = ensure_library("Bibliotheek Noorderlicht", municipalities="Anders")

    assert first.pk == second.pk
    assert LibraryPage.objects.count() == 1
    assert LibraryPage.objects.get().municipalities == ""


def test_ensure_library_accepts_its_own_slug():
    library = ensure_library("Bibliotheek 't Gooi", slug="gooi")
    assert library.slug == "gooi"
    assert ensure_library("Bibliotheek 't Gooi", slug="gooi").pk == library.pk


def test_ensure_library_without_a_home_page_says_what_to_do():
    Page.objects.filter(depth__gt=1).delete()
    with pytest.raises(NoHomePageError, match="Run the migrations"):
        get_home_page()
