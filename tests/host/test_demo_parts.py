"""The host's demo content (``cms.demo``) beyond ``load_demo_data``: documents filed
like an editor would, partnerships and an import made once."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone
from pypdf import PdfReader

from bm_pages.models import LibraryDocument, Partnership, ProjectPage
from bm_pages.partnerships import are_partners
from bm_pages.roles import LibraryRole
from cms.demo.documents import ensure_demo_documents
from cms.demo.partnerships import ensure_demo_partnerships
from tests.bm_pages.partner_helpers import add_plan, build_project
from tests.builders import set_up_library, staff

pytestmark = pytest.mark.django_db


def test_demo_documents_are_filed_and_idempotent(home_page):
    library = set_up_library("Bibliotheek Beekstad")
    created = ensure_demo_documents(library)
    assert created >= 5
    assert ensure_demo_documents(library) == 0
    documents = LibraryDocument.objects.filter(
        library=library,
        title__in=["Zelfevaluatie 2025", "Jaarverslag 2025", "Auditrapport CBCT 2022"],
    )
    assert documents.count() == 3
    demo = LibraryDocument.objects.filter(library=library)
    assert demo.count() == created
    assert {d.collection_id for d in demo} == {library.collection_id}
    assert {d.visibility for d in demo} == {"own", "partners", "public"}
    assert any(d.review_date < timezone.localdate() for d in demo)
    for document in demo:
        assert document.work_field is not None and document.norms.exists()
        with document.file.open("rb") as handle:
            data = handle.read()
        if document.filename.endswith(".pdf"):
            text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
            assert document.title in text
        else:
            assert data.decode("utf-8").startswith(document.title)


def test_demo_partnerships_and_import_are_made_once(home_page):
    libraries = {}
    for short, title in (
        ("waddenkust", "Bibliotheek Waddenkust"),
        ("maas-en-waal", "Bibliotheek Maas en Waal"),
        ("bommelerwaard", "Bibliotheek Bommelerwaard"),
    ):
        libraries[short] = set_up_library(title)
        staff(libraries[short], f"redacteur-{short}")
        staff(libraries[short], f"goedkeurder-{short}", LibraryRole.APPROVER)
    add_plan(libraries["waddenkust"], 2026)
    build_project(add_plan(libraries["maas-en-waal"], 2026), "Taalhuis in de dorpen")

    assert ensure_demo_partnerships() == 3  # two pairs present, plus the import
    assert are_partners(libraries["waddenkust"], libraries["maas-en-waal"])
    pending = Partnership.objects.get(status="requested")
    assert pending.requested_by_library == libraries["bommelerwaard"]
    imported = ProjectPage.objects.get(source_page__isnull=False)
    assert imported.live and imported.source_library_name == "Bibliotheek Maas en Waal"

    assert ensure_demo_partnerships() == 0, "loading twice changes nothing"
    assert Partnership.objects.count() == 2
    assert ProjectPage.objects.filter(source_page__isnull=False).count() == 1
