"""The document form through the real admin: the single add form, the multiple
uploader and the edit form offer an editor only her own library and her colleagues,
refuse another library's id, use checkboxes for norms and topics, and turn a raw
file name into a readable title."""

from __future__ import annotations

import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bm_pages.document_forms import readable_title
from bm_pages.models import LibraryDocument, LibraryPage
from tests.bm_pages.certification_helpers import CertWorld, build_world
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db

REFUSED = (
    "U kunt documenten alleen archiveren onder een bibliotheek waarvoor u werkt: "
    "Bibliotheek Aland."
)


world_module, world = world_per_module(build_world)


def client_for(world: CertWorld, name: str) -> Client:
    client = Client()
    client.force_login(world.user(name))
    return client


def upload(name: str = "notulen.txt") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"Notulen MT-overleg\n", content_type="text/plain")


def select_options(html: str, name: str) -> list[tuple[str, str]]:
    """(value, label) of the options of the select named ``name`` (any prefix)."""
    select = re.search(
        rf'<select name="(?:[\w-]+-)?{name}"[^>]*>(.*?)</select>', html, re.S
    )
    assert select, f"no select {name}"
    return re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))


def selected_option(html: str, name: str) -> str | None:
    select = re.search(
        rf'<select name="(?:[\w-]+-)?{name}"[^>]*>(.*?)</select>', html, re.S
    ).group(1)
    chosen = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    return chosen.group(1) if chosen else None


def multiple_upload_form(client: Client, name: str = "bijlage.txt") -> tuple[int, str]:
    response = client.post(
        reverse("wagtaildocs:add_multiple"),
        {"title": name.rsplit(".", 1)[0], "files[]": upload(name)},
    )
    data = json.loads(response.content)
    assert data["success"] is True, data
    return data["uploaded_file_id"], data["form"]


def assert_fitted_to_library_a(world: CertWorld, html: str) -> None:
    assert select_options(html, "library") == [
        (str(world.library_a.pk), "Bibliotheek Aland")
    ]
    assert selected_option(html, "library") == str(world.library_a.pk)
    owners = {value for value, _label in select_options(html, "owner") if value}
    assert owners == {
        str(world.user("editor_a").pk),
        str(world.user("approver_a").pk),
    }
    for name in ("norms", "policy_topics"):
        assert re.search(rf'<input type="checkbox" name="(?:[\w-]+-)?{name}"', html)
        assert not re.search(rf'<select name="(?:[\w-]+-)?{name}"[^>]*multiple', html)


def test_the_add_form_offers_only_her_library_and_colleagues(world):
    html = client_for(world, "editor_a").get(reverse("wagtaildocs:add")).content
    html = html.decode()
    assert_fitted_to_library_a(world, html)
    assert (
        "Documenten die u toevoegt, worden gearchiveerd onder Bibliotheek Aland."
        in (html)
    )
    assert "bm_pages/js/document_title.js" in html


def test_the_multiple_uploader_offers_only_her_library_and_colleagues(world):
    client = client_for(world, "editor_a")
    page = client.get(reverse("wagtaildocs:add_multiple")).content.decode()
    assert "bm_pages/js/document_title.js" in page
    _upload_id, form = multiple_upload_form(client)
    assert_fitted_to_library_a(world, form)


def test_the_edit_form_offers_only_her_library_and_colleagues(world):
    document = world.docs["a_own"]
    html = client_for(world, "editor_a").get(
        reverse("wagtaildocs:edit", args=[document.pk])
    )
    assert_fitted_to_library_a(world, html.content.decode())


def test_a_superuser_chooses_among_all_libraries(world):
    html = client_for(world, "superuser").get(reverse("wagtaildocs:add")).content
    options = select_options(html.decode(), "library")
    assert options[0][0] == ""  # no library yet: a choice to make
    assert {label for _v, label in options[1:]} == set(
        LibraryPage.objects.values_list("title", flat=True)
    )


