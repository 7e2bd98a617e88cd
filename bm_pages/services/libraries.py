"""Setting up a library: the one place that creates a ``LibraryPage``.

Management commands, the demo loader and (later) the roles setup all call
``ensure_library``, so a library is created the same way everywhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.text import slugify
from wagtail.models import Page, Site

from bm_pages.models import HomePage, LibraryPage

if TYPE_CHECKING:
    from bm_pages.models import RegionalNetwork


class NoHomePageError(RuntimeError):
    """Raised when there is no ``HomePage`` to put libraries under."""


def get_home_page() -> HomePage:
    """Return the site's ``HomePage``: the default site's root if it is one, else the first.

    :raises NoHomePageError: when the page tree has no ``HomePage`` at all.
    """
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and site.root_page.specific_class is HomePage:
        return site.root_page.specific
    home = HomePage.objects.order_by("path").first()
    if home is None:
        raise NoHomePageError(
            "There is no home page. Run the migrations, or create a 'home page' "
            "in the Wagtail admin, before adding libraries."
        )
    return home


@transaction.atomic
def ensure_library(
    name: str, *, network: RegionalNetwork | None = None, **fields: Any
) -> LibraryPage:
    """Return the library called ``name``, creating and publishing it if it is missing.

    The library is found by its slug (``fields["slug"]`` or the slugified name) below
    the home page. An existing library is returned unchanged, so calling this again
    is harmless.

    :param name: the library organisation's name; the page title.
    :param network: the regional network it belongs to, if any.
    :param fields: other ``LibraryPage`` field values for a new library
        (``slug``, ``municipalities``, ``email``, ...).
    :raises NoHomePageError: when there is no home page to put the library under.
    """
    home = get_home_page()
    slug = fields.pop("slug", None) or slugify(name)[:255]
    existing = LibraryPage.objects.child_of(home).filter(slug=slug).first()
    if existing is not None:
        return existing
    if Page.objects.child_of(home).filter(slug=slug).exists():
        raise ValueError(
            f"The slug {slug!r} is taken by another page below the home page."
        )
    library = LibraryPage(title=name, slug=slug, network=network, **fields)
    home.add_child(instance=library)
    library.save_revision().publish()
    return library
