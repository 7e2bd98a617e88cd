"""What the editor is told at the top of a page's edit view: that a reviewer asked
for changes (who, when, and the comment), where an imported project came from (with a
link to the source when the user may open it), and which indicators of a project copied
from last year start at their target.

Shown as Wagtail messages from ``before_edit_page``, so they sit at the top of the
editor in Wagtail's own style, on opening the page (not after saving it).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.admin import messages
from wagtail.models import TaskState, WorkflowState

from bm_pages.formatting import figure, long_date
from bm_pages.models import ProjectPage
from bm_pages.permissions import works_for
from bm_pages.roles import library_of


def changes_requested_message(page) -> str | None:
    """ "Gert Goedkeurder asked for changes on 6 December 2026: “...”", or ``None``
    when the page's review is not waiting for changes."""
    state = page.current_workflow_state
    if state is None or state.status != WorkflowState.STATUS_NEEDS_CHANGES:
        return None
    rejection = (
        TaskState.objects.filter(workflow_state=state, status=TaskState.STATUS_REJECTED)
        .select_related("finished_by")
        .order_by("-finished_at")
        .first()
    )
    if rejection is None:
        return _("A reviewer asked for changes.")
    reviewer = rejection.finished_by
    name = (
        (reviewer.get_full_name() or reviewer.get_username())
        if reviewer
        else _("A reviewer")
    )
    when = date_format(rejection.finished_at, "j F Y") if rejection.finished_at else ""
    if rejection.comment:
        return _("%(reviewer)s asked for changes on %(date)s: “%(comment)s”") % {
            "reviewer": name,
            "date": when,
            "comment": rejection.comment,
        }
    return _("%(reviewer)s asked for changes on %(date)s.") % {
        "reviewer": name,
        "date": when,
    }


def provenance_message(page) -> str | None:
    """ "Imported from Bibliotheek Y – X (6 December 2026)." for an imported
    project: library, source title and the import date (else the source's plan
    year), each only when known."""
    if not isinstance(page, ProjectPage) or not page.source_title:
        return None
    parts = {"title": page.source_title}
    if page.source_library_name:
        text = _("Imported from %(library)s – %(title)s")
        parts["library"] = page.source_library_name
    else:
        text = _("Imported from “%(title)s”")
    when = long_date(page.imported_at) if page.imported_at else page.source_year
    if when:
        return (text + " (%(when)s).") % {**parts, "when": when}
    return (text + ".") % parts


def source_link(page, user) -> str | None:
    """Where ``user`` may open the source of an imported project: its editor for
    the source library's own staff, else its public page while it is live."""
    if not page.source_page_id:
        return None
    source = ProjectPage.objects.filter(pk=page.source_page_id).first()
    if source is None:
        return None
    if works_for(user, library_of(source)):
        return reverse("wagtailadmin_pages:edit", args=[source.pk])
    public = ProjectPage.objects.live().public().filter(pk=source.pk).first()
    return public.get_url() if public else None


def indicators_at_target_messages(page) -> list[str]:
    """For a project copied to a new year: its indicators whose baseline (last year's
    result) already equals the target, as the editors last saved them."""
    if not isinstance(page, ProjectPage) or not page.copied_from_id:
        return []
    latest = page.get_latest_revision_as_object() if page.latest_revision_id else page
    return [
        _("“%(indicator)s” starts at its target (%(target)s): set a new target.")
        % {"indicator": indicator.name, "target": figure(indicator.target)}
        for indicator in latest.indicators.all()
        if indicator.baseline is not None and indicator.baseline == indicator.target
    ]


def editor_banners(request, page) -> None:
    if request.method != "GET":
        return
    page = page.specific
    changes = changes_requested_message(page)
    if changes:
        messages.warning(request, changes)
    provenance = provenance_message(page)
    if provenance:
        url = source_link(page, request.user)
        buttons = [messages.button(url, _("Open the source"))] if url else None
        messages.info(request, provenance, buttons=buttons)
    for message in indicators_at_target_messages(page):
        messages.warning(request, message)
