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
        self, label: Any, url: str, *, shown_to: Callable[[Any], bool], **kwargs: Any
    ) -> None:
        super().__init__(label, url, **kwargs)
        self.shown_to = shown_to

    def is_shown(self, request) -> bool:
        return self.shown_to(request.user)


class RuleViewSet(ViewSet):
    """A Wagtail viewset whose menu item (if it has one) is a ``RuleMenuItem``.

    Subclasses set ``menu_rule`` to the rule of ``bm_pages.permissions`` that decides
    who sees the item (wrapped in ``staticmethod``); the views check their own rules.
    """

    menu_rule: Callable[[Any], bool]

    def get_menu_item(self, order=None):
        return RuleMenuItem(
            self.menu_label,
            self.menu_url,
            shown_to=self.menu_rule,
            name=self.menu_name,
            icon_name=self.menu_icon,
            order=self.get_menu_item_order(order),
        )
