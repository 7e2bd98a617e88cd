"""Items 8 and 9 of the hardening review: upload limits and the document owner.

Through the real admin upload views (single and multiple), as a library editor and
as a superuser:
- a document over ``WAGTAILDOCS_MAX_UPLOAD_SIZE`` (20 MB by default) is refused
  with a Dutch error and nothing is stored;
- the document form's "responsible person" lists only the library's own editors
  and approvers, and a posted outsider is refused, the database unchanged;
- an image over ``WAGTAILIMAGES_MAX_IMAGE_PIXELS`` (a 15 KB PNG of 11000 x 11000
  pixels: a decompression bomb) or over ``WAGTAILIMAGES_MAX_UPLOAD_SIZE`` is
  refused with a Dutch error and nothing is stored.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import UploadedFile

from bm_pages.models import LibraryDocument
from tests.bm_pages.certification_helpers import make_document
from tests.bm_pages.roles_helpers import RolesWorld

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
TOO_BIG_NL = "Dit bestand is te groot"
TOO_MANY_PIXELS_NL = "Deze afbeelding bevat teveel pixels"
OWNER_NL = "De verantwoordelijke moet een redacteur of goedkeurder"
UPLOADERS = ("editor_a", "superuser")


@pytest.fixture
def world(roles_world) -> RolesWorld:
    return roles_world


def client_for(world: RolesWorld, user_name: str) -> Client:
    client = Client()
    client.force_login(world.user(user_name))
    return client


def stored_files(folder: str) -> set[str]:
    root = Path(settings.MEDIA_ROOT) / folder
    return {p.name for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def text_file(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"x" * size, content_type="text/plain")


def document_form_data(world: RolesWorld, user_name: str, **fields) -> dict:
    data = {"title": "Kwaliteitshandboek", "visibility": "own", **fields}
    if user_name == "superuser":  # may add to every collection: must choose one
        data["collection"] = world.library_a.collection_id
    return data


def owner_options(html: str, name: str = "owner") -> set[str]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no {name} field"
    return set(re.findall(r'<option value="(\d+)"', select.group(1)))


def staff_ids(world: RolesWorld, *names: str) -> set[str]:
    return {str(world.user(name).pk) for name in names}


# Document size ----------------------------------------------------------------------


def test_document_limit_is_20_mb_by_default():
    assert settings.WAGTAILDOCS_MAX_UPLOAD_SIZE == 20 * MB


@pytest.mark.parametrize("user_name", UPLOADERS)
def test_document_over_the_limit_is_refused_in_dutch(world, user_name):
    client = client_for(world, user_name)
    before, files = LibraryDocument.objects.count(), stored_files("documents")
    response = client.post(
        "/admin/documents/add/",
        document_form_data(world, user_name, file=text_file("groot.txt", 20 * MB + 1)),
    )
    assert response.status_code == 200
    assert TOO_BIG_NL in response.content.decode()
    assert LibraryDocument.objects.count() == before
    assert stored_files("documents") == files
    # Just under the limit it is stored: the refusal was the size.
    response = client.post(
        "/admin/documents/add/",
        document_form_data(world, user_name, file=text_file("past.txt", 20 * MB)),
    )
    assert response.status_code == 302
    assert LibraryDocument.objects.count() == before + 1


def test_document_over_the_limit_is_refused_by_the_multiple_uploader(world):
    client = client_for(world, "editor_a")
    before, uploads = LibraryDocument.objects.count(), UploadedFile.objects.count()
    files = stored_files("documents") | stored_files("uploaded_files")
    response = client.post(
        "/admin/documents/multiple/add/",
        {"files[]": text_file("groot.txt", 20 * MB + 1)},
    )
    data = json.loads(response.content)
    assert data["success"] is False and TOO_BIG_NL in data["error_message"]
    assert LibraryDocument.objects.count() == before
    assert UploadedFile.objects.count() == uploads
    assert stored_files("documents") | stored_files("uploaded_files") == files


def test_replacing_a_document_file_respects_the_limit(world):
    document = make_document(world.library_a, "Jaarverslag")
    client = client_for(world, "editor_a")
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        document_form_data(
            world, "editor_a", title="Jaarverslag", file=text_file("groot.txt", 21 * MB)
        ),
    )
    assert response.status_code == 200 and TOO_BIG_NL in response.content.decode()
    document.refresh_from_db()
    assert document.file.size < MB and document.title == "Jaarverslag"


# The responsible person -------------------------------------------------------------


def test_owner_dropdown_lists_only_the_librarys_staff(world):
    client = client_for(world, "editor_a")
    own_staff = staff_ids(world, "editor_a", "approver_a")
    html = client.get("/admin/documents/add/").content.decode()
    assert owner_options(html) == own_staff  # not B's staff, A's auditor, admins
    document = make_document(world.library_a, "Beleidsplan")
    html = client.get(f"/admin/documents/edit/{document.pk}/").content.decode()
    assert owner_options(html) == own_staff


def test_superuser_sees_the_documents_library_staff_when_editing(world):
    document = make_document(world.library_b, "Bemdal beleid")
    html = (
        client_for(world, "superuser")
        .get(f"/admin/documents/edit/{document.pk}/")
        .content.decode()
    )
    assert owner_options(html) == {
        str(user.pk) for user in (world.user("editor_b"), world.user("approver_b"))
    }


@pytest.mark.parametrize("outsider", ["editor_b", "auditor_a", "superuser"])
def test_posted_foreign_owner_is_refused_on_upload(world, outsider):
    client = client_for(world, "editor_a")
    before = LibraryDocument.objects.count()
    response = client.post(
        "/admin/documents/add/",
        document_form_data(
            world,
            "editor_a",
            file=text_file("plan.txt", 100),
            owner=world.user(outsider).pk,
        ),
    )
    assert response.status_code == 200
    assert 'name="owner"' in response.content.decode()
    assert response.context["form"].errors["owner"]
    assert LibraryDocument.objects.count() == before


@pytest.mark.parametrize("user_name", UPLOADERS)
def test_posted_foreign_owner_is_refused_on_edit(world, user_name):
    document = make_document(world.library_a, "Klachtenregeling")
    client = client_for(world, user_name)
    response = client.post(
        f"/admin/documents/edit/{document.pk}/",
        document_form_data(
            world, user_name, title="Gewijzigd", owner=world.user("editor_b").pk
        ),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["owner"]
    document.refresh_from_db()
    assert (document.title, document.owner_id) == ("Klachtenregeling", None)


def test_superuser_cannot_give_a_document_of_a_to_b_staff(world):
    """The superuser's dropdown spans every library; the check is per document."""
    client = client_for(world, "superuser")
    before = LibraryDocument.objects.count()
    response = client.post(
        "/admin/documents/add/",
        document_form_data(
            world,
            "superuser",
            file=text_file("plan.txt", 100),
            owner=world.user("editor_b").pk,
        ),
    )
    assert response.status_code == 200
    assert OWNER_NL in response.content.decode()
    assert LibraryDocument.objects.count() == before


