"""Admin menu items shown by a rule of ``bm_pages.permissions``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wagtail.admin.menu import MenuItem


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
