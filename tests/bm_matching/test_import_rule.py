"""The import rule, decided once (``bm_pages.permissions.may_import_from``): a library
may import another library's live project when it may see it. The matrix runs every
importer against every owner through the rule, the import form and the import action,
and they must agree."""

from __future__ import annotations

import pytest
from django.test import Client

from bm_matching.actions import (
    ImportPartnerProjectAction,
    ImportPartnerProjectError,
    ImportPartnerProjectPermissionError,
)
from bm_pages.models import LibraryPage
from bm_pages.permissions import may_import_from
from tests.bm_matching.helpers import add_plan, publish_project

pytestmark = pytest.mark.django_db

# importer -> owner -> may import. B shares with partners only, the others with all;
# N1 and N2 share a network; A and B become partners below.
EXPECTED = {
    ("a", "b"): True,  # partners
    ("c", "b"): False,  # B shares with partners only
    ("n1", "b"): False,
    ("a", "c"): True,  # C shares with every library
    ("b", "c"): True,
    ("n1", "n2"): True,
    ("c", "n2"): True,
    ("a", "a"): False,  # one's own: copy to next year instead
}


@pytest.mark.parametrize(("importer", "owner"), sorted(EXPECTED))
def test_rule_form_and_action_agree(partner_world, importer: str, owner: str) -> None:
    w = partner_world
    w.make_partners("a", "b")
    importer_library: LibraryPage = getattr(w, importer)
    owner_library: LibraryPage = getattr(w, owner)
    expected = EXPECTED[(importer, owner)]
    assert may_import_from(importer_library, owner_library) is expected

    plan = add_plan(importer_library, 2031)
    source = publish_project(add_plan(owner_library, 2030), "Boekenruilkast")
    editor = w.u(f"editor_{importer}")
    action = ImportPartnerProjectAction(source, plan, editor)
    if expected:
        action.check()
    else:
        with pytest.raises(
            (ImportPartnerProjectPermissionError, ImportPartnerProjectError)
        ):
            action.check()

    browser = Client()
    browser.force_login(editor)
    form = browser.get(f"/admin/matching/import/{source.pk}/")
    assert (form.status_code == 200) is expected, form.status_code
