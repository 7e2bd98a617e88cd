"""Who may download, list and find which library document, over real HTTP.

The rule (``bm_pages.documents_access``): public documents for anyone; "partners"
documents for the owning library's people and the editors/approvers of partner
libraries (today: members of the same linking regional network, plus whatever the
``bm_pages_library_partners`` hook adds); "own" documents only for the owning
library's editors, approvers and unexpired auditors, and superusers.
"""

from __future__ import annotations

import datetime
import json
from urllib.parse import urlparse

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from wagtail import hooks
from wagtail.models import Collection

from bm_pages.documents_access import (
    PARTNER_HOOK,
    libraries_sharing_with,
    user_can_view_document,
    viewable_documents,
)
from bm_pages.models import (
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    RegionalNetwork,
    WorkField,
)
from bm_pages.roles import LibraryRole, grant_role
from tests.bm_pages.certification_helpers import CertWorld, build_world, login, today
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db

USERS = (
    "anonymous",
    "editor_a",
    "approver_a",
    "auditor_a",
    "editor_b",
    "auditor_b",
    "editor_c",
    "auditor_c",
    "superuser",
)
# Who may download A's documents; editor_c works for A's network partner.
EXPECTED = {
    "a_own": {"editor_a", "approver_a", "auditor_a", "superuser"},
    "a_partners": {"editor_a", "approver_a", "auditor_a", "superuser", "editor_c"},
    "a_public": set(USERS),
}


world_module, world = world_per_module(build_world)


def download(world: CertWorld, user_name: str, document: LibraryDocument):
    client = Client()
    login(client, world.user(user_name))
    return client.get(document.url)


def _body(response) -> bytes:
    return (
        b"".join(response.streaming_content) if response.streaming else response.content
    )


@pytest.mark.parametrize("doc_key", sorted(EXPECTED))
@pytest.mark.parametrize("user_name", USERS)
def test_download_follows_visibility(world, user_name, doc_key):
    document = world.docs[doc_key]
    response = download(world, user_name, document)
    allowed = user_name in EXPECTED[doc_key]
    if allowed:
        assert response.status_code == 200, response
        assert _body(response) == document.file.open("rb").read()
    elif user_name == "anonymous":
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == "/_util/login/"
    else:
        assert response.status_code == 403
        assert b"%PDF" not in _body(response)
    # The function, the queryset and the HTTP answer agree.
    user = world.user(user_name)
    assert user_can_view_document(user, document) is allowed
    assert viewable_documents(user).filter(pk=document.pk).exists() is allowed


@pytest.mark.parametrize(
    "user_name", ["auditor_a", "editor_a", "editor_c", "anonymous"]
)
def test_nothing_of_b_but_its_public_documents(world, user_name):
    assert download(world, user_name, world.docs["b_own"]).status_code in (302, 403)
    assert download(world, user_name, world.docs["b_public"]).status_code == 200


def test_wrong_filename_is_not_found(world):
    document = world.docs["a_own"]
    client = Client()
    login(client, world.user("editor_a"))
    response = client.get(f"/documents/{document.pk}/other-name.pdf")
    assert response.status_code == 404


def test_media_files_are_not_served_directly(world):
    # Only /documents/<id>/<filename> serves files, through the permission check.
    document = world.docs["a_own"]
    client = Client()
    login(client, world.user("superuser"))
    assert client.get(f"/media/{document.file.name}").status_code == 404


def test_expired_auditor_is_refused_at_once(world):
    # Still in the group (no clean-up has run), but the membership ended today.
    auditor = world.user("auditor_a")
    auditor.library_memberships.filter(role=LibraryRole.AUDITOR).update(
        expires_on=today()
    )
    assert auditor.groups.filter(library_role__library=world.library_a).exists()
    assert download(world, "auditor_a", world.docs["a_own"]).status_code == 403
    assert download(world, "auditor_a", world.docs["a_public"]).status_code == 200


def test_network_that_does_not_link_members_shares_nothing(world):
    # Fresh objects: the world's instances are shared by the module's tests.
    library_a = LibraryPage.objects.get(pk=world.library_a.pk)
    RegionalNetwork.objects.filter(pk=library_a.network_id).update(
        link_members_by_default=False
    )
    assert not libraries_sharing_with(library_a).exists()
    assert download(world, "editor_c", world.docs["a_partners"]).status_code == 403


