"""Answers about private documents are ``Cache-Control: private, no-store``
(hardening item 11).

Own and partners-only documents used to be served without ``Cache-Control``, so a
shared proxy could keep one and hand it to the next visitor. Through the document
URL (``/documents/<id>/<filename>``) and the whole middleware stack, for people who
may download, people who may not and anonymous visitors; public documents stay
cacheable.
"""

from __future__ import annotations

import pytest
from django.test import Client
from wagtail.models import CollectionViewRestriction

from bm_pages.models import LibraryDocument
from tests.bm_pages.certification_helpers import CertWorld, build_world, login
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db


world_module, world = world_per_module(build_world)


def get(world: CertWorld, user_name: str, document: LibraryDocument, **headers):
    client = Client()
    login(client, world.user(user_name))
    return client.get(document.url, **headers)


def directives(response) -> set[str]:
    return {
        part.strip().lower()
        for part in response.get("Cache-Control", "").split(",")
        if part.strip()
    }


@pytest.mark.parametrize(
    ("doc_key", "user_name", "status"),
    [
        ("a_own", "editor_a", 200),
        ("a_own", "auditor_a", 200),
        ("a_own", "superuser", 200),
        ("a_own", "editor_c", 403),
        ("a_own", "anonymous", 302),
        ("a_partners", "editor_c", 200),  # a partner library's editor
        ("a_partners", "approver_a", 200),
        ("a_partners", "auditor_c", 403),
        ("a_partners", "anonymous", 302),
        ("b_own", "editor_a", 403),
    ],
)
def test_private_documents_are_never_stored_by_shared_caches(
    world, doc_key, user_name, status
):
    response = get(world, user_name, world.docs[doc_key])
    assert response.status_code == status
    assert {"private", "no-store"} <= directives(response), response.get(
        "Cache-Control"
    )


def test_a_conditional_request_for_a_private_document_is_not_stored_either(world):
    document = world.docs["a_own"]
    first = get(world, "editor_a", document)
    assert first.status_code == 200 and first.get("ETag")
    again = get(world, "editor_a", document, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert {"private", "no-store"} <= directives(again)


@pytest.mark.parametrize("user_name", ["anonymous", "editor_c", "editor_a"])
def test_public_documents_stay_cacheable(world, user_name):
    response = get(world, user_name, world.docs["a_public"])
    assert response.status_code == 200
    assert not {"private", "no-store"} & directives(response)


def test_a_public_document_in_a_restricted_collection_is_private(world):
    # Wagtail's own collection restriction (here: login) on the library's collection.
    document = world.docs["a_public"]
    CollectionViewRestriction.objects.create(
        collection=document.collection,
        restriction_type=CollectionViewRestriction.LOGIN,
    )
    response = get(world, "superuser", document)
    assert response.status_code == 200
    assert {"private", "no-store"} <= directives(response)
