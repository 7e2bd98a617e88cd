"""The whole partner story in a real browser, with the real matcher and model.

Library A's editor types a title and finds B's project; asks B for a partnership;
B's approver accepts; A's editor imports the project into A's plan, adapts it and
submits it; A's approver approves; A's public plan page shows it with its provenance
line. Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re

import pytest
from wagtail.models import WorkflowState

from bm_pages.models import LibraryDocument, Partnership, ProjectPage
from bm_pages.partnerships import are_partners
from bm_pages.roles import LibraryRole
from matcher_service.testing import run_matcher
from tests.bm_matching.helpers import (
    PASSWORD,
    drain,
    matcher_settings,
    network,
    set_up_library,
    staff,
)
from tests.bm_pages.certification_helpers import make_document
from tests.bm_pages.partner_helpers import add_plan, build_project

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

SOURCE_TITLE = "Voorleesontbijt voor peuters en hun ouders"
NEW_TITLE = "Voorleesontbijt in Aadorp"
PROVENANCE = f"Gebaseerd op “{SOURCE_TITLE}” van Bibliotheek Beekstad (2025)."


@pytest.fixture(scope="module")
def matcher(tmp_path_factory):
    with run_matcher(
        tmp_path_factory.mktemp("matcher-partner"), token="partner-e2e-token"
    ) as proc:
        yield proc


@pytest.fixture
def story(matcher, settings):
    settings.BM_MATCHING = matcher_settings(matcher)
    aadorp = set_up_library("Bibliotheek Aadorp", network("noord", "Netwerk Noord"))
    beekstad = set_up_library("Bibliotheek Beekstad", network("zuid", "Netwerk Zuid"))
    plan_a = add_plan(aadorp, 2026, areas=("Geletterdheid", "Digitale inclusie"))
    plan_b = add_plan(beekstad, 2025, areas=("Geletterdheid",))
    guide = make_document(
        beekstad,
        "Draaiboek voorleesontbijt",
        visibility=LibraryDocument.Visibility.PARTNERS,
    )
    internal = make_document(beekstad, "Interne evaluatie Beekstad")
    source = build_project(
        plan_b, SOURCE_TITLE, focus_area="Geletterdheid", evidence=(internal, guide)
    )
    own = build_project(plan_a, "Voorleesuurtje in de bibliotheek van Aadorp")
    cederveen = set_up_library("Bibliotheek Cederveen", network("zuid", "Netwerk Zuid"))
    build_project(add_plan(cederveen, 2026), "Voorlezen op de peuterspeelzaal")
    result = drain()
    assert result.upserted == 3 and not result.outage, result
    return {
        "plan_a": plan_a,
        "source": source,
        "own": own,
        "a": aadorp,
        "b": beekstad,
        "c": cederveen,
        "editor_a": staff(aadorp, "redacteur-aadorp"),
        "approver_a": staff(aadorp, "goedkeurder-aadorp", LibraryRole.APPROVER),
        "approver_b": staff(beekstad, "goedkeurder-beekstad", LibraryRole.APPROVER),
    }


def new_page(browser):
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="nl-NL"
    )
    context.set_default_timeout(30_000)
    page = context.new_page()
    # Leaving a half-filled form asks "leave this page?": yes.
    page.on("dialog", lambda dialog: dialog.accept())
    return context, page


def open_footer_action(page, selector: str):
    button = page.locator(selector)
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    button.wait_for(state="visible")
    page.wait_for_timeout(300)  # let the menu finish opening
    return button


def test_find_ask_accept_import_adapt_approve_publish(
    browser, page, screenshot, admin_login, live_server, story
):
    base = live_server.url
    plan_a, source = story["plan_a"], story["source"]
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. A's editor starts a project and types its title: B's project shows up.
    admin_login(page, story["editor_a"].username, PASSWORD)
    page.goto(f"{base}/admin/pages/add/bm_pages/projectpage/{plan_a.pk}/")
    page.locator("#id_title").press_sequentially("Voorlezen aan peuters", delay=40)
    item = page.locator(".bm-similar__item", has_text=SOURCE_TITLE)
    item.wait_for()
    assert "Bibliotheek Beekstad" in item.inner_text()
    item.scroll_into_view_if_needed()
    screenshot(page, "a-editor-finds-b-project")

    # 2. ... and asks B for a partnership from the result.
    item.locator('[data-bm-action="partnership"]').click()
    page.wait_for_url(re.compile(r".*/admin/network/request/\?.*"))
    assert SOURCE_TITLE in page.locator('[data-bm="request-project"]').inner_text()
    assert page.locator("#id_partner").input_value() == str(story["b"].pk)
    page.fill(
        "#id_message",
        "Wij willen ook een voorleesontbijt starten en leren graag van jullie.",
    )
    screenshot(page, "a-editor-request-form")
    page.click('[data-bm-action="send-request"]')
    page.wait_for_url(re.compile(r".*/admin/network/\?library=\d+$"))
    assert page.locator('[data-bm-section="outgoing"] li').count() == 1
    screenshot(page, "a-network-request-sent")
    row = Partnership.objects.get()
    assert row.status == "requested" and row.requested_by == story["editor_a"]

    # 3. B's approver accepts on B's network page.
    context_b, page_b = new_page(browser)
    try:
        admin_login(page_b, story["approver_b"].username, PASSWORD)
        page_b.get_by_role("link", name="Netwerk").first.click()
        page_b.wait_for_url(re.compile(r".*/admin/network/$"))
        request_row = page_b.locator(f'[data-bm-request="{row.pk}"]')
        assert "Wij willen ook een voorleesontbijt" in request_row.inner_text()
        screenshot(page_b, "b-approver-network-request")
        request_row.locator('[data-bm-action="accept"]').click()
        page_b.locator(f'[data-bm-partner="{story["a"].pk}"]').wait_for()
        screenshot(page_b, "b-approver-accepted")
    finally:
        context_b.close()
    assert are_partners(story["a"], story["b"])

    # 4. A's network: B is a partner now; C runs a project like A's and is suggested.
    page.goto(f"{base}/admin/network/")
    suggestions = page.locator('[data-bm-section="similar-libraries"]')
    suggestions.locator(f'[data-bm-suggestion="{story["c"].pk}"]').wait_for()
    assert "Voorlezen op de peuterspeelzaal" in suggestions.inner_text()
    assert suggestions.locator(f'[data-bm-suggestion="{story["b"].pk}"]').count() == 0
    screenshot(page, "a-network-with-partner")
    suggestions.scroll_into_view_if_needed()
    screenshot(page, "a-network-suggestions")
    page.locator(f'[data-bm-partner="{story["b"].pk}"] a').first.click()
    page.wait_for_selector('[data-bm="partner-view"]')
    assert "Draaiboek voorleesontbijt" in page.content()
    assert "Interne evaluatie Beekstad" not in page.content()
    screenshot(page, "a-partner-view-of-b")

    # 5. From the search, "import into my plan": plan, focus area, documents.
    page.goto(f"{base}/admin/matching/find/")
    page.locator("#id_q").press_sequentially("Voorleesontbijt peuters", delay=30)
    item = page.locator(".bm-similar__item", has_text=SOURCE_TITLE).first
    item.wait_for()
    item.locator('[data-bm-action="import"]').click()
    page.wait_for_url(re.compile(rf".*/admin/matching/import/{source.pk}/(\?.*)?$"))
    assert (
        "Draaiboek voorleesontbijt"
        in page.locator('[data-bm="shared-documents"]').inner_text()
    )
    page.check("#id_copy_documents")
    screenshot(page, "a-import-form")
    page.click('[data-bm-action="import-submit"]')
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    copy = ProjectPage.objects.get(source_page=source)
    assert page.url.endswith(f"/admin/pages/{copy.pk}/edit/")
    assert "staat nu als concept in Jaarplan 2026" in page.content()
    screenshot(page, "a-imported-draft-in-editor")
    assert LibraryDocument.objects.filter(
        library=story["a"], title="Draaiboek voorleesontbijt"
    ).exists()

    # 6. Adapt it to Aadorp and submit it for review.
    page.fill("#id_title", NEW_TITLE)
    page.click("#tab-label-smart")
    page.fill("#id_target_group", "Ouders van peuters in Aadorp en Beekdorp")
    screenshot(page, "a-adapting-smart")
    assert page.locator('button[name="action-publish"]').count() == 0
    open_footer_action(page, 'button[name="action-submit"]').click()
    page.wait_for_url(re.compile(rf".*/admin/pages/{plan_a.pk}/$"))
    screenshot(page, "a-submitted")
    copy.refresh_from_db()
    assert not copy.live
    assert copy.current_workflow_state.status == WorkflowState.STATUS_IN_PROGRESS

    # 7. A's approver approves.
    context_a2, page_a2 = new_page(browser)
    try:
        admin_login(page_a2, story["approver_a"].username, PASSWORD)
        page_a2.goto(f"{base}/admin/pages/{copy.pk}/edit/")
        approve = open_footer_action(
            page_a2,
            'button[data-workflow-action-name="approve"]'
            ":not([data-workflow-action-modal-url])",
        )
        screenshot(page_a2, "a-approver-approves")
        approve.click()
        page_a2.wait_for_url(re.compile(r".*/admin/pages/\d+/(edit/)?$"))
        page_a2.wait_for_load_state()
    finally:
        context_a2.close()
    copy.refresh_from_db()
    assert copy.live and copy.title == NEW_TITLE
    assert copy.target_group == "Ouders van peuters in Aadorp en Beekdorp"
    assert copy.source_title == SOURCE_TITLE and copy.phase_log.count() == 0

    # 8. The public plan page of A shows it, with where it came from.
    page.goto(f"{base}{plan_a.get_url()}")
    card = page.locator(".project-card", has_text=NEW_TITLE)
    assert PROVENANCE in card.inner_text()
    screenshot(page, "public-plan-page-with-provenance")
    page.goto(f"{base}{copy.get_url()}")
    assert PROVENANCE in page.locator(".provenance").inner_text()
    screenshot(page, "public-project-page-with-provenance")

    # The source was never touched.
    source_now = ProjectPage.objects.get(pk=source.pk)
    assert source_now.title == SOURCE_TITLE and source_now.phase_log.count() == 3
