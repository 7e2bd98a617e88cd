"""Password reset answers without waiting for the mail (hardening item 11).

An existing address was answered in 19 ms and an unknown one in 9 ms: the time told
who has an account. Now the answer leaves before the account is looked up and the
mail is sent. Shown without a stopwatch: the mail backend here is held shut by a
gate, and the answer for an existing address still arrives at once, the same answer
as for an unknown one; when the gate opens, the mail goes out.

Over real HTTP against the live server (Wagtail's admin at /admin/password_reset/).
"""

from __future__ import annotations

import re
import threading
import time

import httpx
import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from tests.factories import UserFactory

GATE = threading.Event()


class GatedBackend(EmailBackend):
    """The locmem backend, holding every send until the test opens the gate."""

    def send_messages(self, messages):
        GATE.wait(60)
        return super().send_messages(messages)


@pytest.fixture
def gated_mail(settings):
    settings.EMAIL_BACKEND = f"{__name__}.GatedBackend"
    GATE.clear()
    mail.outbox = []
    yield
    GATE.set()  # never leave a request or mail thread waiting


def ask_for_reset(base_url: str, email: str) -> httpx.Response:
    with httpx.Client(base_url=base_url, timeout=15) as client:
        form = client.get("/admin/password_reset/")
        assert form.status_code == 200
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        return client.post(
            "/admin/password_reset/",
            data={"csrfmiddlewaretoken": token.group(1), "email": email},
        )


def wait_for_mail(count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while len(mail.outbox) < count and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_answer_does_not_wait_for_the_mail_and_the_mail_still_goes(
    live_server, gated_mail
):
    user = UserFactory(username="lid", email="lid@bibliotheek.example")

    known = ask_for_reset(live_server.url, "lid@bibliotheek.example")
    # The mail backend is still shut: the answer did not wait for it.
    assert not GATE.is_set()
    assert known.status_code == 302
    assert known.headers["Location"] == "/admin/password_reset/done/"
    assert mail.outbox == []

    GATE.set()
    wait_for_mail(1)
    (message,) = mail.outbox
    assert message.to == [user.email]
    assert "/admin/password_reset/confirm/" in message.body
    assert "wachtwoord te wijzigen" in message.body  # Dutch, as the request was


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_known_and_unknown_addresses_get_the_same_answer(live_server, gated_mail):
    UserFactory(username="lid", email="lid@bibliotheek.example")
    known = ask_for_reset(live_server.url, "lid@bibliotheek.example")
    unknown = ask_for_reset(live_server.url, "niemand@bibliotheek.example")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code,
        unknown.headers["Location"],
    )
    assert known.content == unknown.content
    GATE.set()
    wait_for_mail(1)
    time.sleep(0.5)  # an unknown address would have been sent by now too
    assert [m.to for m in mail.outbox] == [["lid@bibliotheek.example"]]
