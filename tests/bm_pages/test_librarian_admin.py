"""The admin as a librarian meets it (issue 14): no stray drafts, Biblio Monitor's
branding in Dutch, help in Dutch, auditors sent to their portal."""

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from wagtail.models import Site

import bm_pages
from bm_pages.models import AuditPortalPage, LibraryPage, ProjectPage
from tests.bm_pages.roles_helpers import PASSWORD, RolesWorld
from tests.bm_pages.test_menu_matrix import menu_names
from tests.factories import ProjectIndicatorFactory, ProjectPageFactory

pytestmark = pytest.mark.django_db


def test_creating_a_page_has_no_autosave_but_editing_one_does(
    admin_client, annual_plan, project
):
    create = admin_client.get(
        f"/admin/pages/add/bm_pages/projectpage/{annual_plan.pk}/"
    )
    assert create.status_code == 200
    assert b'id="page-edit-form"' in create.content
    assert b"w-autosave-interval-value" not in create.content

    edit = admin_client.get(f"/admin/pages/{project.pk}/edit/")
    assert edit.status_code == 200
    assert b"w-autosave-interval-value" in edit.content


def test_the_login_page_is_biblio_monitors_in_dutch(client):
    html = client.get("/admin/login/").content.decode()
    assert "<h1>Inloggen bij Biblio Monitor</h1>" in html
    assert "Wagtail" not in html.split("<main", 1)[1]
    assert re.search(r"<label[^>]*for=\"id_password\"[^>]*>\s*Wachtwoord", html)
    assert 'placeholder="Uw gebruikersnaam"' in html
    assert "Password" not in html
    assert "<title>" in html and "Biblio Monitor</title>" in html


def test_a_wrong_password_is_told_in_dutch_with_u(client, roles_world: RolesWorld):
    response = client.post(
        "/admin/login/",
        {"username": roles_world.user("editor_a").username, "password": "fout"},
    )
    assert response.status_code == 200
    assert "Uw gebruikersnaam en wachtwoord komen niet overeen" in (
        response.content.decode()
    )


def test_no_gravatar_anywhere_in_the_admin(client, roles_world: RolesWorld):
    client.force_login(roles_world.user("editor_a"))
    html = client.get("/admin/").content.decode()
    assert "gravatar" not in html


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("editor_a", "Biblio Monitor — Bibliotheek Aland"),
        ("approver_a", "Biblio Monitor — Bibliotheek Aland"),
        ("superuser", "Biblio Monitor"),
    ],
)
def test_the_dashboard_is_headed_with_product_and_library(
    roles_world: RolesWorld, role, heading
):
    client = Client()
    client.force_login(roles_world.user(role))
    html = client.get("/admin/").content.decode()
    h1 = re.search(r'<h1 class="w-h1 w-mt-0">\s*(.*?)\s*</h1>', html, re.S)
    assert h1 and h1.group(1) == heading
    assert "localhost" not in html
    assert re.search(r"\d+ pagina('s)?\s*</a>", html)


@pytest.mark.parametrize("role", ["editor_a", "approver_a", "editor_b", "superuser"])
def test_reports_only_for_superusers_and_help_leads_to_our_guide(
    roles_world: RolesWorld, role
):
    client = Client()
    client.force_login(roles_world.user(role))
    html = client.get("/admin/").content.decode()
    names = menu_names(html)
    assert ("reports" in names) == (role == "superuser")
    assert "bm-guide" in names
    assert "editor-guide" not in names
    assert not any(name.startswith("whats-new") for name in names)
    assert "guide.wagtail.org" not in html

    guide = client.get("/admin/handleiding/")
    assert guide.status_code == 200
    text = guide.content.decode().split('data-bm="guide"', 1)[1]
    for heading in ("Als redacteur", "Als goedkeurder", "Als auditor"):
        assert heading in text
    assert " je " not in text


