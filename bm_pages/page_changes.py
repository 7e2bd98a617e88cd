"""One change to a page at a time: admin requests that change a page are serialised.

Wagtail's edit view saves a revision and then publishes it in two steps. Two approvers
pressing "Publish" on one project at the same moment interleave them: A saves
revision 1, B saves revision 2 and publishes it, then A publishes revision 1 over it.
The live page is then older than the newest revision and the page reports unpublished
changes nobody left behind (Wagtail computes ``has_unpublished_changes`` from whether
a newer revision exists).

Here every admin POST that changes one page (edit, publish, workflow actions,
unpublish, move, delete, lock) runs in one transaction that first locks the page's
row (``select_for_update``), so the next request for the same page waits until the
previous one has committed and then works on what it left. Requests for other pages
are not held up. Locking the page first also fixes the order of locks for a workflow
decision (page, then task state: see ``workflow_decisions``). On SQLite the
``IMMEDIATE`` transactions of ``cms.settings.base.tune_sqlite`` serialise writers.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import Resolver404, resolve
from wagtail.models import Page

# Page admin views that only read or keep state in the session.
NOT_A_CHANGE = {"preview_on_edit", "preview_on_add", "search", "chooser"}


def changed_page_id(request) -> int | None:
    """The page an admin POST changes, or ``None`` for any other request."""
    if request.method != "POST":
        return None
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if match.namespace != "wagtailadmin_pages" or match.url_name in NOT_A_CHANGE:
        return None
    page_id = match.kwargs.get("page_id")
    return int(page_id) if page_id is not None else None


class OneChangePerPageMiddleware:
    """Run a page-changing admin POST in a transaction holding the page's row lock."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        page_id = changed_page_id(request)
        if page_id is None:
            return self.get_response(request)
        with transaction.atomic():
            # Evaluated for the lock; a missing page is left to the view's 404.
            list(Page.objects.select_for_update().filter(pk=page_id).values("pk"))
            return self.get_response(request)
