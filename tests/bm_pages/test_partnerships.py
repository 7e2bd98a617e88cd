"""The partnership state machine: who may request, accept, decline and end, which
transitions are refused with which message, network default links, and history."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from bm_pages.actions.partnerships import (
    AcceptPartnershipAction,
    DeclinePartnershipAction,
    EndPartnershipAction,
    PartnershipError,
    PartnershipPermissionError,
    RequestPartnershipAction,
)
from bm_pages.models import LibraryPage, Partnership, RegionalNetwork
from bm_pages.partnerships import (
    are_partners,
    link_between,
    partner_ids,
    partners_of,
)
from bm_pages.roles import LibraryRole
from tests.builders import network, set_up_library, staff
from tests.factories import UserFactory
from tests.module_worlds import world_per_module

pytestmark = pytest.mark.django_db


class World:
    """A and B in no network; N1 and N2 in a linking network; M1 and M2 in one that
    does not link. Each library has an editor and an approver."""

    def __init__(self) -> None:
        linking = network("noord", "Netwerk Noord")
        quiet = network("stil", "Netwerk Stil")
        RegionalNetwork.objects.filter(pk=quiet.pk).update(
            link_members_by_default=False
        )
        self.a = set_up_library("Bibliotheek Aadorp")
        self.b = set_up_library("Bibliotheek Beekstad")
        self.n1 = set_up_library("Bibliotheek Noorderhaven", linking)
        self.n2 = set_up_library("Bibliotheek Noordwijk", linking)
        self.m1 = set_up_library("Bibliotheek Middenmeer", quiet)
        self.m2 = set_up_library("Bibliotheek Middelburg", quiet)
        self.users = {}
        for key in ("a", "b", "n1", "n2", "m1"):
            library = getattr(self, key)
            self.users[f"editor_{key}"] = staff(library, f"redacteur-{key}")
            self.users[f"approver_{key}"] = staff(
                library, f"goedkeurder-{key}", LibraryRole.APPROVER
            )
        self.users["auditor_b"] = staff(self.b, "auditor-b", LibraryRole.AUDITOR)
        self.users["superuser"] = UserFactory(username="beheerder", is_superuser=True)

    def u(self, name):
        return self.users[name]


# Built once; every test runs in a savepoint on top and is rolled back.
world_module, world = world_per_module(World)


@pytest.fixture
def w(world) -> World:
    return world


def request(w, frm="a", to="b", user=None, message="Samen aan leesbevordering?"):
    library, partner = getattr(w, frm), getattr(w, to)
    return RequestPartnershipAction(
        library, partner, user or w.u(f"editor_{frm}"), message=message
    ).execute()


def error_of(call) -> PartnershipError:
    with pytest.raises(PartnershipError) as info:
        call()
    return info.value


# The happy path ---------------------------------------------------------------------


def test_request_accept_end_and_the_rows_are_the_history(w):
    p = request(w)
    assert p.status == Partnership.Status.REQUESTED
    assert (p.library_a_id, p.library_b_id) == tuple(sorted((w.a.pk, w.b.pk)))
    assert p.requested_by_library_id == w.a.pk and p.requested_by == w.u("editor_a")
    assert p.message == "Samen aan leesbevordering?"
    assert p.receiving_library_id == w.b.pk
    assert not are_partners(w.a, w.b), "a request is not a partnership yet"

    accepted = AcceptPartnershipAction(p, w.u("approver_b")).execute()
    assert accepted.status == Partnership.Status.ACTIVE
    assert accepted.decided_by == w.u("approver_b") and accepted.decided_at
    assert are_partners(w.a, w.b) and are_partners(w.b, w.a)
    assert list(partners_of(w.a)) == [w.b] and list(partners_of(w.b)) == [w.a]
    assert link_between(w.a, w.b) == "partnership"

    ended = EndPartnershipAction(accepted, w.u("approver_a")).execute()
    assert ended.status == Partnership.Status.ENDED
    assert ended.ended_by == w.u("approver_a") and ended.ended_by_library_id == w.a.pk
    assert not are_partners(w.a, w.b)

    # Asking again after the end is a new row; the old one stays as history.
    again = request(w, frm="b", to="a")
    DeclinePartnershipAction(again, w.u("approver_a")).execute()
    history = list(Partnership.objects.between(w.a, w.b))
    assert [row.status for row in history] == ["ended", "declined"]
    assert not are_partners(w.a, w.b)
    third = request(w, frm="b", to="a")
    AcceptPartnershipAction(third, w.u("approver_a")).execute()
    assert are_partners(w.a, w.b)
    assert Partnership.objects.between(w.a, w.b).count() == 3


def test_the_receiving_side_can_also_end_it_and_superusers_may_act(w):
    p = request(w, user=w.u("approver_a"))
    AcceptPartnershipAction(p, w.u("superuser")).execute()
    EndPartnershipAction(p, w.u("approver_b")).execute()
    p.refresh_from_db()
    assert p.status == "ended" and p.ended_by_library_id == w.b.pk


# Bad transitions: clear errors --------------------------------------------------------


def test_requesting_oneself_is_refused(w):
    error = error_of(lambda: request(w, frm="a", to="a"))
    assert error.code == "self"
    assert (
        str(error)
        == "Een bibliotheek kan niet haar eigen partner zijn. Kies een andere bibliotheek."
    )


def test_requesting_an_existing_partner_is_refused(w):
    p = request(w)
    AcceptPartnershipAction(p, w.u("approver_b")).execute()
    error = error_of(lambda: request(w, frm="b", to="a"))
    assert error.code == "already_partners"
    assert str(error) == "Bibliotheek Aadorp is al uw partner."


def test_requesting_a_network_partner_is_refused_with_the_network_reason(w):
    error = error_of(lambda: request(w, frm="n1", to="n2"))
    assert error.code == "already_partners"
    assert "via uw regionale netwerk" in str(error)


def test_a_second_request_while_one_is_open_is_refused_both_ways(w):
    request(w)
    same_way = error_of(lambda: request(w))
    assert same_way.code == "pending"
    assert "wacht op hun antwoord" in str(same_way)
    other_way = error_of(lambda: request(w, frm="b", to="a"))
    assert other_way.code == "pending"
    assert "Accepteer hun verzoek" in str(other_way)
    assert Partnership.objects.count() == 1


def test_accepting_twice_declining_after_accepting_and_accepting_a_declined_request(w):
    p = request(w)
    AcceptPartnershipAction(p, w.u("approver_b")).execute()
    twice = error_of(lambda: AcceptPartnershipAction(p, w.u("approver_b")).execute())
    assert twice.code == "already_active"
    assert str(twice) == "Dit verzoek is al geaccepteerd; u bent partners."
    late = error_of(lambda: DeclinePartnershipAction(p, w.u("approver_b")).execute())
    assert late.code == "already_active"

    EndPartnershipAction(p, w.u("approver_a")).execute()
    ended_again = error_of(lambda: EndPartnershipAction(p, w.u("approver_b")).execute())
    assert str(ended_again) == "Dit partnerschap is al beëindigd."

    q = request(w)
    DeclinePartnershipAction(q, w.u("approver_b")).execute()
    accept_declined = error_of(
        lambda: AcceptPartnershipAction(q, w.u("approver_b")).execute()
    )
    assert accept_declined.code == "already_decided"
    assert "al afgewezen" in str(accept_declined)


def test_a_stale_object_cannot_accept_twice(w):
    """Two approvers with the same request open: the second click finds it decided."""
    p = request(w)
    first = Partnership.objects.get(pk=p.pk)
    second = Partnership.objects.get(pk=p.pk)
    AcceptPartnershipAction(first, w.u("approver_b")).execute()
    with pytest.raises(PartnershipError):
        AcceptPartnershipAction(second, w.u("superuser")).execute()
    assert Partnership.objects.get(pk=p.pk).decided_by == w.u("approver_b")


def test_ending_a_request_is_refused(w):
    p = request(w)
    error = error_of(lambda: EndPartnershipAction(p, w.u("approver_b")).execute())
    assert error.code == "not_active"
    assert "Wijs een verzoek af" in str(error)


# Who may do what ----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["editor_b", "auditor_b", "approver_a", "editor_a"])
def test_only_approvers_of_the_asked_library_accept_or_decline(w, who):
    p = request(w)
    for action in (AcceptPartnershipAction, DeclinePartnershipAction):
        with pytest.raises(PartnershipPermissionError) as info:
            action(p, w.u(who)).execute()
        assert isinstance(info.value, PermissionDenied)
        assert str(info.value) == (
            "Alleen goedkeurders van Bibliotheek Beekstad kunnen dit verzoek "
            "accepteren of afwijzen."
        )
    assert Partnership.objects.get(pk=p.pk).status == "requested"


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("editor_a", True),
        ("approver_a", True),
        ("superuser", True),
        ("editor_b", False),
        ("auditor_b", False),
    ],
)
def test_editors_and_approvers_of_the_requesting_library_may_request(w, who, allowed):
    action = RequestPartnershipAction(w.a, w.b, w.u(who))
    if allowed:
        assert action.execute().status == "requested"
    else:
        with pytest.raises(PartnershipPermissionError, match="Bibliotheek Aadorp"):
            action.execute()
        assert not Partnership.objects.exists()


@pytest.mark.parametrize("who", ["editor_a", "editor_b", "approver_n1"])
def test_only_approvers_of_either_side_end(w, who):
    p = request(w)
    AcceptPartnershipAction(p, w.u("approver_b")).execute()
    with pytest.raises(PartnershipPermissionError, match="Alleen goedkeurders van"):
        EndPartnershipAction(p, w.u(who)).execute()
    assert are_partners(w.a, w.b)


def test_permission_is_checked_before_the_state(w):
    """A non-approver learns nothing about the request's state."""
    p = request(w)
    AcceptPartnershipAction(p, w.u("approver_b")).execute()
    with pytest.raises(PartnershipPermissionError):
        AcceptPartnershipAction(p, w.u("editor_b")).check()


