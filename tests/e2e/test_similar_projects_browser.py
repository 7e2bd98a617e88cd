"""A librarian types the title of a project she is planning and sees who already did it.

Real browser, real admin, real matcher with the real model. Screenshots in
``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

import pytest

from bm_matching.actions import ImportPartnerProjectAction
from bm_pages.models import LibraryPage, ProjectPage
from bm_pages.partnerships import are_partners
from bm_pages.roles import LibraryRole
from matcher_service.testing import run_matcher
from tests.bm_matching.helpers import (
    PASSWORD,
    add_plan,
    drain,
    matcher_settings,
    network,
    publish_project,
    set_up_library,
    staff,
)

pytestmark = pytest.mark.django_db(transaction=True)

PARTNER_TITLE = "Voorleesontbijt voor peuters en hun ouders"


@pytest.fixture
def migrated_data(transactional_db):
    """The migrations' data (root and home page, taxonomy), put back if a flush of an
    earlier transactional test removed it.

    ``serialized_rollback`` cannot do this here: while Playwright's sync API runs its
    event loop in the test thread, Django hands out new connection objects
    (asgiref's thread-critical ``Local`` switches to context-var storage), and the
    serialized data pytest-django stored sits on the thread's first connection. A
    flush from such a connection also re-runs post_migrate, so the data is loaded
    here after a clean flush, content types first.
    (A candidate for ``tests/e2e/conftest.py``.)
    """
    import json

    from django.contrib.contenttypes.models import ContentType
    from django.core import serializers
    from django.core.management import call_command
    from django.db import connections, transaction
    from wagtail.models import Page

    if Page.objects.filter(depth=1).exists():
        return
    sync_storage = object.__getattribute__(connections._connections, "_storage")
    for alias in connections:
        contents = getattr(connections[alias], "_test_serialized_contents", None)
        if contents is None:
            first = getattr(sync_storage, alias, None)
            contents = getattr(first, "_test_serialized_contents", None)
        assert contents, "pytest-django did not serialize the test database"
        call_command(
            "flush",
            database=alias,
            interactive=False,
            verbosity=0,
            inhibit_post_migrate=True,
            reset_sequences=False,  # the sequences stay past the restored ids
        )
        ContentType.objects.clear_cache()
        rows = json.loads(contents)
        rows.sort(key=lambda row: row["model"] != "contenttypes.contenttype")
        connection = connections[alias]
        with transaction.atomic(using=alias), connection.constraint_checks_disabled():
            for obj in serializers.deserialize("json", json.dumps(rows), using=alias):
                obj.save()
        ContentType.objects.clear_cache()


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    with run_matcher(tmp_path_factory.mktemp("matcher-e2e"), token="e2e-token") as proc:
        yield proc


@pytest.fixture
def libraries(migrated_data, matcher, settings):
    settings.BM_MATCHING = matcher_settings(matcher)
    noord = network("noord", "Netwerk Noord")
    aadorp = set_up_library("Bibliotheek Aadorp", noord)
    beekstad = set_up_library("Bibliotheek Beekstad", noord)
    plan_a = add_plan(aadorp, 2026)
    plan_b = add_plan(beekstad, 2025)
    publish_project(
        plan_b,
        PARTNER_TITLE,
        "Op zaterdagochtend lezen vrijwilligers prentenboeken voor aan peuters, "
        "terwijl ouders samen ontbijten en tips krijgen over voorlezen thuis.",
        target_group="Ouders van peuters",
        topics=["boekstart"],
        phase="done",
    )
    publish_project(
        plan_b,
        "Digitale vaardigheden voor senioren",
        "Ouderen leren werken met DigiD, de tablet en veilig internetbankieren.",
    )
    own = publish_project(plan_a, "Voorleesuurtje in Aadorp", "Voorlezen voor peuters.")
    result = drain()
    assert result.upserted == 3 and not result.outage
    editor = staff(aadorp, "redacteur-aadorp", LibraryRole.EDITOR)
    return plan_a, own, editor


def test_an_editor_typing_a_title_sees_a_partners_similar_project(
    page, screenshot, admin_login, live_server, libraries
):
    plan_a, own, editor = libraries
    admin_login(page, editor.username, PASSWORD)

    page.goto(f"{live_server.url}/admin/pages/add/bm_pages/projectpage/{plan_a.pk}/")
    panel = page.locator("[data-bm-similar]")
    panel.wait_for()
    assert "Typ een titel" in panel.inner_text()
    screenshot(page, "empty-project-form")

    page.locator("#id_title").press_sequentially("Voorlezen aan peuters", delay=60)

    item = panel.locator(".bm-similar__item", has_text=PARTNER_TITLE)
    item.wait_for(timeout=20_000)
    text = item.inner_text()
    assert "Bibliotheek Beekstad" in text
    assert "jaarplan 2025" in text and "afgerond" in text.lower()
    # A calibrated level, not a raw score.
    assert re.search(r"(Goede|Mogelijke) match", text), text
    assert not re.search(r"score 0[.,]\d\d", text)
    assert (
        "Gedeelde woorden:" in text
        and "peuters" in item.locator("mark").all_inner_texts()
    )
    # "Open" goes through the CMS, which notes the search's feedback and then
    # opens the public page.
    open_link = item.get_by_role("link", name="Openen")
    assert "/admin/matching/open/" in open_link.get_attribute("href")
    with page.context.expect_page() as opened:
        open_link.click()
    opened.value.wait_for_load_state()
    assert opened.value.url.endswith(
        "/bibliotheek-beekstad/jaarplan-2025/voorleesontbijt-voor-peuters-en-hun-ouders/"
    )
    opened.value.close()
    # Never the editor's own library's project.
    assert panel.locator(".bm-similar__item", has_text=own.title).count() == 0
    # The best match comes first.
    assert PARTNER_TITLE in panel.locator(".bm-similar__item").first.inner_text()
    item.scroll_into_view_if_needed()
    screenshot(page, "similar-projects-while-typing")

    # The standalone page: same search, with filters.
    page.goto(f"{live_server.url}/admin/matching/find/")
    page.locator("#id_q").press_sequentially(
        "Senioren leren de tablet gebruiken", delay=30
    )
    page.locator(".bm-similar__item", has_text="Digitale vaardigheden").first.wait_for()
    screenshot(page, "find-projects-page")

    # A subject no other library worked on: said plainly, weak hits one click away.
    page.locator("#id_q").fill("")
    page.locator("#id_q").press_sequentially(
        "Onderhoud van de parkeergarage en de liften", delay=30
    )
    nothing = page.locator("[data-bm-similar-nothing-good]")
    nothing.wait_for(timeout=20_000)
    assert "Niets goeds gevonden" in nothing.inner_text()
    weak = page.locator("[data-bm-similar-weak]")
    assert not weak.locator(".bm-similar__item").first.is_visible()
    weak.get_by_text("Toon ook zwakke overeenkomsten").click()
    first_weak = weak.locator(".bm-similar__item").first
    first_weak.wait_for()
    assert "Zwakke overeenkomst" in first_weak.inner_text()
    screenshot(page, "nothing-good-found")

    panel_knows_partners_and_what_we_imported(
        page, screenshot, live_server, plan_a, editor
    )


def panel_knows_partners_and_what_we_imported(
    page, screenshot, live_server, plan_a, editor
):
    """Beekstad is Aadorp's partner through their network (which links its members by
    default), and once Aadorp imported its project the panel says so instead of
    offering a partnership request and a second import. (Part of the test above: the
    browser tests of this module share one database set-up.)"""
    beekstad = LibraryPage.objects.get(title="Bibliotheek Beekstad")
    assert are_partners(plan_a.library, beekstad)
    source = ProjectPage.objects.get(title=PARTNER_TITLE)
    copy = ImportPartnerProjectAction(source, plan_a, editor).execute().project

    page.goto(f"{live_server.url}/admin/pages/add/bm_pages/projectpage/{plan_a.pk}/")
    panel = page.locator("[data-bm-similar]")
    panel.wait_for()
    page.locator("#id_title").press_sequentially("Voorlezen aan peuters", delay=60)
    item = panel.locator(".bm-similar__item", has_text=PARTNER_TITLE)
    item.wait_for(timeout=20_000)
    assert item.locator("[data-bm-relation=partner]").inner_text() == "Partner"
    assert item.get_by_role("link", name="Partnerschap aanvragen").count() == 0
    imported = item.get_by_role("link", name="Al overgenomen")
    assert imported.get_attribute("href") == f"/admin/pages/{copy.pk}/edit/"
    assert item.get_by_role("link", name="Overnemen in mijn jaarplan").count() == 0
    item.scroll_into_view_if_needed()
    screenshot(page, "partner-and-already-imported")
    imported.click()
    page.wait_for_url(f"**/admin/pages/{copy.pk}/edit/")
