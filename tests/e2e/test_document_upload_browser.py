"""Adding a document in a real browser: picking "jaarverslag_2025-def.pdf" fills in
the readable title "Jaarverslag 2025 def" (Wagtail's ``wagtail:documents-upload``
hook), the library is the editor's own, norms are checkboxes, and the saved document
keeps the title (issue 14, item 9)."""

import pytest

from bm_pages.models import LibraryDocument
from tests.bm_pages.roles_helpers import PASSWORD, make_staff, set_up_library

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_picking_a_file_suggests_a_readable_title(
    page, screenshot, admin_login, live_server, tmp_path
):
    library = set_up_library("Bibliotheek Duinrand")
    staff = make_staff(library, "duinrand")
    pdf = tmp_path / "jaarverslag_2025-def.pdf"
    pdf.write_bytes(b"%PDF-1.4 jaarverslag\n")

    admin_login(page, staff["editor"].username, PASSWORD)
    page.goto(f"{live_server.url}/admin/documents/add/")
    page.wait_for_load_state("networkidle")
    page.set_input_files("input[type=file][name=file]", str(pdf))
    title = page.locator("input[name=title]")
    page.wait_for_function(
        "document.querySelector('input[name=title]').value !== ''", timeout=5000
    )
    assert title.input_value() == "Jaarverslag 2025 def"
    library_select = page.locator("select[name=library]")
    assert library_select.locator("option").all_inner_texts() == [
        "Bibliotheek Duinrand"
    ]
    page.locator("input[type=checkbox][name=norms]").first.check()
    screenshot(page, "document-add-readable-title")
    page.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    document = LibraryDocument.objects.get(library=library)
    assert document.title == "Jaarverslag 2025 def"
    assert document.norms.count() == 1
