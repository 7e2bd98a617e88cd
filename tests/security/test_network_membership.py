"""Item 1 of the hardening issue: a library's regional network is not its staff's to set.

Network members are partners by default, so moving a library into a network opens
the members' partners-only documents and projects to it. Through the real admin
(edit form, publish, revert), the real public API and the "Netwerk" page: staff
cannot change the field, only a superuser's set-up or a request that an approver of
a member library accepts does, and every refused write leaves the database as it was.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from wagtail.models import PageLogEntry

from bm_pages.actions.network_membership import LOG_ACCEPT, LOG_REQUEST
from bm_pages.documents_access import user_can_view_document
from bm_pages.models import LibraryPage, NetworkMembershipRequest, RegionalNetwork
from bm_pages.models.library import SETUP_LOG_ACTION
from bm_pages.partnerships import are_partners
from tests.api.conftest import token_client
from tests.bm_pages.partner_helpers import PartnerWorld
from tests.bm_pages.roles_helpers import edit_form_data, read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    return partner_world


def client_for(w: PartnerWorld, name: str) -> Client:
    client = Client()
    client.force_login(w.u(name))
    return client


def noord() -> RegionalNetwork:
    return RegionalNetwork.objects.get(slug="noord")


def network_of(library: LibraryPage) -> int | None:
    return LibraryPage.objects.get(pk=library.pk).network_id


def n1_partners_doc(w: PartnerWorld):
    """A partners-only document of N1: what joining Noord would open to A."""
    from tests.bm_pages.certification_helpers import make_document

    return make_document(w.n1, "Netwerkplan Noord", visibility="partners")


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def test_library_staff_cannot_move_their_library_into_a_network_by_edit_and_publish(w):
    secret = n1_partners_doc(w)
    # The editor posts the whole form (read as a superuser sees it) with Noord...
    editor = client_for(w, "editor_a")
    data = edit_form_data(client_for(w, "superuser"), w.a, network=str(noord().pk))
    data["introduction"] = ["Wij sluiten ons aan bij Noord."]
    response = editor.post(edit_url(w.a), data)
    assert response.status_code == 302
    assert network_of(w.a) is None
    # ...and the library's own approver publishes it, also posting Noord.
    approver = client_for(w, "approver_a")
    data = edit_form_data(client_for(w, "superuser"), w.a, network=str(noord().pk))
    data["action-publish"] = ["action-publish"]
    response = approver.post(edit_url(w.a), data)
    assert response.status_code == 302
    library = LibraryPage.objects.get(pk=w.a.pk)
    assert library.introduction == "Wij sluiten ons aan bij Noord."  # it published
    assert library.network_id is None
    assert library.get_latest_revision_as_object().network_id is None
    assert not are_partners(w.a.pk, w.n1.pk)
    assert not user_can_view_document(w.u("editor_a"), secret)
    # The APIs have no way to write it either (the public one is read-only).
    api = token_client(Token.objects.create(user=w.u("approver_a")))
    url = f"/api/v2/libraries/{w.a.pk}/"
    for method in (api.patch, api.put):
        response = method(url, {"network": {"id": noord().pk}}, format="json")
        assert response.status_code in (403, 405), response.content
    assert network_of(w.a) is None
    assert api.get(url).json()["network"] is None


def test_staff_see_the_network_read_only_and_the_superuser_can_change_it(w):
    html = client_for(w, "approver_n1").get(edit_url(w.n1)).content.decode()
    fields = read_form(html)
    assert "network" not in fields and "collection" not in fields
    assert "Netwerk Noord" in html  # shown, read-only
    assert "network" in read_form(
        client_for(w, "superuser").get(edit_url(w.n1)).content.decode()
    )


def test_reverting_to_a_revision_from_inside_the_network_does_not_rejoin_it(w):
    approver = client_for(w, "approver_n1")
    # A revision of N1 published while it was a member of Noord.
    data = edit_form_data(approver, w.n1, introduction="Lid van Noord.")
    data["action-publish"] = ["action-publish"]
    assert approver.post(edit_url(w.n1), data).status_code == 302
    old = LibraryPage.objects.get(pk=w.n1.pk).latest_revision
    assert old.content["network"] == noord().pk
    # A superuser takes N1 out of the network in the admin.
    data = edit_form_data(client_for(w, "superuser"), w.n1, network="")
    assert client_for(w, "superuser").post(edit_url(w.n1), data).status_code == 302
    assert network_of(w.n1) is None
    assert PageLogEntry.objects.filter(page=w.n1, action=SETUP_LOG_ACTION).exists()
    # N1's approver reverts to the old revision and publishes it.
    revert = f"/admin/pages/{w.n1.pk}/revisions/{old.pk}/revert/"
    data = read_form(approver.get(revert).content.decode())
    data["action-publish"] = ["action-publish"]
    response = approver.post(revert, data)
    assert response.status_code == 302
    library = LibraryPage.objects.get(pk=w.n1.pk)
    assert (
        library.live_revision_id != old.pk and library.introduction == "Lid van Noord."
    )
    assert library.network_id is None
    assert not are_partners(w.n1.pk, w.n2.pk)


def test_joining_takes_a_request_that_an_approver_of_a_member_accepts(w):
    secret = n1_partners_doc(w)
    # Editors cannot ask; the refusal writes nothing.
    response = client_for(w, "editor_a").post(
        "/admin/network/membership/request/",
        {"library": w.a.pk, "network": noord().pk, "message": "Mogen wij erbij?"},
    )
    assert response.status_code == 403
    assert not NetworkMembershipRequest.objects.exists()
    # The approver asks: nothing opens yet.
    response = client_for(w, "approver_a").post(
        "/admin/network/membership/request/",
        {"library": w.a.pk, "network": noord().pk, "message": "Mogen wij erbij?"},
    )
    assert response.status_code == 302
    request = NetworkMembershipRequest.objects.get()
    assert request.status == "requested" and network_of(w.a) is None
    assert not user_can_view_document(w.u("editor_a"), secret)
    assert PageLogEntry.objects.filter(page=w.a, action=LOG_REQUEST).exists()
    # The asking side cannot accept its own request, nor can a non-member.
    for name in ("approver_a", "approver_c", "editor_n1"):
        response = client_for(w, name).post(
            f"/admin/network/membership/{request.pk}/accept/"
        )
        assert response.status_code == 403, name
        request.refresh_from_db()
        assert request.status == "requested" and network_of(w.a) is None
    # N1's approver sees it on the network page, in Dutch, and accepts.
    page = client_for(w, "approver_n1").get(f"/admin/network/?library={w.n1.pk}")
    html = page.content.decode()
    assert f'data-bm-membership-request="{request.pk}"' in html
    assert "Bibliotheken die willen aansluiten bij uw netwerk" in html
    response = client_for(w, "approver_n1").post(
        f"/admin/network/membership/{request.pk}/accept/", follow=True
    )
    assert "is nu lid van Netwerk Noord" in response.content.decode()
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by_library_id == w.n1.pk
    assert network_of(w.a) == noord().pk
    assert are_partners(w.a.pk, w.n1.pk)
    assert user_can_view_document(w.u("editor_a"), secret)
    entry = PageLogEntry.objects.get(page=w.a, action=LOG_ACCEPT)
    assert entry.user == w.u("approver_n1") and entry.data["network"] == "Netwerk Noord"


def test_a_declined_request_changes_nothing(w):
    client_for(w, "approver_a").post(
        "/admin/network/membership/request/",
        {"library": w.a.pk, "network": noord().pk},
    )
    request = NetworkMembershipRequest.objects.get()
    client_for(w, "approver_n2").post(
        f"/admin/network/membership/{request.pk}/decline/"
    )
    request.refresh_from_db()
    assert request.status == "declined" and network_of(w.a) is None
    # A decided request cannot be accepted afterwards.
    client_for(w, "approver_n1").post(f"/admin/network/membership/{request.pk}/accept/")
    request.refresh_from_db()
    assert request.status == "declined" and network_of(w.a) is None