# Network default links ----------------------------------------------------------------


def test_members_of_a_linking_network_are_partners_without_a_row(w):
    assert are_partners(w.n1, w.n2)
    assert link_between(w.n1, w.n2) == "network"
    assert set(partners_of(w.n1)) == {w.n2}
    assert not Partnership.objects.exists()
    # A network that does not link its members: no partners.
    assert not are_partners(w.m1, w.m2)
    assert partner_ids(w.m1) == set()


def test_ending_a_network_link_is_remembered_until_a_new_partnership(w):
    action = EndPartnershipAction.for_pair(w.n1, w.n2, w.u("approver_n1"))
    row = action.execute()
    assert row.pk and row.network_link and row.status == "ended"
    assert row.requested_by_library_id == w.n1.pk
    assert row.ended_by_library_id == w.n1.pk
    assert not are_partners(w.n1, w.n2) and not are_partners(w.n2, w.n1)
    assert w.n2.pk not in partner_ids(w.n1)

    # Ending again: there is nothing left to end.
    with pytest.raises(PartnershipError, match="is niet uw partner"):
        EndPartnershipAction.for_pair(w.n2, w.n1, w.u("approver_n2"))

    # Asking again and being accepted links them again, as an explicit partnership.
    p = request(w, frm="n2", to="n1")
    AcceptPartnershipAction(p, w.u("approver_n1")).execute()
    assert are_partners(w.n1, w.n2) and link_between(w.n1, w.n2) == "partnership"
    # Ending that one leaves them unlinked: the network does not relink them.
    EndPartnershipAction.for_pair(w.n2, w.n1, w.u("approver_n2")).execute()
    assert not are_partners(w.n1, w.n2)


