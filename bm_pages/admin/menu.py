"""Admin menu items shown by a rule of ``bm_pages.permissions``, and the viewset that
carries one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet


class RuleMenuItem(MenuItem):
    """A menu item shown to the users ``shown_to(user)`` lets in.

    One class for every menu item of the apps: what differs is the rule, which lives
    with the others in ``bm_pages.permissions``.
    """

    def __init__(
        self,
        label: Any,
        url: str,
        *,
        shown_to: Callable[[Any], bool],
        badge: Callable[[Any], int] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to
        self.badge = badge

    def is_shown(self, request) -> bool:
        return self.shown_to(request.user)

    def render_component(self, request):
        """The label with a count of what waits for the user ("Netwerk (2)"), if any:
        the sidebar has no badge of its own."""
        component = super().render_component(request)
        count = self.badge(request.user) if self.badge else 0
        if count:
            component.label = f"{self.label} ({count})"
        return component


class RuleViewSet(ViewSet):
    """A Wagtail viewset whose menu item (if it has one) is a ``RuleMenuItem``.

    Subclasses set ``menu_rule`` to the rule of ``bm_pages.permissions`` that decides
    who sees the item (wrapped in ``staticmethod``); the views check their own rules.
    """

    menu_rule: Callable[[Any], bool]
    #: What waits for the user there, counted (optional; wrapped in ``staticmethod``).
    menu_badge: Callable[[Any], int] | None = None

    def get_menu_item(self, order=None):
        return RuleMenuItem(
            self.menu_label,
            self.menu_url,
            shown_to=self.menu_rule,
            badge=self.menu_badge,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