def test_network_partners_share_both_ways(world):
    assert list(libraries_sharing_with(world.library_a)) == [world.library_c]
    assert download(world, "editor_a", world.docs["c_partners"]).status_code == 200
    assert download(world, "auditor_a", world.docs["c_partners"]).status_code == 403


def test_partnerships_plug_in_through_the_hook(world):
    library_a, library_b = world.library_a, world.library_b

    def partners(library):
        pairs = {library_a.pk: [library_b.pk], library_b.pk: [library_a.pk]}
        return pairs.get(library.pk, [])

    with hooks.register_temporarily(PARTNER_HOOK, partners):
        assert world.library_b in libraries_sharing_with(library_a)
        assert download(world, "editor_b", world.docs["a_partners"]).status_code == 200
        assert download(world, "editor_b", world.docs["a_own"]).status_code == 403
        assert download(world, "auditor_b", world.docs["a_partners"]).status_code == 403
    assert download(world, "editor_b", world.docs["a_partners"]).status_code == 403


# Listings, choosers, search and the admin API ----------------------------------------


def _titles_in(response) -> str:
    assert response.status_code == 200, response
    return response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/admin/documents/?q={q}",
        "/admin/documents/results/?q={q}",
        "/admin/documents/chooser/results/?q={q}",
        "/admin/documents/",
        "/admin/documents/chooser/",
    ],
)
def test_admin_listing_and_chooser_do_not_show_other_libraries(world, url):
    own_a = world.docs["a_own"]
    client = Client()
    login(client, world.user("editor_b"))
    page = _titles_in(client.get(url.format(q="Zelfevaluatie")))
    assert own_a.title not in page
    assert world.docs["b_own"].title in page
    client = Client()
    login(client, world.user("editor_a"))
    page = _titles_in(client.get(url.format(q="Zelfevaluatie")))
    assert own_a.title in page
    assert world.docs["b_own"].title not in page


def test_admin_api_lists_only_viewable_documents(world):
    client = Client()
    login(client, world.user("editor_c"))
    response = client.get("/admin/api/main/documents/")
    assert response.status_code == 200
    titles = {item["title"] for item in json.loads(response.content)["items"]}
    assert world.docs["a_partners"].title in titles
    assert world.docs["a_public"].title in titles
    assert world.docs["a_own"].title not in titles
    assert world.docs["b_own"].title not in titles
    searched = client.get("/admin/api/main/documents/?search=Zelfevaluatie")
    assert searched.status_code == 200
    assert json.loads(searched.content)["items"] == []
    searched = client.get("/admin/api/main/documents/?search=Meerjarenbeleidsplan")
    found = {item["title"] for item in json.loads(searched.content)["items"]}
    assert found == {world.docs["a_partners"].title}


def test_public_site_search_finds_no_documents(world):
    response = Client().get("/zoeken/?q=Zelfevaluatie")
    assert response.status_code == 200
    assert world.docs["a_own"].title not in response.content.decode()


def test_admin_listing_filters_by_work_field_and_policy_topic(world):
    client = Client()
    login(client, world.user("editor_a"))
    field = WorkField.objects.get(code="1")
    page = _titles_in(client.get(f"/admin/documents/?work_field={field.pk}"))
    assert world.docs["a_own"].title in page
    assert world.docs["a_partners"].title in page
    assert world.docs["a_public"].title not in page
    topic = PolicyTopic.objects.get(slug="lezen-en-literatuur")
    page = _titles_in(client.get(f"/admin/documents/?policy_topic={topic.pk}"))
    assert world.docs["a_partners"].title in page
    assert world.docs["a_own"].title not in page
    # Filters and search together.
    page = _titles_in(
        client.get(f"/admin/documents/?work_field={field.pk}&q=Meerjarenbeleidsplan")
    )
    assert world.docs["a_partners"].title in page
    assert world.docs["a_own"].title not in page
    page = _titles_in(client.get("/admin/documents/?review_overdue=true"))
    assert world.docs["a_overdue"].title in page
    assert world.docs["a_own"].title not in page


def test_chooser_filters_by_work_field_and_policy_topic(world):
    client = Client()
    login(client, world.user("editor_a"))
    response = client.get("/admin/documents/chooser/")
    assert response.status_code == 200
    html = json.loads(response.content)["html"]
    assert 'name="work_field"' in html and 'name="policy_topic"' in html
    field = WorkField.objects.get(code="6")
    page = _titles_in(
        client.get(f"/admin/documents/chooser/results/?work_field={field.pk}")
    )
    assert world.docs["a_public"].title in page
    assert world.docs["a_own"].title not in page
    topic = PolicyTopic.objects.get(slug="geletterde-samenleving")
    page = _titles_in(
        client.get(f"/admin/documents/chooser/results/?policy_topic={topic.pk}&q=Zelf")
    )
    assert world.docs["a_own"].title in page
    assert world.docs["a_partners"].title not in page


