"""Provenance in the project editor: an imported project says where it came from at
the top of its edit page (linking to the source when the user may open it), and the
"Herkomst" tab shows only what is known, in Dutch, never "None"."""

from __future__ import annotations

import datetime
import re
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bm_pages.models import ProjectPage
from tests.bm_pages.roles_helpers import RolesWorld

pytestmark = pytest.mark.django_db

IMPORTED_AT = datetime.datetime(2026, 12, 5, 10, 30)


def imported(world: RolesWorld, *, source: ProjectPage | None) -> ProjectPage:
    """B's draft, made an import of ``source`` (A's live project, or a gone one)."""
    project = world.draft_b
    ProjectPage.objects.filter(pk=project.pk).update(
        source_page=source,
        source_title="Taalhuis Aland",
        source_library_name="Bibliotheek Aland",
        source_year=2026,
        source_url="https://biblio.example.nl/bibliotheek-aland/2026/taalhuis/",
        imported_at=timezone.make_aware(IMPORTED_AT),
    )
    project = ProjectPage.objects.get(pk=project.pk)
    project.save_revision(user=world.user("editor_b"))
    return project


def edit_page(world: RolesWorld, user_name: str, project) -> str:
    client = Client()
    client.force_login(world.user(user_name))
    response = client.get(reverse("wagtailadmin_pages:edit", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


class _Text(HTMLParser):
    """The text a person reads (no scripts, styles or attributes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def shows_none(html: str) -> bool:
    """Whether the page shows the word "None" (Wagtail's own class names aside)."""
    reader = _Text()
    reader.feed(html)
    return bool(re.search(r"\bNone\b", " ".join(reader.parts)))


def messages_area(html: str) -> str:
    return html.split('class="messages"', 1)[1].split("</ul>", 1)[0]


def provenance_tab(html: str) -> str:
    return html.split('data-bm="provenance-panel"', 1)[1].split("</div>", 1)[0]


def test_an_imported_project_says_where_it_came_from(roles_world: RolesWorld):
    source = roles_world.live_project_a
    project = imported(roles_world, source=source)
    html = edit_page(roles_world, "editor_b", project)
    notice = messages_area(html)
    assert (
        "Overgenomen van Bibliotheek Aland – Taalhuis Aland (5 december 2026)."
        in notice
    )
    # The source is live and public: the notice links to it.
    assert f'href="{source.get_url()}"' in notice and "Bron openen" in notice
    tab = provenance_tab(html)
    for text in (
        "Bronproject",
        "Taalhuis Aland",
        "Bronbibliotheek",
        "Bibliotheek Aland",
        "2026",
        "5 december 2026",
        "https://biblio.example.nl/bibliotheek-aland/2026/taalhuis/",
    ):
        assert text in tab, text
    assert not shows_none(html)


def test_the_source_librarys_staff_get_its_editor(roles_world: RolesWorld):
    source = roles_world.live_project_a
    project = imported(roles_world, source=source)
    # A superuser works for both libraries: the link opens the source's editor.
    html = edit_page(roles_world, "superuser", project)
    edit_source = reverse("wagtailadmin_pages:edit", args=[source.pk])
    assert f'href="{edit_source}"' in messages_area(html)


def test_no_link_when_the_source_is_out_of_sight(roles_world: RolesWorld):
    source = roles_world.live_project_a
    source.unpublish()
    project = imported(roles_world, source=source)
    notice = messages_area(edit_page(roles_world, "editor_b", project))
    assert "Overgenomen van Bibliotheek Aland – Taalhuis Aland" in notice
    assert "Bron openen" not in notice
    # A source that is gone keeps the recorded provenance.
    project = imported(roles_world, source=None)
    html = edit_page(roles_world, "editor_b", project)
    assert "Overgenomen van Bibliotheek Aland" in messages_area(html)
    assert not shows_none(html)


def test_a_project_that_was_not_imported_has_no_notice(roles_world: RolesWorld):
    html = edit_page(roles_world, "editor_b", roles_world.draft_b)
    assert "Overgenomen van" not in html
    assert "Dit project is niet overgenomen van een andere bibliotheek" in (
        provenance_tab(html)
    )
    assert not shows_none(html)


def test_only_recorded_facts_are_listed(roles_world: RolesWorld):
    project = roles_world.draft_b
    ProjectPage.objects.filter(pk=project.pk).update(
        source_title="Voorlezen aan peuters", source_library_name="Bibliotheek Aland"
    )
    project = ProjectPage.objects.get(pk=project.pk)
    project.save_revision(user=roles_world.user("editor_b"))
    html = edit_page(roles_world, "editor_b", project)
    assert (
        "Overgenomen van Bibliotheek Aland – Voorlezen aan peuters."
        in messages_area(html)
    )
    tab = provenance_tab(html)
    assert "Jaar van het bronplan" not in tab and "Overgenomen op" not in tab
    assert re.search(r"Bronproject</dt>\s*<dd>Voorlezen aan peuters", tab)
    assert not shows_none(html)
