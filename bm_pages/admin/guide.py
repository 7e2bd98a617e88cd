"""The Help menu: a short Dutch guide served by the product, in place of Wagtail's
English editor guide and release notes; and Wagtail's technical "Reports" menu
kept for superusers."""

from __future__ import annotations

from django.template.loader import select_template
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.permissions import is_superuser

#: Wagtail's help items that lead to English pages on wagtail.org.
WAGTAIL_GUIDE_ITEMS = frozenset({"editor-guide"})


class GuideView(WagtailAdminTemplateMixin, TemplateView):
    """The guide: the main flows for librarians (editors), approvers and auditors."""

    template_name = "bm_pages/admin/help/guide.html"
    page_title = _("Guide")
    header_icon = "help"
    #: The guide is written per language; Dutch is the one every librarian reads.
    fallback_language = "nl"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        language = get_language() or self.fallback_language
        context["guide_body"] = select_template(
            [
                f"bm_pages/admin/help/guide_{language[:2]}.html",
                f"bm_pages/admin/help/guide_{self.fallback_language}.html",
            ]
        )
        return context


def guide_menu_item() -> MenuItem:
    return MenuItem(
        _("Guide to Biblio Monitor"),
        reverse("bm_help:guide"),
        name="bm-guide",
        icon_name="help",
        order=1000,
    )


def only_our_guide(request, menu_items: list) -> None:
    """Drop Wagtail's English guide and "what's new" items from the Help menu."""
    menu_items[:] = [
        item
        for item in menu_items
        if item.name not in WAGTAIL_GUIDE_ITEMS
        and not item.name.startswith("whats-new-in-wagtail")
    ]


def reports_for_superusers_only(request, menu_items: list) -> None:
    """Wagtail's "Reports" (locked pages, page types, site history) are for the
    people who run the site, not for librarians."""
    if not is_superuser(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "reports"]
