"""Item 8 of the hardening review: repeated wrong passwords lock the login.

Through the real login forms (the Wagtail admin's and the front-end login the audit
portal sends people to): after ``AXES_FAILURE_LIMIT`` failures for one username from
one address, that pair is refused with a Dutch message (status 429), even with the
right password, until the cool-off has passed. Other addresses and other users are
not affected, and a forged ``X-Forwarded-For`` does not give a fresh count.
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client

from bm_pages.models import AuditPortalPage
from tests.bm_pages.roles_helpers import PASSWORD, make_staff, set_up_library
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
PORTAL_LOGIN = "/_util/login/"
LOCKED_NL = "Te veel mislukte inlogpogingen"
WRONG_NL = "gebruikersnaam en wachtwoord komen niet overeen"


@pytest.fixture
def user(db):
    return UserFactory(username="slachtoffer", is_superuser=True, is_staff=True)


def attempt(client: Client, url: str, username: str, password: str, **extra):
    return client.post(
        url,
        {"username": username, "password": password},
        REMOTE_ADDR="203.0.113.7",
        **extra,
    )


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def fail_until_locked(client: Client, url: str, username: str, **extra):
    """Wrong passwords up to the limit; returns the last response."""
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(1, limit + 1):
        response = attempt(client, url, username, "fout-wachtwoord", **extra)
        if n < limit:
            assert response.status_code == 200, n  # the form again, "wrong password"
    return response


def test_admin_login_locks_after_the_limit_and_refuses_the_right_password(user):
    client = Client()
    response = fail_until_locked(client, ADMIN_LOGIN, user.username)
    assert response.status_code == 429
    page = response.content.decode()
    assert LOCKED_NL in page and "15 minuten" in page
    assert 'class="login-form"' in page  # the admin's own sign-in page
    assert "no-store" in response["Cache-Control"]

    response = attempt(client, ADMIN_LOGIN, user.username, PASSWORD)
    assert response.status_code == 429
    assert LOCKED_NL in response.content.decode()
    assert not signed_in(client)
    assert client.get("/admin/").status_code == 302  # still sent to the login
    record = AccessAttempt.objects.get(username=user.username)
    assert record.ip_address == "203.0.113.7"
    assert record.failures_since_start >= settings.AXES_FAILURE_LIMIT


def test_below_the_limit_the_right_password_works_and_resets_the_count(user):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = attempt(client, ADMIN_LOGIN, user.username, "fout-wachtwoord")
        assert response.status_code == 200
        assert WRONG_NL in response.content.decode()
    assert attempt(client, ADMIN_LOGIN, user.username, PASSWORD).status_code == 302
    assert signed_in(client)
    assert not AccessAttempt.objects.filter(username=user.username).exists()


def test_lockout_is_per_user_and_address(user):
    fail_until_locked(Client(), ADMIN_LOGIN, user.username)
    # The same user from another address signs in.
    other_place = Client()
    response = other_place.post(
        ADMIN_LOGIN,
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="198.51.100.20",
    )
    assert response.status_code == 302 and signed_in(other_place)
    # Another user from the locked address signs in.
    colleague = UserFactory(username="collega", is_superuser=True, is_staff=True)
    same_place = Client()
    assert (
        attempt(same_place, ADMIN_LOGIN, colleague.username, PASSWORD).status_code
        == 302
    )
    assert signed_in(same_place)


def test_forged_forwarded_for_does_not_give_a_fresh_count(user):
    """Without a configured proxy, X-Forwarded-For is not the client's address."""
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for n in range(limit):
        response = attempt(
            client,
            ADMIN_LOGIN,
            user.username,
            "fout-wachtwoord",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}",
        )
    assert response.status_code == 429
    response = attempt(
        client, ADMIN_LOGIN, user.username, PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9"
    )
    assert response.status_code == 429 and not signed_in(client)


def test_after_the_cool_off_the_right_password_works(user):
    client = Client()
    fail_until_locked(client, ADMIN_LOGIN, user.username)
    assert attempt(client, ADMIN_LOGIN, user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.filter(username=user.username).update(
        attempt_time=datetime.datetime.now(datetime.UTC)
        - settings.AXES_COOLOFF_TIME
        - datetime.timedelta(minutes=1)
    )
    assert attempt(client, ADMIN_LOGIN, user.username, PASSWORD).status_code == 302
    assert signed_in(client)


def test_audit_portal_login_locks_with_a_dutch_message(db):
    library = set_up_library("Bibliotheek Aland")
    auditor = make_staff(library, "aland")["auditor"]
    portal = AuditPortalPage.objects.child_of(library).get()
    client = Client()
    url = f"{PORTAL_LOGIN}?next={portal.url}"
    assert client.get(portal.url).status_code == 302  # sent to this login

    response = fail_until_locked(client, url, auditor.username)
    assert response.status_code == 429
    page = response.content.decode()
    assert 'data-bm="login-locked"' in page and LOCKED_NL in page
    assert 'data-bm="login"' in page  # the portal's own sign-in page
    assert WRONG_NL not in page

    response = attempt(client, url, auditor.username, PASSWORD)
    assert response.status_code == 429 and not signed_in(client)
    assert client.get(portal.url).status_code == 302


def test_limit_and_cool_off_come_from_the_environment():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "LOGIN_FAILURE_LIMIT": "3",
        "LOGIN_COOLOFF_MINUTES": "45",
    }
    code = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.AXES_FAILURE_LIMIT, "
        "settings.AXES_COOLOFF_TIME.total_seconds()]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        cwd=settings.BASE_DIR,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [3, 45 * 60]
