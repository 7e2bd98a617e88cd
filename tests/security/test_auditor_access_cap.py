"""An auditor's access ends at most a year ahead (hardening item 11).

An approver could give an auditor access until 9999-12-31. The end date is capped
(``BM_PAGES["AUDITOR_ACCESS_MAX_DAYS"]``, 365 by default) wherever it is set: the
team admin (adding an existing user or creating one), ``grant_role`` for code and
the demo loader's set-up. Refusals are in Dutch and leave the database unchanged.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from bm_pages.actions.setup_library import assign_demo_roles
from bm_pages.models import LibraryMembership
from bm_pages.roles import (
    LibraryRole,
    grant_role,
    latest_access_end,
    library_group,
    today,
)
from tests.bm_pages.roles_helpers import make_staff, set_up_library
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

REFUSED = "De toegang van een auditor kan uiterlijk op"
FOR_GOOD = datetime.date(9999, 12, 31)


@pytest.fixture
def library():
    library = set_up_library("Bibliotheek Aland")
    library.staff = make_staff(library, "aland")
    return library


def approver_client(library) -> Client:
    client = Client()
    client.force_login(library.staff["approver"])
    return client


def add_auditor(library, username: str, ends: datetime.date):
    return approver_client(library).post(
        reverse("bm_pages_roles:team", args=[library.pk]),
        {
            "action": "add",
            "add-user": username,
            "add-role": "auditor",
            "add-expires_on": ends.isoformat(),
        },
    )


def memberships():
    return sorted(
        LibraryMembership.objects.values_list(
            "library_id", "user_id", "role", "expires_on"
        )
    )


@pytest.mark.parametrize(
    "ends",
    [FOR_GOOD, today() + datetime.timedelta(days=366)],
    ids=["9999-12-31", "a-day-too-far"],
)
def test_the_team_admin_refuses_an_end_date_past_the_cap(library, ends):
    external = UserFactory(username="extern-auditor")
    before = memberships()
    response = add_auditor(library, "extern-auditor", ends)
    assert response.status_code == 200
    page = response.content.decode()
    assert REFUSED in page and "hoogstens 365 dagen vanaf vandaag" in page
    assert memberships() == before
    group = library_group(library, LibraryRole.AUDITOR)
    assert not external.groups.filter(pk=group.pk).exists()


def test_creating_an_auditor_with_access_for_good_creates_nobody(library, mailoutbox):
    users_before = get_user_model().objects.count()
    before = memberships()
    response = approver_client(library).post(
        reverse("bm_pages_roles:team", args=[library.pk]),
        {
            "action": "create",
            "create-username": "eeuwig",
            "create-email": "eeuwig@example.org",
            "create-role": "auditor",
            "create-expires_on": FOR_GOOD.isoformat(),
        },
    )
    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert get_user_model().objects.count() == users_before
    assert memberships() == before
    assert mailoutbox == []


def test_the_last_allowed_day_is_accepted(library):
    external = UserFactory(username="extern-auditor")
    ends = latest_access_end()
    assert ends == today() + datetime.timedelta(days=365)
    response = add_auditor(library, "extern-auditor", ends)
    assert response.status_code == 302
    membership = LibraryMembership.objects.get(user=external)
    assert (membership.role, membership.expires_on) == ("auditor", ends)


def test_the_cap_is_a_setting(library, settings):
    settings.BM_PAGES = {**settings.BM_PAGES, "AUDITOR_ACCESS_MAX_DAYS": 30}
    UserFactory(username="extern-auditor")
    response = add_auditor(
        library, "extern-auditor", today() + datetime.timedelta(days=31)
    )
    assert response.status_code == 200
    assert "hoogstens 30 dagen vanaf vandaag" in response.content.decode()
    accepted = add_auditor(
        library, "extern-auditor", today() + datetime.timedelta(days=30)
    )
    assert accepted.status_code == 302


def test_grant_role_refuses_too_and_changes_nothing(library):
    auditor = library.staff["auditor"]
    before = memberships()
    with pytest.raises(ValidationError) as refused:
        grant_role(library, auditor, LibraryRole.AUDITOR, expires_on=FOR_GOOD)
    assert refused.value.code == "too_far_ahead"
    assert memberships() == before  # the existing membership kept its date
    newcomer = UserFactory(username="nieuw")
    with pytest.raises(ValidationError):
        grant_role(library, newcomer, LibraryRole.AUDITOR, expires_on=FOR_GOOD)
    assert not LibraryMembership.objects.filter(user=newcomer).exists()
    assert not newcomer.groups.exists()
    # Editors and approvers have no end date to cap.
    grant_role(library, newcomer, LibraryRole.EDITOR)


def test_the_demo_set_up_stays_within_the_cap(library, settings):
    settings.BM_PAGES = {**settings.BM_PAGES, "AUDITOR_ACCESS_MAX_DAYS": 30}
    auditor = UserFactory(username="auditor-demo")
    assign_demo_roles(library, "demo")
    membership = LibraryMembership.objects.get(user=auditor)
    assert membership.expires_on == today() + datetime.timedelta(days=30)
