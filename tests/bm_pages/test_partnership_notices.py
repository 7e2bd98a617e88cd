"""Partnerships people hear about: e-mails on request and decision, withdrawing a
request, the steps in the library's history.

Through the real admin views (the request form, accept, decline, withdraw) with
Django's locmem mail outbox; mails go out only when the transaction commits.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from django.core import mail
from django.test import Client, override_settings
from django.urls import reverse
from wagtail.models import PageLogEntry

from bm_pages.actions.partnerships import RequestPartnershipAction
from bm_pages.models import Partnership
from bm_pages.roles import LibraryRole
from bm_pages.site_address import point_site_at
from tests.builders import set_up_library, staff
from tests.factories import UserFactory
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db

BASE = "https://biblio.example.nl"


class World:
    """A asks B; C looks on. B has two approvers and an editor."""

    def __init__(self) -> None:
        self.a = set_up_library("Bibliotheek Aadorp")
        self.b = set_up_library("Bibliotheek Beekstad")
        self.c = set_up_library("Bibliotheek Cranendonck")
        self.users = {
            "editor_a": staff(self.a, "redacteur-aadorp"),
            "approver_a": staff(self.a, "goedkeurder-aadorp", LibraryRole.APPROVER),
            "editor_b": staff(self.b, "redacteur-beekstad"),
            "approver_b": staff(self.b, "goedkeurder-beekstad", LibraryRole.APPROVER),
            "approver_b2": staff(self.b, "tweede-beekstad", LibraryRole.APPROVER),
            "auditor_b": staff(self.b, "auditor-beekstad", LibraryRole.AUDITOR),
            "editor_c": staff(self.c, "redacteur-cranendonck"),
            "approver_c": staff(
                self.c, "goedkeurder-cranendonck", LibraryRole.APPROVER
            ),
            "superuser": UserFactory(username="beheer-p", is_superuser=True),
            "anonymous": None,
        }
        self.users["editor_a"].first_name = "Ellen"
        self.users["editor_a"].last_name = "Vragensteller"
        self.users["editor_a"].save()
        point_site_at(BASE)

    def u(self, name):
        return self.users[name]


world_module, world = world_per_module(World)


@pytest.fixture
def w(world) -> World:
    mail.outbox.clear()
    return world


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def ask(w: World, on_commit, user_name: str = "editor_a") -> Partnership:
    with on_commit(execute=True):
        response = client_for(w.u(user_name)).post(
            reverse("bm_pages_partnerships:request"),
            {"library": w.a.pk, "partner": w.b.pk, "message": "Samen voorlezen?"},
        )
    assert response.status_code == 302, response.content.decode()[:1000]
    return Partnership.objects.get(status=Partnership.Status.REQUESTED)


def network_link(library) -> str:
    return f"{BASE}{reverse('bm_pages_partnerships:network')}?library={library.pk}"


# E-mail ------------------------------------------------------------------------------


def test_a_request_mails_exactly_the_asked_librarys_approvers(
    w, django_capture_on_commit_callbacks
):
    ask(w, django_capture_on_commit_callbacks)
    assert sorted(address for m in mail.outbox for address in m.to) == sorted(
        [w.u("approver_b").email, w.u("approver_b2").email]
    )
    for message in mail.outbox:
        assert len(message.to) == 1
        assert message.subject == "Partnerschapsverzoek van Bibliotheek Aadorp"
        assert "Bibliotheek Aadorp vraagt Bibliotheek Beekstad om een partnerschap" in (
            message.body
        )
        assert "Samen voorlezen?" in message.body
        assert "kunt u het verzoek accepteren of afwijzen" in message.body
        assert network_link(w.b) in message.body
        assert "localhost" not in message.body and "127.0.0.1" not in message.body
        # No person of the asking library is named.
        for name in ("Ellen", "Vragensteller", "redacteur-aadorp"):
            assert name not in message.body


@pytest.mark.parametrize(
    ("step", "subject", "text"),
    [
        (
            "accept",
            "Bibliotheek Beekstad heeft uw partnerschapsverzoek geaccepteerd",
            "U bent vanaf nu partners",
        ),
        (
            "decline",
            "Bibliotheek Beekstad heeft uw partnerschapsverzoek afgewezen",
            "U kunt later opnieuw een verzoek doen",
        ),
    ],
)
def test_the_decision_mails_the_requester(
    w, django_capture_on_commit_callbacks, step, subject, text
):
    partnership = ask(w, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    approver = w.u("approver_b")
    approver.first_name, approver.last_name = "Bert", "Beslisser"
    approver.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(approver).post(
            reverse(f"bm_pages_partnerships:{step}", args=[partnership.pk])
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[w.u("editor_a").email]]
    message = mail.outbox[0]
    assert message.subject == subject
    assert text in message.body
    assert network_link(w.a) in message.body
    assert "Beslisser" not in message.body and "goedkeurder-beekstad" not in (
        message.body
    )


def test_mail_waits_for_the_commit(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        RequestPartnershipAction(w.a, w.b, w.u("editor_a")).execute()
    assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 2


def test_a_refused_request_mails_nobody(w, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(w.u("editor_a")).post(
            reverse("bm_pages_partnerships:request"),
            {"library": w.a.pk, "partner": w.a.pk},
        )
    assert response.status_code == 200
    assert mail.outbox == []


@override_settings(WAGTAILADMIN_BASE_URL="https://bm.example.org")
def test_links_use_the_base_url_while_the_site_is_still_localhost(
    w, django_capture_on_commit_callbacks
):
    from wagtail.models import Site

    Site.objects.filter(is_default_site=True).update(hostname="localhost", port=80)
    ask(w, django_capture_on_commit_callbacks)
    for message in mail.outbox:
        assert (
            f"https://bm.example.org{reverse('bm_pages_partnerships:network')}"
            in message.body
        )
        assert "localhost" not in message.body


# Withdrawing -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "allowed"),
    [
        ("editor_a", True),
        ("approver_a", True),
        ("superuser", True),
        ("editor_b", False),
        ("approver_b", False),
        ("auditor_b", False),
        ("editor_c", False),
        ("approver_c", False),
        ("anonymous", "login"),
    ],
)
def test_who_may_withdraw_a_request(
    w, django_capture_on_commit_callbacks, user_name, allowed
):
    partnership = ask(w, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    url = reverse("bm_pages_partnerships:withdraw", args=[partnership.pk])
    response = client_for(w.u(user_name)).post(url)
    partnership.refresh_from_db()
    if allowed == "login":
        assert response.status_code == 302
        assert urlparse(response["Location"]).path == reverse("wagtailadmin_login")
        assert partnership.status == Partnership.Status.REQUESTED
    elif allowed:
        assert response.status_code == 302
        assert partnership.status == Partnership.Status.WITHDRAWN
        assert partnership.decided_by == w.u(user_name)
        entry = PageLogEntry.objects.get(action="bm_pages.partnership.withdraw")
        assert (entry.page_id, entry.user_id) == (w.a.pk, w.u(user_name).pk)
        assert entry.data["library"] == "Bibliotheek Beekstad"
    else:
        assert response.status_code in (302, 403)
        if response.status_code == 302:  # an auditor has no admin at all
            assert urlparse(response["Location"]).path != reverse(
                "bm_pages_partnerships:network"
            )
        assert partnership.status == Partnership.Status.REQUESTED
    assert mail.outbox == []


def test_withdraw_from_the_network_page_and_ask_again(
    w, django_capture_on_commit_callbacks
):
    partnership = ask(w, django_capture_on_commit_callbacks)
    editor = client_for(w.u("editor_a"))
    network = editor.get(
        reverse("bm_pages_partnerships:network") + f"?library={w.a.pk}"
    ).content.decode()
    outgoing = network.split('data-bm-section="outgoing"', 1)[1].split("</section>")[0]
    withdraw = reverse("bm_pages_partnerships:withdraw", args=[partnership.pk])
    assert f'action="{withdraw}"' in outgoing and "Intrekken" in outgoing
    response = editor.post(withdraw, follow=True)
    html = response.content.decode()
    assert "Uw verzoek aan Bibliotheek Beekstad is ingetrokken." in html
    assert "ingetrokken op" in html.split('data-bm-section="history"', 1)[1]
    # Twice: a clear message, nothing changes.
    response = editor.post(withdraw, follow=True)
    assert "Dit verzoek is al ingetrokken." in response.content.decode()
    # The pair may ask again.
    ask(w, django_capture_on_commit_callbacks)


def test_an_answered_request_cannot_be_withdrawn(w, django_capture_on_commit_callbacks):
    partnership = ask(w, django_capture_on_commit_callbacks)
    client_for(w.u("approver_b")).post(
        reverse("bm_pages_partnerships:accept", args=[partnership.pk])
    )
    response = client_for(w.u("approver_a")).post(
        reverse("bm_pages_partnerships:withdraw", args=[partnership.pk]), follow=True
    )
    assert "kan daarom niet meer worden ingetrokken" in response.content.decode()
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE


def test_every_step_is_in_the_library_history(w, django_capture_on_commit_callbacks):
    partnership = ask(w, django_capture_on_commit_callbacks)
    client_for(w.u("approver_b")).post(
        reverse("bm_pages_partnerships:decline", args=[partnership.pk])
    )
    entries = {
        (e.action, e.page_id)
        for e in PageLogEntry.objects.filter(action__startswith="bm_pages.partnership")
    }
    assert entries == {
        ("bm_pages.partnership.request", w.a.pk),
        ("bm_pages.partnership.decline", w.b.pk),
    }
    history = client_for(w.u("approver_a")).get(
        reverse("wagtailadmin_pages:history", args=[w.a.pk])
    )
    assert "Partnerschap gevraagd aan Bibliotheek Beekstad" in history.content.decode()