def test_ending_a_network_link_needs_an_approver_of_that_side(w):
    with pytest.raises(PartnershipPermissionError):
        EndPartnershipAction.for_pair(w.n1, w.n2, w.u("editor_n1")).execute()
    with pytest.raises(PartnershipPermissionError):
        EndPartnershipAction.for_pair(w.n1, w.n2, w.u("approver_n2")).execute()
    assert are_partners(w.n1, w.n2) and not Partnership.objects.exists()


def test_switching_the_network_default_off_keeps_explicit_partnerships(w):
    p = request(w, frm="n1", to="a")
    AcceptPartnershipAction(p, w.u("approver_a")).execute()
    RegionalNetwork.objects.filter(slug="noord").update(link_members_by_default=False)
    n1 = LibraryPage.objects.get(pk=w.n1.pk)
    assert partner_ids(n1) == {w.a.pk}
    assert not are_partners(n1, w.n2)


def test_members_of_a_quiet_network_may_ask_each_other(w):
    p = request(w, frm="m1", to="m2", user=w.u("editor_m1"))
    assert p.status == "requested"


# The database guarantees -----------------------------------------------------------------


def test_one_open_partnership_per_pair_is_a_database_constraint(w):
    request(w)
    low, high = sorted((w.a, w.b), key=lambda lib: lib.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            library_a=low, library_b=high, requested_by_library=high
        )
    # Closed rows may repeat.
    for status in ("declined", "ended", "ended"):
        Partnership.objects.create(
            library_a=low, library_b=high, requested_by_library=low, status=status
        )


def test_the_pair_is_stored_in_order_and_never_the_same_library(w):
    low, high = sorted((w.a, w.b), key=lambda lib: lib.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            library_a=high, library_b=low, requested_by_library=low
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Partnership.objects.create(
            library_a=low, library_b=low, requested_by_library=low
        )


def test_partnership_error_is_a_validation_error(w):
    error = error_of(lambda: request(w, frm="a", to="a"))
    assert isinstance(error, ValidationError)
    assert error.messages == [str(error)]
