"""The SMART check's admin hooks, registered by ``bm_pages.wagtail_hooks``."""

from __future__ import annotations

from django.urls import path

from bm_pages.smart import admin_views, views
from bm_pages.smart.panels import SmartCheckPanel


def smart_check_panel():
    """The project editor's SMART panel, in bm_pages' editor slot."""
    return [SmartCheckPanel()]


def register_smart_admin_urls():
    urls = [
        path("check/", views.check_project_form, name="check"),
        path(
            "library/<db_id:library_id>/",
            admin_views.SmartCheckSettingView.as_view(),
            name="setting",
        ),
    ]
    return [path("bm-pages/smart/", (urls, "bm_pages_smart", "bm_pages_smart"))]


smart_setting_header_button = admin_views.smart_setting_header_button
