"""Building libraries, plans, projects and staff the way the product does.

The one place tests build pages: every test package (and ``bench/matching_e2e.py``)
uses these. Pages are published through revisions, as editors and workflows do, so
signal handlers (the matcher's outbox, for one) see the real path.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.utils import timezone
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug

from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import (
    AnnualPlanPage,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    RegionalNetwork,
)
from bm_pages.roles import LibraryRole, grant_role
from tests.factories import UserFactory


def network(slug: str, name: str) -> RegionalNetwork:
    return RegionalNetwork.objects.get_or_create(
        slug=slug, defaults={"name": name, "region": "Testland"}
    )[0]


def set_up_library(
    name: str,
    net: RegionalNetwork | None = None,
    visibility: str = LibraryPage.ProjectVisibility.ALL,
) -> LibraryPage:
    """A library set up like ``manage.py setup_library`` does, with its sharing choice."""
    library = (
        SetUpLibraryAction(name, network=net)
        .execute(skip_permission_checks=True)
        .library.specific
    )
    if library.project_visibility != visibility:
        library = LibraryPage.objects.get(pk=library.pk)
        library.project_visibility = visibility
        library.save_revision().publish()
    return LibraryPage.objects.get(pk=library.pk)


def add_plan(library: LibraryPage, year: int) -> AnnualPlanPage:
    plan = AnnualPlanPage(title=f"Jaarplan {year}", slug=f"jaarplan-{year}", year=year)
    library.add_child(instance=plan)
    plan.save_revision().publish()
    return AnnualPlanPage.objects.get(pk=plan.pk)


def publish_project(
    plan: AnnualPlanPage,
    title: str,
    summary: str = "",
    *,
    topics: Iterable[str] = (),
    live: bool = True,
    **fields,
) -> ProjectPage:
    """A project added as a draft and then published (or left a draft), as in the admin."""
    project = ProjectPage(
        title=title,
        slug=find_available_slug(plan, slugify(title)[:80]),
        summary=summary or f"{title}.",
        live=False,
        phase=fields.pop("phase", ProjectPage.Phase.DO),
        start_date=datetime.date(plan.year, 2, 1),
        end_date=datetime.date(plan.year, 11, 30),
        **fields,
    )
    plan.add_child(instance=project)
    chosen = list(PolicyTopic.objects.filter(slug__in=list(topics)))
    if chosen:
        project.policy_topics = chosen
    revision = project.save_revision()
    if live:
        revision.publish()
    return ProjectPage.objects.get(pk=project.pk)


def republish(page, **changes):
    """Change fields of a live page and publish the change, as an editor would."""
    page = type(page).objects.get(pk=page.pk)
    for name, value in changes.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def staff(library: LibraryPage, username: str, role: str = LibraryRole.EDITOR):
    user = UserFactory(username=username)
    grant_role(library, user, role)
    return user


def make_staff(library: LibraryPage, prefix: str, auditor_days: int = 365) -> dict:
    """An editor, an approver and an auditor (access for ``auditor_days``) of ``library``."""
    editor = UserFactory(username=f"redacteur-{prefix}", first_name="Eva")
    approver = UserFactory(username=f"goedkeurder-{prefix}", first_name="Gert")
    auditor = UserFactory(username=f"auditor-{prefix}", first_name="Anna")
    grant_role(library, editor, LibraryRole.EDITOR)
    grant_role(library, approver, LibraryRole.APPROVER)
    grant_role(
        library,
        auditor,
        LibraryRole.AUDITOR,
        expires_on=timezone.localdate() + datetime.timedelta(days=auditor_days),
    )
    return {"editor": editor, "approver": approver, "auditor": auditor}