# Filing: the library's collection ------------------------------------------------------


def _upload(name: str = "notulen.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Notulen MT-overleg\n", content_type="text/plain")


def test_editor_upload_is_filed_in_own_library(world):
    client = Client()
    login(client, world.user("editor_a"))
    response = client.post(
        "/admin/documents/add/",
        {"title": "Notulen MT", "file": _upload(), "visibility": "own"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = LibraryDocument.objects.get(title="Notulen MT")
    assert document.library_id == world.library_a.pk
    assert document.collection_id == world.library_a.collection_id


def test_multiple_upload_files_in_own_library(world):
    client = Client()
    login(client, world.user("editor_a"))
    response = client.post(
        "/admin/documents/multiple/add/",
        {"title": "Bijlage", "files[]": _upload("bijlage.txt")},
    )
    assert response.status_code == 200
    data = json.loads(response.content)
    # Visibility is required, so Wagtail asks for the details before creating it.
    upload_id = data["uploaded_file_id"]
    prefix = f"uploaded-document-{upload_id}"
    response = client.post(
        f"/admin/documents/multiple/create_from_uploaded_document/{upload_id}/",
        {
            f"{prefix}-title": "Bijlage",
            f"{prefix}-visibility": "own",
            # Left out: the editor's one library is preselected.
        },
    )
    assert json.loads(response.content)["success"] is True
    document = LibraryDocument.objects.get(title="Bijlage")
    assert (document.library_id, document.collection_id) == (
        world.library_a.pk,
        world.library_a.collection_id,
    )
    assert download(world, "editor_b", document).status_code == 403


def test_editor_cannot_file_a_document_under_another_library(world):
    client = Client()
    login(client, world.user("editor_a"))
    before = LibraryDocument.objects.count()
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Verkeerd gearchiveerd",
            "file": _upload(),
            "visibility": "own",
            "library": world.library_b.pk,
        },
    )
    assert response.status_code == 200
    assert (
        "U kunt documenten alleen archiveren onder een bibliotheek waarvoor u werkt: "
        "Bibliotheek Aland." in response.content.decode()
    )
    assert LibraryDocument.objects.count() == before


def test_superuser_document_moves_into_the_library_collection(world):
    client = Client()
    login(client, world.user("superuser"))
    root = Collection.get_first_root_node()
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Beleidsnotitie",
            "file": _upload(),
            "visibility": "own",
            "library": world.library_b.pk,
            "collection": root.pk,
        },
    )
    assert response.status_code == 302
    document = LibraryDocument.objects.get(title="Beleidsnotitie")
    assert document.collection_id == world.library_b.collection_id
    # A collection of another library contradicts the chosen library.
    response = client.post(
        "/admin/documents/add/",
        {
            "title": "Tegenstrijdig",
            "file": _upload(),
            "visibility": "own",
            "library": world.library_b.pk,
            "collection": world.library_a.collection_id,
        },
    )
    assert response.status_code == 200
    assert not LibraryDocument.objects.filter(title="Tegenstrijdig").exists()


def test_editor_of_b_cannot_edit_or_delete_a_document_of_a(world):
    document = world.docs["a_partners"]
    client = Client()
    login(client, world.user("editor_b"))
    for url in (
        f"/admin/documents/edit/{document.pk}/",
        f"/admin/documents/delete/{document.pk}/",
    ):
        response = client.post(url, {"title": "Gekaapt", "visibility": "public"})
        assert response.status_code in (302, 403)
        if response.status_code == 302:
            assert urlparse(response["Location"]).path == "/admin/"
    document.refresh_from_db()
    assert (document.title, document.visibility) == (
        "Meerjarenbeleidsplan Aland",
        LibraryDocument.Visibility.PARTNERS,
    )


def test_auditor_granted_until_tomorrow_downloads_today(world):
    auditor = world.user("auditor_b")
    grant_role(
        world.library_a,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=today() + datetime.timedelta(days=1),
    )
    assert download(world, "auditor_b", world.docs["a_own"]).status_code == 200
    grant_role(world.library_a, auditor, LibraryRole.AUDITOR, expires_on=today())
    assert download(world, "auditor_b", world.docs["a_own"]).status_code == 403