@pytest.mark.parametrize("owner", ["editor_a", "approver_a"])
def test_own_staff_can_be_the_owner(world, owner):
    client = client_for(world, "editor_a")
    response = client.post(
        "/admin/documents/add/",
        document_form_data(
            world,
            "editor_a",
            title=f"Plan van {owner}",
            file=text_file("plan.txt", 100),
            owner=world.user(owner).pk,
        ),
    )
    assert response.status_code == 302
    document = LibraryDocument.objects.get(title=f"Plan van {owner}")
    assert document.owner == world.user(owner)
    assert document.library_id == world.library_a.pk


def test_multiple_uploader_details_refuse_a_foreign_owner(world):
    client = client_for(world, "editor_a")
    response = client.post(
        "/admin/documents/multiple/add/", {"files[]": text_file("bijlage.txt", 100)}
    )
    upload_id = json.loads(response.content)["uploaded_file_id"]
    prefix = f"uploaded-document-{upload_id}"
    assert owner_options(
        json.loads(response.content)["form"], f"{prefix}-owner"
    ) == staff_ids(world, "editor_a", "approver_a")
    before = LibraryDocument.objects.count()
    response = client.post(
        f"/admin/documents/multiple/create_from_uploaded_document/{upload_id}/",
        {
            f"{prefix}-title": "Bijlage",
            f"{prefix}-visibility": "own",
            f"{prefix}-owner": world.user("editor_b").pk,
        },
    )
    assert json.loads(response.content)["success"] is False
    assert LibraryDocument.objects.count() == before


# Images -------------------------------------------------------------------------------


def bomb_png() -> SimpleUploadedFile:
    """11000 x 11000 pixels (121 MP) of one colour: a PNG of a few kilobytes."""
    buffer = io.BytesIO()
    PILImage.new("1", (11000, 11000)).save(buffer, format="PNG", optimize=True)
    assert buffer.tell() < 100_000
    return SimpleUploadedFile("bom.png", buffer.getvalue(), content_type="image/png")


def small_png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (400, 300), "navy").save(buffer, format="PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def image_form_data(world: RolesWorld, user_name: str, file) -> dict:
    data = {"title": "Logo", "file": file}
    if user_name == "superuser":
        data["collection"] = world.library_a.collection_id
    return data


def test_image_limits_fit_logos_and_photos():
    assert settings.WAGTAILIMAGES_MAX_IMAGE_PIXELS == 25_000_000  # 6000 x 4000 fits
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 15 * MB


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("user_name", UPLOADERS)
def test_decompression_bomb_is_refused_in_dutch(world, user_name):
    Image = get_image_model()
    client = client_for(world, user_name)
    before, files = Image.objects.count(), stored_files("original_images")
    response = client.post(
        "/admin/images/add/", image_form_data(world, user_name, bomb_png())
    )
    assert response.status_code == 200
    assert TOO_MANY_PIXELS_NL in response.content.decode()
    assert Image.objects.count() == before
    assert stored_files("original_images") == files
    # An ordinary logo goes through the same form.
    response = client.post(
        "/admin/images/add/", image_form_data(world, user_name, small_png())
    )
    assert response.status_code == 302
    assert Image.objects.count() == before + 1


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_decompression_bomb_is_refused_by_the_multiple_uploader(world):
    Image = get_image_model()
    client = client_for(world, "editor_a")
    before, uploads = Image.objects.count(), UploadedFile.objects.count()
    files = stored_files("original_images")
    response = client.post("/admin/images/multiple/add/", {"files[]": bomb_png()})
    data = json.loads(response.content)
    assert data["success"] is False
    assert TOO_MANY_PIXELS_NL in data["error_message"]
    assert Image.objects.count() == before
    assert UploadedFile.objects.count() == uploads
    assert stored_files("original_images") == files


def test_image_over_the_upload_size_is_refused_in_dutch(world):
    Image = get_image_model()
    client = client_for(world, "editor_a")
    before = Image.objects.count()
    big = SimpleUploadedFile(
        "groot.png", b"\x89PNG" + b"\0" * (15 * MB), content_type="image/png"
    )
    response = client.post(
        "/admin/images/add/", image_form_data(world, "editor_a", big)
    )
    assert response.status_code == 200
    assert TOO_BIG_NL in response.content.decode()
    assert Image.objects.count() == before
