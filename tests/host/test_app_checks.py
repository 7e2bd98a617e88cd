"""bm_pages' system checks tell a host site what it must set."""

from django.core import checks
from django.test import override_settings

from bm_pages.checks import document_model_check, frontend_login_check


def ids(messages) -> list[str]:
    return [message.id for message in messages]


def test_this_site_passes_both_checks():
    everything = checks.run_checks()
    assert not {"bm_pages.E001", "bm_pages.W001"} & set(ids(everything))


@override_settings(WAGTAILDOCS_DOCUMENT_MODEL="wagtaildocs.Document")
def test_wagtails_own_document_model_is_an_error_with_the_fix():
    (error,) = document_model_check()
    assert error.id == "bm_pages.E001" and error.is_serious()
    assert 'WAGTAILDOCS_DOCUMENT_MODEL = "bm_pages.LibraryDocument"' in error.hint


@override_settings(WAGTAIL_FRONTEND_LOGIN_TEMPLATE=None)
def test_a_missing_login_template_is_a_warning():
    (warning,) = frontend_login_check()
    assert warning.id == "bm_pages.W001" and not warning.is_serious()
    assert "bm_pages/frontend_login.html" in warning.hint
