"""Every role x action on library A's pages, through the real Wagtail admin over HTTP.

Each cell logs in as the role, does the action with the Django test client exactly as
the admin's own forms would (form data read from the rendered edit page), and then
classifies what happened from the response *and* the database:

- ``allowed``: the admin accepted it and the database shows the effect;
- ``denied``: Wagtail refused (its "no permission" redirect to the dashboard, a 403,
  a redirect to the user's own library, or a form that would not accept A's
  collection) and the database is unchanged;
- ``login``: sent to the login page (anonymous users; auditors, who have no admin
  access at all) and the database is unchanged;
- ``shown`` / ``hidden``: for look-ups, whether A's draft appears.

Any other combination (say, a refusal that still changed the database) is reported
as ``inconsistent: ...`` and fails the cell.

Delete policy (documented choice): nobody gets Wagtail's ``bulk_delete``. Editors may
delete only pages that were never published (Wagtail's rule for users without
publish permission); approvers, who may publish, may also delete a live project.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.test import Client
from django.urls import reverse

from bm_pages.models import (
    LibraryDocument,
    LibraryPage,
    NetworkMembershipRequest,
    ProjectPage,
    RegionalNetwork,
)
from tests.bm_pages.certification_helpers import make_document
from tests.bm_pages.roles_helpers import ROLE_NAMES, RolesWorld, edit_form_data

pytestmark = pytest.mark.django_db

ACTIONS = (
    "view_plan",
    "edit_plan",
    "publish_draft",
    "approve_task",
    "upload_document",
    "find_draft_in_search",
    "find_draft_in_chooser",
    "preview_draft",
    "delete_draft",
    "delete_live_project",
    # Sharing: what another library sees (hardening issue items 1 to 3).
    "set_network",
    "request_network",
    "set_own_evidence",
    "set_foreign_evidence",
    "download_foreign_document",
)

A, D, L, S, H = "allowed", "denied", "login", "shown", "hidden"
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    #                      view edit publish approve upload search chooser preview del-draft del-live | network request own-ev foreign-ev download-B
    "anonymous": dict(zip(ACTIONS, (L, L, L, L, L, L, L, L, L, L, L, L, L, L, L), strict=True)),
    "editor_a": dict(zip(ACTIONS, (A, A, D, D, A, S, S, A, A, D, D, D, A, D, D), strict=True)),
    "approver_a": dict(zip(ACTIONS, (A, A, A, A, A, S, S, A, A, A, D, A, A, D, D), strict=True)),
    "auditor_a": dict(zip(ACTIONS, (L, L, L, L, L, L, L, L, L, L, L, L, L, L, D), strict=True)),
    "editor_b": dict(zip(ACTIONS, (D, D, D, D, D, H, H, D, D, D, D, D, D, D, A), strict=True)),
    "superuser": dict(zip(ACTIONS, (A, A, A, A, A, S, S, A, A, A, A, A, A, D, A), strict=True)),
}
# fmt: on


def _location(response) -> str:
    return urlparse(response.get("Location", "")).path


def refused(response, world: RolesWorld, role: str) -> str | None:
    """``login``/``denied`` for the admin's ways of saying no, else ``None``."""
    if response.status_code == 403:
        return D
    if response.status_code == 302:
        where = _location(response)
        if where == reverse("wagtailadmin_login"):
            return L
        if where == reverse("wagtailadmin_home"):
            return D
        # The explorer sends users to their own library instead.
        own = world.library_b if role == "editor_b" else None
        if own is not None and where == reverse("wagtailadmin_explore", args=[own.pk]):
            return D
    return None


def unchanged_or(outcome: str, changed: bool, detail: str) -> str:
    return outcome if not changed else f"inconsistent: {outcome} but {detail}"


# Actions: each returns the observed outcome ------------------------------------------


def view_plan(client, world, role, editor_client):
    response = client.get(reverse("wagtailadmin_explore", args=[world.plan_a.pk]))
    if no := refused(response, world, role):
        return no
    if response.status_code == 200 and world.draft_a.title in response.content.decode():
        return A
    return f"inconsistent: {response.status_code}"


