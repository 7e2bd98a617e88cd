"""What a partnership opens, before, during and after: the admin partner view, the
document URLs, and the search visibility of bm_matching, all from one partner notion.

B shares its projects with partners only; A asks, B accepts, later one of them ends
it. Partners see each other's live projects in full and "partners" documents; never
drafts (not even the later draft of a live project) or "own" documents.
"""

from __future__ import annotations

import pytest
from django.test import Client

from bm_matching.visibility import library_can_see, search_scope
from bm_pages.actions.partnerships import EndPartnershipAction
from bm_pages.documents_access import viewable_documents
from bm_pages.models import Partnership
from tests.bm_pages.partner_helpers import (
    SECRET_DRAFT_TEXT,
    PartnerWorld,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(partner_world) -> PartnerWorld:
    return partner_world


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def partner_url(w, library, viewer=None) -> str:
    url = f"/admin/network/partners/{library.pk}/"
    return f"{url}?as={viewer.pk}" if viewer else url


def project_url(w, library, project) -> str:
    return f"/admin/network/partners/{library.pk}/projects/{project.pk}/"


def body(response) -> str:
    return response.content.decode()


def download_status(user, document) -> int:
    return client_for(user).get(document.url).status_code


def state(w) -> dict:
    """Everything A's editor can see of B (and B's editor of A), in one dict."""
    editor_a, editor_b = w.u("editor_a"), w.u("editor_b")
    view = client_for(editor_a).get(partner_url(w, w.b))
    detail = client_for(editor_a).get(project_url(w, w.b, w.project_b))
    return {
        "partner_view": view.status_code,
        "project_view": detail.status_code,
        "view_html": body(view) + body(detail),
        "b_partners_doc": download_status(editor_a, w.docs["b_partners"]),
        "b_own_doc": download_status(editor_a, w.docs["b_own"]),
        "a_partners_doc_for_b": download_status(editor_b, w.docs["a_partners"]),
        "listed": set(
            viewable_documents(editor_a)
            .filter(library=w.b)
            .values_list("title", flat=True)
        ),
        "can_see": library_can_see(w.a, w.b),
        "hidden_in_search": w.b.pk in search_scope(editor_a).hidden_ids,
    }


def assert_closed(s: dict) -> None:
    assert s["partner_view"] == 403
    assert s["project_view"] == 403
    assert (
        "zodra uw bibliotheek en Bibliotheek Beekstad partners zijn" in s["view_html"]
    )
    assert s["b_partners_doc"] == 403 and s["b_own_doc"] == 403
    assert s["a_partners_doc_for_b"] == 403
    assert s["listed"] == {"Folder Voorleesexpress"}, "only B's public document"
    assert s["can_see"] is False and s["hidden_in_search"] is True


def test_before_during_and_after_a_partnership(w):
    assert_closed(state(w))

    row = w.make_partners("a", "b")
    s = state(w)
    assert s["partner_view"] == 200 and s["project_view"] == 200
    html = s["view_html"]
    # The live project in full: SMART, indicators, activities, PDCA log.
    for text in (
        "Voorleesexpress Beekstad",
        "Ouders van peuters met een taalachterstand",
        "gezinnen bereikt",
        "Huisbezoeken plannen",
        "Tussenmeting gedaan.",
        "Consultatiebureau",
        "Goed bereik; werving van vrijwilligers",
    ):
        assert text in html, text
    # Never drafts: neither the draft project nor the later draft of the live one.
    assert "Geheim conceptproject Beekstad" not in html
    assert SECRET_DRAFT_TEXT not in html
    # Documents: "partners" and "public" ones, never "own" ones.
    assert "Draaiboek huisbezoeken" in html and "Werkplan leesconsulenten" in html
    assert "Interne evaluatie Beekstad" not in html
    assert s["b_partners_doc"] == 200 and s["b_own_doc"] == 403
    assert s["a_partners_doc_for_b"] == 200, "partnership works both ways"
    assert s["listed"] == {
        "Folder Voorleesexpress",
        "Draaiboek huisbezoeken",
        "Werkplan leesconsulenten",
    }
    # Search: B's partners-only projects are findable for A now.
    assert s["can_see"] is True and s["hidden_in_search"] is False

    EndPartnershipAction(row, w.u("approver_b")).execute()
    assert_closed(state(w))


def test_the_draft_project_is_not_reachable_even_for_partners(w):
    w.make_partners("a", "b")
    response = client_for(w.u("editor_a")).get(project_url(w, w.b, w.draft_b))
    assert response.status_code == 404


def test_auditors_get_nothing_from_a_partnership(w):
    w.make_partners("a", "b")
    auditor = w.u("auditor_a")
    # No admin access at all: Wagtail sends them to the login page.
    response = client_for(auditor).get(partner_url(w, w.b))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert download_status(auditor, w.docs["b_partners"]) == 403


def test_a_third_library_sees_nothing_of_the_partnership(w):
    w.make_partners("a", "b")
    editor_c = w.u("editor_c")
    assert client_for(editor_c).get(partner_url(w, w.b)).status_code == 403
    assert download_status(editor_c, w.docs["b_partners"]) == 403
    assert not library_can_see(w.c, w.b)


def test_network_members_are_partners_until_one_ends_the_link(w):
    editor_n1 = w.u("editor_n1")
    assert client_for(editor_n1).get(partner_url(w, w.n2)).status_code == 200
    # The admin "end" button, by N2's approver.
    response = client_for(w.u("approver_n2")).post(
        f"/admin/network/end/{w.n2.pk}/{w.n1.pk}/"
    )
    assert response.status_code == 302
    assert client_for(editor_n1).get(partner_url(w, w.n2)).status_code == 403


# The admin flow: request, the network page, accept --------------------------------------


@pytest.fixture
def no_matcher(settings):
    """bm_matching pointed at a closed port: its network section must say so."""
    settings.BM_MATCHING = {
        "MATCHER_URL": "http://127.0.0.1:9",
        "MATCHER_API_TOKEN": "x",
        "RETRIES": 0,
        "CONNECT_TIMEOUT": 0.2,
    }


def test_request_and_accept_through_the_admin(w, no_matcher):
    editor_a = client_for(w.u("editor_a"))
    form = editor_a.get(
        f"/admin/network/request/?partner={w.b.pk}&project={w.project_b.pk}"
    )
    assert form.status_code == 200
    html = body(form)
    assert "Voorleesexpress Beekstad" in html, "the project the request came from"
    assert "Wij zijn geïnteresseerd in uw project" in html

    sent = editor_a.post(
        "/admin/network/request/",
        {"library": w.a.pk, "partner": w.b.pk, "message": "Graag samen!"},
        follow=True,
    )
    assert sent.redirect_chain[-1][0] == f"/admin/network/?library={w.a.pk}"
    assert "Uw verzoek is verstuurd naar Bibliotheek Beekstad" in body(sent)
    assert 'data-bm-outgoing="' in body(sent)

    # Asking again: the form says why not.
    again = editor_a.post(
        "/admin/network/request/", {"library": w.a.pk, "partner": w.b.pk}
    )
    assert again.status_code == 200
    assert "U hebt Bibliotheek Beekstad al gevraagd" in body(again)

    # B's editor sees the request but cannot decide; B's approver can.
    page_b_editor = body(client_for(w.u("editor_b")).get("/admin/network/"))
    assert "Graag samen!" in page_b_editor
    assert 'data-bm-action="accept"' not in page_b_editor
    approver_b = client_for(w.u("approver_b"))
    page_b = body(approver_b.get("/admin/network/"))
    assert 'data-bm-action="accept"' in page_b
    assert "de zoekdienst is niet bereikbaar" in page_b, "matcher down: said so"

    row_id = Partnership.objects.between(w.a, w.b).get().pk
    refused = client_for(w.u("editor_b")).post(f"/admin/network/{row_id}/accept/")
    assert refused.status_code == 403
    accepted = approver_b.post(f"/admin/network/{row_id}/accept/", follow=True)
    assert "U bent nu partners van Bibliotheek Aadorp" in body(accepted)
    assert f'data-bm-partner="{w.a.pk}"' in body(accepted)
    twice = approver_b.post(f"/admin/network/{row_id}/accept/", follow=True)
    assert "Dit verzoek is al geaccepteerd" in body(twice)

    # A's network page lists B as partner, with the way to its projects.
    page_a = body(editor_a.get("/admin/network/"))
    assert f'data-bm-partner="{w.b.pk}"' in page_a
    assert partner_url(w, w.b, w.a) in page_a


def test_requesting_oneself_through_the_admin_is_a_form_error(w):
    response = client_for(w.u("editor_a")).post(
        "/admin/network/request/", {"library": w.a.pk, "partner": w.a.pk}
    )
    assert response.status_code == 200
    assert "Een bibliotheek kan niet haar eigen partner zijn" in body(response)


def test_the_network_page_is_for_library_staff(w):
    outsider_response = client_for(w.u("auditor_a")).get("/admin/network/")
    assert outsider_response.status_code == 302
