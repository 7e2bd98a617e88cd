"""The host serves public images from MEDIA_ROOT, but never documents directly:
a document's file must only be reachable through Wagtail's permission-checked view."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_files():
    root = settings.MEDIA_ROOT
    (root / "images").mkdir(parents=True, exist_ok=True)
    (root / "documents").mkdir(parents=True, exist_ok=True)
    (root / "images" / "logo.png").write_bytes(b"\x89PNG logo")
    (root / "documents" / "zelfevaluatie.pdf").write_bytes(b"%PDF private")
    return root


def test_images_are_served(client, media_files):
    response = client.get("/media/images/logo.png")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG logo"


@pytest.mark.parametrize(
    "path",
    [
        "/media/documents/zelfevaluatie.pdf",
        "/media/images/../documents/zelfevaluatie.pdf",
        "/media/images/%2e%2e/documents/zelfevaluatie.pdf",
    ],
)
def test_documents_are_never_served_from_media(client, media_files, path):
    response = client.get(path)
    # 404 for the plain path; Django answers a path that escapes the folder with 400.
    assert response.status_code in (400, 404)
    assert b"private" not in response.content