def edit_plan(client, world, role, editor_client):
    data = edit_form_data(
        editor_client, world.plan_a, title="Jaarplan Aland 2026 (herzien)"
    )
    revisions = world.plan_a.revisions.count()
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.plan_a.pk]), data
    )
    plan = world.plan_a.__class__.objects.get(pk=world.plan_a.pk)
    saved = (
        plan.revisions.count() == revisions + 1
        and plan.get_latest_revision_as_object().title
        == "Jaarplan Aland 2026 (herzien)"
    )
    if no := refused(response, world, role):
        return unchanged_or(no, saved, "a revision was saved")
    if response.status_code == 302 and saved and plan.title == "Jaarplan Aland 2026":
        # Saved as a draft: the live plan keeps its title until it is published.
        return A
    return f"inconsistent: {response.status_code}, saved={saved}"


def publish_draft(client, world, role, editor_client):
    data = edit_form_data(editor_client, world.draft_a)
    data["action-publish"] = ["action-publish"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.draft_a.pk]), data
    )
    live = ProjectPage.objects.get(pk=world.draft_a.pk).live
    if no := refused(response, world, role):
        return unchanged_or(no, live, "the page went live")
    if response.status_code == 302:
        # Without publish permission Wagtail saves a draft instead of publishing.
        return A if live else D
    return f"inconsistent: {response.status_code}"


def approve_task(client, world, role, editor_client):
    page = world.submitted_a
    task_state = page.current_workflow_state.current_task_state
    response = client.post(
        reverse(
            "wagtailadmin_pages:workflow_action",
            args=[page.pk, "approve", task_state.pk],
        ),
        {"comment": ""},
    )
    task_state.refresh_from_db()
    approved = task_state.status == task_state.STATUS_APPROVED
    live = ProjectPage.objects.get(pk=page.pk).live
    if no := refused(response, world, role):
        return unchanged_or(no, approved or live, "the task was approved")
    if response.status_code in (200, 302) and approved and live:
        return A
    return f"inconsistent: {response.status_code}, approved={approved}"


def upload_document(client, world, role, editor_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "Zelfevaluatie Aland",
            "file": SimpleUploadedFile("zelfevaluatie.pdf", b"%PDF-1.4 zelfevaluatie"),
            "collection": world.library_a.collection_id,
            "visibility": LibraryDocument.Visibility.OWN,
        },
    )
    created = LibraryDocument.objects.filter(
        title="Zelfevaluatie Aland", collection_id=world.library_a.collection_id
    ).exists()
    if no := refused(response, world, role):
        return unchanged_or(no, created, "the document was stored")
    if response.status_code == 302 and created:
        return A
    if response.status_code == 302 and not created:
        # Users with one collection get no collection field: Wagtail files the
        # upload in their own collection, whatever collection was posted.
        stored = LibraryDocument.objects.get(title="Zelfevaluatie Aland")
        return D if stored.collection_id != world.library_a.collection_id else "?"
    if response.status_code == 200 and not created:
        form = response.context["form"]
        if "collection" in form.errors:
            return D  # A's collection is not among the user's choices
    return f"inconsistent: {response.status_code}, created={created}"


def _shown_or_hidden(response, world, role) -> str:
    if no := refused(response, world, role):
        return no
    if response.status_code != 200:
        return f"inconsistent: {response.status_code}"
    return S if world.draft_a.title in response.content.decode() else H


def find_draft_in_search(client, world, role, editor_client):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "Zeldzaam"})
    return _shown_or_hidden(response, world, role)


def find_draft_in_chooser(client, world, role, editor_client):
    # Both ways of choosing: searching, and browsing the plan's children.
    search = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "Zeldzaam"})
    browse = client.get(
        reverse("wagtailadmin_choose_page_child", args=[world.plan_a.pk])
    )
    outcomes = {
        _shown_or_hidden(search, world, role),
        _shown_or_hidden(browse, world, role),
    }
    return outcomes.pop() if len(outcomes) == 1 else f"inconsistent: {sorted(outcomes)}"


def preview_draft(client, world, role, editor_client):
    response = client.get(
        reverse("wagtailadmin_pages:view_draft", args=[world.draft_a.pk])
    )
    if no := refused(response, world, role):
        return no
    if (
        response.status_code == 200
        and world.draft_a.summary in response.content.decode()
    ):
        return A
    return f"inconsistent: {response.status_code}"


def _delete(client, world, role, page):
    response = client.post(reverse("wagtailadmin_pages:delete", args=[page.pk]))
    gone = not ProjectPage.objects.filter(pk=page.pk).exists()
    if no := refused(response, world, role):
        return unchanged_or(no, gone, "the page was deleted")
    if response.status_code == 302 and gone:
        return A
    return f"inconsistent: {response.status_code}, gone={gone}"


def delete_draft(client, world, role, editor_client):
    return _delete(client, world, role, world.draft_a)


