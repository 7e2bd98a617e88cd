"""Admin: API keys (created and revoked per user) and the one-click annual report."""

from __future__ import annotations

import re

import pytest
from rest_framework.authtoken.models import Token
from wagtail.models import ModelLogEntry

from bm_pages.actions.api_keys import (
    LOG_CREATE,
    LOG_REVOKE,
    ApiKeyPermissionError,
    CreateApiKeyAction,
    RevokeApiKeyAction,
)
from tests.api.conftest import set_up, token_client, user_with_role

pytestmark = pytest.mark.django_db

KEYS_URL = "/admin/api-sleutels/"


def new_key_in(response) -> str:
    match = re.search(
        r"<code data-bm-key>([0-9a-f]{40})</code>", response.content.decode()
    )
    assert match, response.content.decode()[:2000]
    return match.group(1)


def test_user_creates_uses_and_revokes_own_key(client, page_tree, editor):
    client.force_login(editor)
    page = client.get(KEYS_URL)
    assert page.status_code == 200
    assert "U hebt geen API-sleutel." in page.content.decode()
    assert "Alle API-sleutels" not in page.content.decode()  # superusers only

    created = client.post(KEYS_URL, {"action": "create"})
    key = new_key_in(created)
    assert "Kopieer hem nu" in created.content.decode()
    assert Token.objects.get(user=editor).key == key
    assert (
        token_client(Token.objects.get(key=key)).get("/api/plans/").status_code == 200
    )

    # Afterwards only a preview is shown, never the whole key again.
    again = client.get(KEYS_URL).content.decode()
    assert key not in again and key[:6] in again

    revoked = client.post(KEYS_URL, {"action": "revoke"}, follow=True)
    assert "is ingetrokken" in revoked.content.decode()
    assert not Token.objects.filter(user=editor).exists()
    api = token_client(Token(key=key))
    assert api.get("/api/plans/").status_code == 401


def test_replacing_a_key_revokes_the_old_one(client, page_tree, editor, editor_token):
    client.force_login(editor)
    new_key = new_key_in(client.post(KEYS_URL, {"action": "create"}))
    assert new_key != editor_token.key
    assert token_client(editor_token).get("/api/plans/").status_code == 401
    assert (
        token_client(Token.objects.get(key=new_key)).get("/api/plans/").status_code
        == 200
    )


def refused(response) -> bool:
    """Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard."""
    return response.status_code == 302 and response["Location"] == "/admin/"


def test_users_cannot_touch_other_users_keys(client, page_tree, editor):
    colleague = user_with_role(page_tree.library, "approver", "collega")
    colleague_token = Token.objects.create(user=colleague)
    client.force_login(editor)
    assert refused(client.post(KEYS_URL, {"action": "revoke", "user": colleague.pk}))
    assert refused(client.post(KEYS_URL, {"action": "create", "user": colleague.pk}))
    assert Token.objects.get(user=colleague).key == colleague_token.key
    assert not Token.objects.filter(user=editor).exists()


def test_superuser_manages_any_users_key(client, page_tree, editor, django_user_model):
    admin = django_user_model.objects.create_superuser("beheer", "b@example.org", "pw")
    client.force_login(admin)
    key = new_key_in(client.post(KEYS_URL, {"action": "create", "user": editor.pk}))
    assert Token.objects.get(user=editor).key == key
    listing = client.get(KEYS_URL).content.decode()
    assert "Alle API-sleutels" in listing and "redacteur-teststad" in listing

    client.post(KEYS_URL, {"action": "revoke", "user": editor.pk})
    assert not Token.objects.filter(user=editor).exists()


def test_creating_and_revoking_keys_are_both_logged(client, page_tree, editor):
    client.force_login(editor)
    client.post(KEYS_URL, {"action": "create"})
    client.post(KEYS_URL, {"action": "create"})  # replaces: revokes the first
    client.post(KEYS_URL, {"action": "revoke"})
    actions = list(
        ModelLogEntry.objects.filter(user=editor)
        .order_by("timestamp", "pk")
        .values_list("action", flat=True)
    )
    assert actions == [LOG_CREATE, LOG_REVOKE, LOG_CREATE, LOG_REVOKE]


def test_key_actions_refuse_other_users_keys_for_non_superusers(page_tree, editor):
    colleague = user_with_role(page_tree.library, "approver", "collega2")
    Token.objects.create(user=colleague)
    with pytest.raises(ApiKeyPermissionError):
        RevokeApiKeyAction(colleague, user=editor).execute()
    with pytest.raises(ApiKeyPermissionError):
        CreateApiKeyAction(colleague, user=editor).execute()
    assert Token.objects.filter(user=colleague).exists()
    # A command acting for the system may skip the check.
    assert RevokeApiKeyAction(colleague, user=editor).execute(
        skip_permission_checks=True
    )


def test_keys_page_needs_an_admin_login(client, page_tree):
    response = client.get(KEYS_URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_account_page_links_to_api_keys(client, page_tree, editor):
    client.force_login(editor)
    account = client.get("/admin/account/").content.decode()
    assert KEYS_URL in account and "API-sleutels" in account


# The annual report in the admin -----------------------------------------------------


def report_url(plan, fmt: str) -> str:
    return f"/admin/bm-reports/annual-report/{plan.pk}/{fmt}/"


def test_editor_downloads_the_report_with_one_click(client, page_tree, editor):
    client.force_login(editor)
    edit_page = client.get(f"/admin/pages/{page_tree.plan.pk}/edit/").content.decode()
    assert report_url(page_tree.plan, "pdf") in edit_page
    assert report_url(page_tree.plan, "docx") in edit_page
    assert "Jaarverslag (PDF)" in edit_page

    pdf = client.get(report_url(page_tree.plan, "pdf"))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert "jaarverslag-bibliotheek-teststad-2026.pdf" in pdf["Content-Disposition"]
    docx = client.get(report_url(page_tree.plan, "docx"))
    assert docx.status_code == 200
    assert docx.content.startswith(b"PK")


def test_report_buttons_are_in_the_page_listing(client, page_tree, editor):
    client.force_login(editor)
    listing = client.get(f"/admin/pages/{page_tree.library.pk}/").content.decode()
    assert report_url(page_tree.plan, "pdf") in listing


def test_others_get_no_report(
    client, page_tree, editor, other_library, django_user_model
):
    stranger = user_with_role(other_library, "editor", "redacteur-elders")
    client.force_login(stranger)
    assert refused(client.get(report_url(page_tree.plan, "pdf")))

    auditor = user_with_role(set_up(page_tree.library), "auditor", "auditor-teststad")
    client.force_login(auditor)
    response = client.get(report_url(page_tree.plan, "pdf"))
    assert response.status_code in (302, 403)
    assert not response.content.startswith(b"%PDF")

    client.logout()
    assert "/admin/login/" in client.get(report_url(page_tree.plan, "pdf"))["Location"]

    admin = django_user_model.objects.create_superuser("beheer", "b@example.org", "pw")
    client.force_login(admin)
    assert client.get(report_url(page_tree.plan, "xls")).status_code == 404
    assert client.get(report_url(page_tree.live_project, "pdf")).status_code == 404
    assert client.get(report_url(page_tree.plan, "pdf")).status_code == 200
