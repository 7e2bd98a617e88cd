"""Items 2 and 3 of the hardening issue: evidence cannot carry another library's document.

The attack: an approver of A gives a PDCA log entry of A's project a partners-only
document of B (A is not B's partner) as evidence and publishes; an editor of C, a
partner of A only, imports the project with "copy documents" and gets B's document
as C's own, and C's partner view shows its title. And any editor could read any
document's title by saving a draft with its id as evidence.

Closed by one rule: evidence is a document of the project's own library (model,
form, chooser), and what a library shares is its *own* documents
(``bm_pages.documents_access``), which the import, the partner views and the
partner API ask. All through the real admin and the DRF API with a token.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from rest_framework.authtoken.models import Token

from bm_pages.models import LibraryDocument, PhaseLogEntry, ProjectPage
from tests.api.conftest import token_client
from tests.bm_pages.partner_helpers import PartnerWorld, build_project
from tests.bm_pages.roles_helpers import edit_form_data

pytestmark = pytest.mark.django_db

B_PARTNERS = "Werkplan leesconsulenten"  # B's partners-only document
B_OWN = "Interne evaluatie Beekstad"  # B's own-library document
A_PARTNERS = "Leesplan Aadorp"  # A's partners-only document


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    return partner_world


@pytest.fixture
def project_a(w) -> ProjectPage:
    """A live project of A whose PDCA log has no evidence yet."""
    return build_project(w.plan_a, "Taalhuis Aadorp")


def client_for(w: PartnerWorld, name: str) -> Client:
    client = Client()
    client.force_login(w.u(name))
    return client


def evidence_ids(project: ProjectPage) -> list[int | None]:
    return list(
        PhaseLogEntry.objects.filter(page_id=project.pk)
        .order_by("sort_order")
        .values_list("evidence_id", flat=True)
    )


def with_evidence(project: ProjectPage, document) -> ProjectPage:
    """The project's latest draft with ``document`` as the first entry's evidence."""
    draft = project.get_latest_revision_as_object()
    entries = list(draft.phase_log.all())
    entries[0].evidence = document
    draft.phase_log = entries
    return draft


def post_evidence(w, project, who: str, document, *, publish: bool):
    data = edit_form_data(client_for(w, who), project)
    assert "phase_log-0-evidence" in data, sorted(data)
    data["phase_log-0-evidence"] = [str(document.pk)]
    if publish:
        data["action-publish"] = ["action-publish"]
    return client_for(w, who).post(f"/admin/pages/{project.pk}/edit/", data)


def test_an_approver_cannot_publish_another_librarys_document_as_evidence(w, project_a):
    revisions = project_a.revisions.count()
    response = post_evidence(
        w, project_a, "approver_a", w.docs["b_partners_unused"], publish=True
    )
    assert response.status_code == 200  # the form again, with the error
    row = response.context["form"].formsets["phase_log"].forms[0]
    assert "evidence" in row.errors
    assert B_PARTNERS not in response.content.decode()
    project = ProjectPage.objects.get(pk=project_a.pk)
    assert evidence_ids(project) == [None, None, None]
    assert project.revisions.count() == revisions
    assert w.docs["b_partners_unused"].pk not in {
        entry.evidence_id
        for entry in project.get_latest_revision_as_object().phase_log.all()
    }


def test_the_own_librarys_document_is_accepted_as_evidence(w, project_a):
    response = post_evidence(
        w, project_a, "approver_a", w.docs["a_partners"], publish=True
    )
    assert response.status_code == 302
    assert evidence_ids(ProjectPage.objects.get(pk=project_a.pk))[0] == (
        w.docs["a_partners"].pk
    )


def test_a_draft_cannot_reveal_the_title_of_another_librarys_document(w, project_a):
    revisions = project_a.revisions.count()
    response = post_evidence(w, project_a, "editor_a", w.docs["b_own"], publish=False)
    assert response.status_code == 200
    assert B_OWN not in response.content.decode()
    assert project_a.revisions.count() == revisions
    # A draft that already points at it (saved before this rule) shows no title.
    draft = with_evidence(project_a, w.docs["b_own"])
    draft.save_revision(clean=False)
    stored = project_a.get_latest_revision_as_object().phase_log.all()
    assert w.docs["b_own"].pk in {entry.evidence_id for entry in stored}
    html = client_for(w, "editor_a").get(f"/admin/pages/{project_a.pk}/edit/")
    assert html.status_code == 200
    assert B_OWN not in html.content.decode()


def test_the_model_refuses_another_librarys_evidence(w, project_a):
    draft = with_evidence(project_a, w.docs["b_partners_unused"])
    with pytest.raises(ValidationError):
        draft.save_revision()
    assert evidence_ids(project_a) == [None, None, None]


@pytest.fixture
def smuggled(w, project_a) -> ProjectPage:
    """A's live project carrying B's partners-only document as evidence (as the hole
    let it be published before this fix), besides A's own partners document; C is
    a partner of A only."""
    entries = PhaseLogEntry.objects.filter(page_id=project_a.pk)
    entries.filter(sort_order=0).update(evidence=w.docs["b_partners_unused"])
    entries.filter(sort_order=1).update(evidence=w.docs["a_partners"])
    w.make_partners("c", "a")
    return ProjectPage.objects.get(pk=project_a.pk)


def test_the_import_copies_only_the_source_librarys_own_documents(w, smuggled):
    before = set(LibraryDocument.objects.values_list("pk", flat=True))
    client = client_for(w, "editor_c")
    url = f"/admin/matching/import/{smuggled.pk}/"
    form = client.get(url).content.decode()
    assert A_PARTNERS in form and B_PARTNERS not in form
    response = client.post(
        url, {"target_plan": w.plan_c.pk, "copy_documents": "on"}, follow=True
    )
    assert response.status_code == 200
    assert ProjectPage.objects.filter(source_page=smuggled, plan=w.plan_c).exists()
    new = LibraryDocument.objects.exclude(pk__in=before)
    assert list(new.values_list("title", "library_id")) == [(A_PARTNERS, w.c.pk)]
    assert not LibraryDocument.objects.filter(library=w.c, title=B_PARTNERS).exists()


def test_the_partner_view_shows_no_title_of_a_third_librarys_document(w, smuggled):
    client = client_for(w, "editor_c")
    html = client.get(
        f"/admin/network/partners/{w.a.pk}/projects/{smuggled.pk}/"
    ).content.decode()
    assert A_PARTNERS in html
    assert B_PARTNERS not in html
    partner = client.get(f"/admin/network/partners/{w.a.pk}/").content.decode()
    assert A_PARTNERS in partner and B_PARTNERS not in partner


def test_the_partner_api_lists_only_the_partners_own_documents(w, smuggled):
    client = token_client(Token.objects.create(user=w.u("editor_c")))
    response = client.get(f"/api/partners/{w.a.pk}/projects/")
    assert response.status_code == 200, response.content
    rows = {row["id"]: row for row in response.json()["results"]}
    titles = [doc["title"] for doc in rows[smuggled.pk]["shared_documents"]]
    assert titles == [A_PARTNERS]


def test_evidence_saved_before_the_rule_is_dropped_by_the_migration(w, smuggled):
    from django.apps import apps

    migration = importlib.import_module(
        "bm_pages.migrations.0008_drop_foreign_evidence"
    )
    draft = with_evidence(smuggled, w.docs["b_own"])
    draft.save_revision(clean=False)
    migration.drop_foreign_evidence(apps, None)
    # B's documents are gone from the log and the draft; A's own evidence stays.
    assert evidence_ids(smuggled) == [None, w.docs["a_partners"].pk, None]
    latest = ProjectPage.objects.get(pk=smuggled.pk).get_latest_revision_as_object()
    assert [entry.evidence_id for entry in latest.phase_log.all()] == [
        None,
        w.docs["a_partners"].pk,
        None,
    ]
    # ...so the draft can be published again.
    latest.save_revision().publish()