def delete_live_project(client, world, role, editor_client):
    return _delete(client, world, role, world.live_project_a)


# Sharing ------------------------------------------------------------------------------
# A library's network decides its partners, so only a superuser sets it (or a request
# a member library accepts); evidence is a document of the project's own library; a
# document of library B stays B's ("own": B's people only, whatever A's staff try).


def _network() -> RegionalNetwork:
    return RegionalNetwork.objects.get_or_create(
        slug="matrix", defaults={"name": "Netwerk Matrix"}
    )[0]


def set_network(client, world, role, editor_client):
    network = _network()
    data = edit_form_data(editor_client, world.library_a, network=str(network.pk))
    data["action-publish"] = ["action-publish"]
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[world.library_a.pk]), data
    )
    changed = LibraryPage.objects.get(pk=world.library_a.pk).network_id == network.pk
    if no := refused(response, world, role):
        return unchanged_or(no, changed, "the network changed")
    if response.status_code == 302:
        # The form is accepted; without the set-up permission the field is not in it.
        return A if changed else D
    return f"inconsistent: {response.status_code}, changed={changed}"


def request_network(client, world, role, editor_client):
    response = client.post(
        reverse("bm_network_membership:request"),
        {"library": world.library_a.pk, "network": _network().pk},
    )
    filed = NetworkMembershipRequest.objects.filter(library=world.library_a).exists()
    if no := refused(response, world, role):
        return unchanged_or(no, filed, "a request was filed")
    if response.status_code == 302 and filed:
        return A
    return f"inconsistent: {response.status_code}, filed={filed}"


def _set_evidence(client, world, role, editor_client, document):
    """Add a PDCA log entry with ``document`` as evidence to A's draft."""
    page = world.draft_a
    data = edit_form_data(editor_client, page)
    data.update(
        {
            "phase_log-TOTAL_FORMS": ["1"],
            "phase_log-0-id": [""],
            "phase_log-0-ORDER": ["1"],
            "phase_log-0-phase": ["plan"],
            "phase_log-0-date": ["2026-03-01"],
            "phase_log-0-note": ["Plan vastgesteld."],
            "phase_log-0-evidence": [str(document.pk)],
        }
    )
    revisions = page.revisions.count()
    response = client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
    latest = ProjectPage.objects.get(pk=page.pk).get_latest_revision_as_object()
    saved = page.revisions.count() == revisions + 1 and [
        entry.evidence_id for entry in latest.phase_log.all()
    ] == [document.pk]
    if no := refused(response, world, role):
        return unchanged_or(no, saved, "the evidence was saved")
    if response.status_code == 302 and saved:
        return A
    if response.status_code == 200 and not saved:
        shown = document.title in response.content.decode()
        return D if not shown else "inconsistent: refused but showed the title"
    return f"inconsistent: {response.status_code}, saved={saved}"


def set_own_evidence(client, world, role, editor_client):
    document = make_document(world.library_a, "Verslag Aland")
    return _set_evidence(client, world, role, editor_client, document)


def set_foreign_evidence(client, world, role, editor_client):
    document = make_document(
        world.library_b,
        "Draaiboek Bemdal",
        visibility=LibraryDocument.Visibility.PARTNERS,
    )
    return _set_evidence(client, world, role, editor_client, document)


def download_foreign_document(client, world, role, editor_client):
    document = make_document(world.library_b, "Begroting Bemdal")
    response = client.get(document.url)
    if response.status_code == 302 and _location(response) == reverse(
        "wagtailcore_login"
    ):
        return L  # document serving sends anonymous users to the site's login
    if no := refused(response, world, role):
        return no
    if response.status_code == 200:
        return A
    return f"inconsistent: {response.status_code}"


CELLS = [(role, action) for role in ROLE_NAMES for action in ACTIONS]


@pytest.mark.parametrize(("role", "action"), CELLS, ids=[f"{r}-{a}" for r, a in CELLS])
def test_permission_matrix(roles_world: RolesWorld, role: str, action: str):
    # A's editor reads the edit forms, as a browser would before posting them.
    editor_client = Client()
    editor_client.force_login(roles_world.users["superuser"])
    client = Client()
    if roles_world.users[role] is not None:
        client.force_login(roles_world.users[role])
    observed = globals()[action](client, roles_world, role, editor_client)
    assert observed == EXPECTED[role][action]


def test_matrix_covers_every_role_and_action():
    assert set(EXPECTED) == set(ROLE_NAMES)
    assert all(set(row) == set(ACTIONS) for row in EXPECTED.values())