def test_an_auditor_signing_in_lands_in_the_audit_portal(
    client, roles_world: RolesWorld
):
    auditor = roles_world.user("auditor_a")
    portal = AuditPortalPage.objects.child_of(roles_world.library_a).get()
    response = client.post(
        "/admin/login/",
        {"username": auditor.username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == portal.get_url()
    # Once signed in, /admin/ and the login page send them there as well.
    assert client.get("/admin/")["Location"] == portal.get_url()
    assert client.get("/admin/login/")["Location"] == portal.get_url()
    landed = client.get(portal.get_url())
    assert landed.status_code == 200
    assert "toegang tot de beheeromgeving" not in landed.content.decode()


@pytest.mark.parametrize("role", ["editor_a", "approver_a"])
def test_staff_signing_in_land_on_the_dashboard(client, roles_world: RolesWorld, role):
    response = client.post(
        "/admin/login/",
        {"username": roles_world.user(role).username, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/admin/"


def test_the_submit_button_says_ter_goedkeuring_indienen(
    roles_world: RolesWorld,
):
    client = Client()
    client.force_login(roles_world.user("editor_a"))
    html = client.get(f"/admin/pages/{roles_world.draft_a.pk}/edit/").content.decode()
    assert "Ter goedkeuring indienen" in html
    assert "Stuur door naar" not in html
    # The editor cannot publish: submitting is the main button of the footer.
    footer = html.split('<footer class="footer', 1)[1]
    main_button = re.search(
        r'<div class="w-dropdown-button">\s*<button([^>]*)>', footer
    )
    assert main_button and 'name="action-submit"' in main_button.group(1)


def test_setup_library_points_the_site_at_the_products_address(client):
    out = io.StringIO()
    call_command(
        "setup_library",
        "Bibliotheek Zeestad",
        "--base-url",
        "https://biblio.example.nl/",
        stdout=out,
    )
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port, site.site_name) == (
        "biblio.example.nl",
        443,
        "Biblio Monitor",
    )
    library = LibraryPage.objects.get(title="Bibliotheek Zeestad")
    assert "https://biblio.example.nl/bibliotheek-zeestad/" in out.getvalue()

    # The public API's html_url comes from the site, not from "localhost".
    response = client.get(
        f"/api/v2/libraries/{library.pk}/", HTTP_HOST="biblio.example.nl"
    )
    assert response.status_code == 200
    meta = response.json()["meta"]
    assert meta["html_url"] == "https://biblio.example.nl/bibliotheek-zeestad/"
    assert "localhost" not in response.content.decode()


def test_setup_library_by_default_uses_the_configured_base_url(settings):
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8000"
    call_command("setup_library", "Bibliotheek Duinstad", stdout=io.StringIO())
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("127.0.0.1", 8000)
    assert LibraryPage.objects.get(title="Bibliotheek Duinstad").get_full_url() == (
        "http://127.0.0.1:8000/bibliotheek-duinstad/"
    )


@pytest.mark.parametrize(
    "bad",
    ["biblio.example.nl", "ftp://biblio.example.nl/", "http://:80/", "http://x:99999/"],
)
def test_a_bad_base_url_is_refused_and_changes_nothing(bad):
    before = list(Site.objects.values_list("hostname", "port"))
    with pytest.raises(CommandError, match="is not a web address"):
        call_command("setup_library", "Bibliotheek Fout", "--base-url", bad)
    assert list(Site.objects.values_list("hostname", "port")) == before
    assert not LibraryPage.objects.filter(title="Bibliotheek Fout").exists()


def test_the_editor_sees_who_asked_for_changes_and_why(roles_world: RolesWorld):
    project = roles_world.submitted_a
    approver = roles_world.user("approver_a")
    approver.first_name, approver.last_name = "Gert", "Goedkeurder"
    approver.save()
    task_state = project.current_workflow_state.current_task_state
    task_state.task.specific.on_action(
        task_state, approver, "reject", comment="Maak het doel meetbaar."
    )
    editor = Client()
    editor.force_login(roles_world.user("editor_a"))
    html = editor.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    messages_area = html.split('class="messages"', 1)[1].split("</ul>", 1)[0]
    assert "Gert Goedkeurder vroeg op" in messages_area
    assert "Maak het doel meetbaar." in messages_area
    assert "Opnieuw ter goedkeuring indienen" in html


def test_the_approver_finds_approve_as_the_main_button(roles_world: RolesWorld):
    approver = Client()
    approver.force_login(roles_world.user("approver_a"))
    html = approver.get(
        f"/admin/pages/{roles_world.submitted_a.pk}/edit/"
    ).content.decode()
    footer = html.split('<footer class="footer', 1)[1]
    main_button = re.search(
        r'<div class="w-dropdown-button">\s*<button([^>]*)>', footer
    )
    assert main_button and 'data-workflow-action-name="approve"' in main_button.group(1)


def test_an_imported_project_says_where_it_came_from(roles_world: RolesWorld):
    project = roles_world.draft_a
    ProjectPage.objects.filter(pk=project.pk).update(
        source_title="Voorlezen aan peuters",
        source_library_name="Bibliotheek Bemdal",
        source_year=2025,
    )
    project.refresh_from_db()
    project.save_revision(user=roles_world.user("editor_a"))
    editor = Client()
    editor.force_login(roles_world.user("editor_a"))
    html = editor.get(f"/admin/pages/{project.pk}/edit/").content.decode()
    messages_area = html.split('class="messages"', 1)[1].split("</ul>", 1)[0]
    assert (
        "Overgenomen van Bibliotheek Bemdal – Voorlezen aan peuters (2025)."
        in messages_area
    )


def test_copying_a_plan_points_at_what_to_review(admin_client, annual_plan):
    annual_plan.introduction = "<p>Onze ambitie voor 2026: iedereen leest.</p>"
    annual_plan.save_revision().publish()
    reached = ProjectPageFactory(parent=annual_plan, title="Voorleesuur")
    ProjectIndicatorFactory(
        page=reached, name="deelnemers", target=Decimal("40"), result=Decimal("40")
    )
    ProjectIndicatorFactory(
        page=reached, name="sessies", target=Decimal("12"), result=Decimal("7")
    )
    reached.save_revision().publish()

    response = admin_client.post(
        f"/admin/bm-pages/copy-to-next-year/{annual_plan.pk}/", follow=True
    )
    told = [str(message) for message in response.context["messages"]]
    assert any("De inleiding noemt nog 2026" in m for m in told), told
    assert any(
        "“deelnemers” van “Voorleesuur” begint bij de streefwaarde (40)" in m
        for m in told
    ), told
    assert not any("sessies" in m for m in told)


def test_the_guide_shows_small_screenshots_of_the_main_flows(
    roles_world: RolesWorld,
):
    client = Client()
    client.force_login(roles_world.user("editor_a"))
    text = (
        client.get("/admin/handleiding/").content.decode().split('data-bm="guide"')[1]
    )
    shots = re.findall(r'<img src="([^"]+/bm_pages/guide/([\w-]+)\.png)"', text)
    assert [name for _src, name in shots] == [
        "dashboard",
        "jaarplan-knoppen",
        "kopieren",
        "beoordelen",
    ]
    folder = Path(bm_pages.__file__).parent / "static" / "bm_pages" / "guide"
    for _src, name in shots:
        png = (folder / f"{name}.png").read_bytes()
        assert png.startswith(b"\x89PNG") and len(png) < 150_000, name
    assert re.search(r'alt="Schermafbeelding: [^"]+"', text)


@pytest.mark.parametrize(
    "wagtail_text, ours",
    [
        (
            "Your pages and snippets in a workflow",
            "Uw pagina's en snippets in een workflow",
        ),
        ("Your locked pages", "Uw vergrendelde pagina's"),
        ("Awaiting your review", "Wacht op uw beoordeling"),
    ],
)
def test_the_dashboards_panels_address_people_with_u(wagtail_text, ours):
    """Wagtail's Dutch says "jouw"; bm_pages' catalogue comes first and says "uw"."""
    from django.utils import translation

    with translation.override("nl"):
        assert translation.gettext(wagtail_text) == ours
