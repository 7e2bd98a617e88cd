"""The admin dashboard warning "The search index is behind", for superusers.

Editors never wait for the matcher (publishing writes an outbox row), so an outage
is silent for them; this panel tells the people who can fix it. Shown only when rows
have been failing or waiting longer than ``LAG_WARNING``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, Q
from django.utils import timezone
from wagtail.admin.ui.components import Component

from .models import IndexOutbox

LAG_WARNING = datetime.timedelta(minutes=5)


@dataclass
class OutboxHealth:
    pending: int
    failing: int
    oldest: datetime.datetime | None
    last_error: str

    @property
    def needs_attention(self) -> bool:
        lagging = self.oldest is not None and timezone.now() - self.oldest > LAG_WARNING
        return bool(self.failing) or lagging


def outbox_health() -> OutboxHealth:
    """Backlog, failing rows and the newest error, in two small queries."""
    pending = IndexOutbox.objects.pending()
    stats = pending.aggregate(
        pending=Count("id"),
        failing=Count("id", filter=Q(attempts__gt=0)),
        oldest=Min("created_at"),
    )
    last_error = ""
    if stats["failing"]:
        last_error = (
            pending.filter(attempts__gt=0)
            .order_by("-next_attempt_at")
            .values_list("last_error", flat=True)
            .first()
            or ""
        )
    return OutboxHealth(
        stats["pending"], stats["failing"], stats["oldest"], last_error[:300]
    )


class IndexStatusPanel(Component):
    name = "bm_matching_index_status"
    template_name = "bm_matching/dashboard/index_status.html"
    order = 80

    def __init__(self, health: OutboxHealth) -> None:
        self.health = health

    def get_context_data(self, parent_context: Any = None) -> dict[str, Any]:
        return {"health": self.health}