def test_another_librarys_id_is_refused_in_the_add_form(world):
    before = LibraryDocument.objects.count()
    response = client_for(world, "editor_a").post(
        reverse("wagtaildocs:add"),
        {
            "title": "Verkeerd",
            "file": upload(),
            "visibility": "own",
            "library": world.library_b.pk,
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert LibraryDocument.objects.count() == before


def test_another_librarys_id_is_refused_in_the_multiple_uploader(world):
    client = client_for(world, "editor_a")
    upload_id, _form = multiple_upload_form(client)
    prefix = f"uploaded-document-{upload_id}"
    before = LibraryDocument.objects.count()
    response = client.post(
        reverse("wagtaildocs:create_multiple_from_uploaded_document", args=[upload_id]),
        {
            f"{prefix}-title": "Bijlage",
            f"{prefix}-visibility": "own",
            f"{prefix}-library": world.library_b.pk,
        },
    )
    data = json.loads(response.content)
    assert data["success"] is False
    assert REFUSED in data["form"]
    assert LibraryDocument.objects.count() == before


def test_another_librarys_id_is_refused_in_the_edit_form(world):
    document = world.docs["a_partners"]
    response = client_for(world, "editor_a").post(
        reverse("wagtaildocs:edit", args=[document.pk]),
        {
            "title": "Verplaatst",
            "visibility": "partners",
            "library": world.library_b.pk,
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    document.refresh_from_db()
    assert (document.title, document.library_id) == (
        "Meerjarenbeleidsplan Aland",
        world.library_a.pk,
    )


def test_an_owner_of_another_library_is_refused(world):
    response = client_for(world, "editor_a").post(
        reverse("wagtaildocs:add"),
        {
            "title": "Notulen",
            "file": upload(),
            "visibility": "own",
            "owner": world.user("editor_b").pk,
        },
    )
    assert response.status_code == 200
    assert not LibraryDocument.objects.filter(title="Notulen").exists()


@pytest.mark.parametrize(
    ("filename", "title"),
    [
        ("jaarverslag_2025-def.pdf", "Jaarverslag 2025 def"),
        ("Zelfevaluatie KiB.docx", "Zelfevaluatie KiB"),
        ("notulen__mt--overleg.txt", "Notulen mt overleg"),
        ("README", "README"),
    ],
)
def test_readable_title(filename, title):
    assert readable_title(filename) == title


@pytest.mark.parametrize(
    "posted_title", ["jaarverslag_2025-def", "jaarverslag_2025-def.txt"]
)
def test_a_raw_file_name_becomes_a_readable_title(world, posted_title):
    response = client_for(world, "editor_a").post(
        reverse("wagtaildocs:add"),
        {
            "title": posted_title,
            "file": upload("jaarverslag_2025-def.txt"),
            "visibility": "own",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = LibraryDocument.objects.get(file__contains="jaarverslag_2025")
    assert document.title == "Jaarverslag 2025 def"
    assert document.library_id == world.library_a.pk


def test_a_typed_title_is_kept(world):
    response = client_for(world, "editor_a").post(
        reverse("wagtaildocs:add"),
        {
            "title": "Jaarverslag (definitief)",
            "file": upload("jv.txt"),
            "visibility": "own",
        },
    )
    assert response.status_code == 302
    assert LibraryDocument.objects.filter(title="Jaarverslag (definitief)").exists()


def test_the_multiple_uploader_suggests_the_readable_title(world):
    client = client_for(world, "editor_a")
    upload_id, form = multiple_upload_form(client, "werkplan_taalhuis-2026.txt")
    assert 'value="Werkplan taalhuis 2026"' in form
    prefix = f"uploaded-document-{upload_id}"
    response = client.post(
        reverse("wagtaildocs:create_multiple_from_uploaded_document", args=[upload_id]),
        {f"{prefix}-title": "Werkplan taalhuis 2026", f"{prefix}-visibility": "own"},
    )
    assert json.loads(response.content)["success"] is True
    assert LibraryDocument.objects.filter(
        title="Werkplan taalhuis 2026", library=world.library_a
    ).exists()
