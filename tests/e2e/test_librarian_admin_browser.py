"""A librarian's admin in a real browser: what an editor, an approver, an auditor and a
superuser meet when they sign in and work (issue 14).

Screenshots of every step land in ``test-artifacts/screenshots/``.
"""

import re

import pytest

from bm_pages.models import ProjectPage
from tests.bm_pages.roles_helpers import PASSWORD, make_staff, set_up_library
from tests.factories import AnnualPlanPageFactory, FocusAreaFactory

# serialized_rollback: other browser tests flush the database; this brings back the
# home page, site and taxonomy that the migrations created.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def library_world(db):
    library = set_up_library("Bibliotheek Heuvelland")
    staff = make_staff(library, "heuvelland")
    plan = AnnualPlanPageFactory(parent=library, year=2026, title="Jaarplan 2026")
    FocusAreaFactory(page=plan, title="Lezen en literatuur", sort_order=0)
    plan.save_revision(user=staff["editor"]).publish(user=staff["approver"])
    return library, plan, staff


def test_typing_a_new_projects_title_and_leaving_creates_no_page(
    page, screenshot, admin_login, live_server, library_world
):
    library, plan, staff = library_world
    admin_login(page, staff["editor"].username, PASSWORD)

    page.goto(f"{live_server.url}/admin/pages/add/bm_pages/projectpage/{plan.pk}/")
    page.wait_for_load_state("networkidle")
    # Type the way people explore the similar-projects panel: a title, changed twice.
    page.locator("#id_title").press_sequentially("Voorleesontbijt", delay=30)
    page.wait_for_timeout(1500)
    page.locator("#id_title").press_sequentially(" voor peuters", delay=30)
    page.wait_for_timeout(2500)
    screenshot(page, "editor-typed-title")
    # Still the "add" form: nothing was saved behind the person's back.
    assert "/admin/pages/add/" in page.url
    assert "Opgeslagen" not in page.locator("header").inner_text()

    # Leave: the unsaved-changes warning asks; the person confirms leaving.
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}/admin/")
    page.wait_for_url(re.compile(r".*/admin/$"))

    assert not ProjectPage.objects.filter(title__startswith="Voorleesontbijt").exists()
    assert ProjectPage.objects.child_of(plan).count() == 0
