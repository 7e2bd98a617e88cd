"""The admin as a librarian meets it (issue 14): no stray drafts, Biblio Monitor's
branding in Dutch, help in Dutch, auditors sent to their portal."""

import pytest

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
