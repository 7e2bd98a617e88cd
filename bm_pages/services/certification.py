"""The certification document environment, assurance and readiness, as plain data.

One module holds the queries behind the admin's "Documentomgeving", the audit
portal's sections (documents, plans, assurance projects, readiness) and
``manage.py assurance_due``, so they always agree. Functions take a library (and the
date to judge by) and return dataclasses and lists. They do not check permissions:
callers do (``bm_pages.documents_access``, the portal's ``serve()``, the admin views).

Every function runs a fixed number of queries whatever the number of documents or
projects, except that draft projects are read from their latest revision (one
deserialisation each; a plan has a handful of drafts at most).

It also holds the filing rules of ``LibraryDocument``: a document lives in its
library's collection, and the two are kept in step (``apply_filing_defaults``,
``filing_errors``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from bm_pages.models import (
    AnnualPlanPage,
    AssuranceCheck,
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    WorkField,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


# Filing: library and collection ---------------------------------------------------


def library_for_collection(collection_id: int | None) -> LibraryPage | None:
    """The library whose document collection this is, if any."""
    if collection_id is None:
        return None
    return LibraryPage.objects.filter(collection_id=collection_id).first()


def _collection_the_form_will_use(document: LibraryDocument) -> int | None:
    """The collection a new document will be saved in.

    Wagtail's document forms hide the collection field from users who may add to one
    collection only and fill it in on save, after validation; while validating, such
    a new document still points at the root collection. Its uploader's one
    collection is where it will go.
    """
    if document.collection_id is not None and library_for_collection(
        document.collection_id
    ):
        return document.collection_id
    user = getattr(document, "uploaded_by_user", None)
    if document.pk is None and user is not None:
        from wagtail.permissions import policy_registry

        collections = policy_registry.get_by_type(
            LibraryDocument
        ).collections_user_has_permission_for(user, "add")
        ids = list(collections.values_list("pk", flat=True)[:2])
        if len(ids) == 1:
            return ids[0]
    return document.collection_id


def filing_errors(document: LibraryDocument) -> dict[str, str]:
    """Why the document's library and collection do not fit together (empty if fine).

    A document in a library's collection must belong to that library: the collection
    is what scopes who may edit it, the library field who may download it.
    """
    if document.library_id is None:
        return {}
    owner = library_for_collection(_collection_the_form_will_use(document))
    if owner is not None and owner.pk != document.library_id:
        return {
            "library": _(
                "This document is stored in the collection of %(owner)s, so it "
                "belongs to %(owner)s. Choose %(owner)s or store the document in "
                "the collection of the library you chose."
            )
            % {"owner": owner.title}
        }
    return {}


def apply_filing_defaults(document: LibraryDocument) -> None:
    """Keep library and collection in step when a document is saved.

    - A document in a library's collection belongs to that library: the collection
      decides, because its permissions decide who edits the document. (Forms
      validate a contradiction with ``filing_errors`` first; this catches the one
      Wagtail form that fills in the collection only after validating.)
    - A document with a library but outside any library's collection (the root
      collection, say) moves into the library's collection.
    """
    owner = library_for_collection(document.collection_id)
    if owner is not None:
        if document.library_id != owner.pk:
            document.library = owner
        return
    if document.library_id is not None:
        collection_id = (
            LibraryPage.objects.filter(pk=document.library_id)
            .values_list("collection_id", flat=True)
            .first()
        )
        if collection_id is not None:
            document.collection_id = collection_id


# The document environment -----------------------------------------------------------


def library_documents(library: LibraryPage):
    """The library's documents with everything the environment shows, in 3 queries."""
    return (
        LibraryDocument.objects.filter(library=library)
        .select_related("work_field", "document_type", "owner")
        .prefetch_related(
            Prefetch("policy_topics", queryset=PolicyTopic.objects.order_by("name")),
            Prefetch("norms", queryset=WorkField.objects.all()),
        )
        .order_by("title", "pk")
    )


def is_overdue(document: LibraryDocument, today: datetime.date) -> bool:
    """Past its review date: the review date lies before ``today``."""
    return document.review_date is not None and document.review_date < today


@dataclass
class DocumentItem:
    """A document as listed: the document and whether its review is overdue."""

    document: LibraryDocument
    overdue: bool
    topics: list[PolicyTopic]
    norms: list[WorkField]


def document_items(library: LibraryPage, today: datetime.date) -> list[DocumentItem]:
    """The library's documents as listed, with their topics, norms and review state."""
    return [
        DocumentItem(
            document=document,
            overdue=is_overdue(document, today),
            topics=list(document.policy_topics.all()),
            norms=list(document.norms.all()),
        )
        for document in library_documents(library)
    ]


@dataclass
class TopicNode:
    """The documents of one policy topic (``topic`` is ``None``: no topic)."""

    topic: PolicyTopic | None
    items: list[DocumentItem] = field(default_factory=list)


@dataclass
class WorkFieldNode:
    """One work field with its documents per policy topic.

    ``work_field`` is ``None`` for documents not filed under a work field.
    """

    work_field: WorkField | None
    topics: list[TopicNode] = field(default_factory=list)
    document_count: int = 0

    @property
    def is_norm(self) -> bool:
        return (
            self.work_field is not None and self.work_field.kind == WorkField.Kind.NORM
        )


@dataclass
class DocumentEnvironment:
    """A library's documents ordered work field -> policy topic -> document.

    ``tree`` lists every norm of the framework (empty ones too, so gaps show),
    modules with documents, and last the documents without a work field.
    ``norms_without_evidence``: norms no document of the library evidences.
    ``overdue``: documents past their review date. ``total`` counts the documents
    shown (after filters); the two lists always cover all of the library's documents.
    """

    library: LibraryPage
    tree: list[WorkFieldNode]
    norms_without_evidence: list[WorkField]
    overdue: list[DocumentItem]
    total: int
    total_unfiltered: int
    today: datetime.date
    filtered: bool = False


def document_environment(
    library: LibraryPage,
    *,
    today: datetime.date | None = None,
    work_field: WorkField | None = None,
    policy_topic: PolicyTopic | None = None,
    overdue_only: bool = False,
) -> DocumentEnvironment:
    """The library's document environment, optionally filtered.

    :param library: the library.
    :param today: the date to judge review dates by (default: today).
    :param work_field: show only documents filed under this work field.
    :param policy_topic: show only documents about this policy topic.
    :param overdue_only: show only documents past their review date.
    """
    today = _today(today)
    work_fields = list(WorkField.objects.all())
    items = document_items(library, today)
    evidenced = {norm.pk for item in items for norm in item.norms}
    missing = [
        wf
        for wf in work_fields
        if wf.kind == WorkField.Kind.NORM and wf.pk not in evidenced
    ]
    overdue = sorted(
        (item for item in items if item.overdue),
        key=lambda item: (item.document.review_date, item.document.title),
    )

    shown = items
    if work_field is not None:
        shown = [i for i in shown if i.document.work_field_id == work_field.pk]
    if policy_topic is not None:
        shown = [i for i in shown if any(t.pk == policy_topic.pk for t in i.topics)]
    if overdue_only:
        shown = [i for i in shown if i.overdue]
    filtered = work_field is not None or policy_topic is not None or overdue_only

    by_field: dict[int | None, list[DocumentItem]] = defaultdict(list)
    for item in shown:
        by_field[item.document.work_field_id].append(item)
    tree = []
    for wf in work_fields:
        if work_field is not None and wf.pk != work_field.pk:
            continue
        field_items = by_field.get(wf.pk, [])
        if not field_items and (wf.kind != WorkField.Kind.NORM or filtered):
            continue
        tree.append(_work_field_node(wf, field_items, policy_topic))
    if by_field.get(None):
        tree.append(_work_field_node(None, by_field[None], policy_topic))
    return DocumentEnvironment(
        library=library,
        tree=tree,
        norms_without_evidence=missing,
        overdue=overdue,
        total=len(shown),
        total_unfiltered=len(items),
        today=today,
        filtered=filtered,
    )


def _work_field_node(
    work_field: WorkField | None,
    items: list[DocumentItem],
    only_topic: PolicyTopic | None,
) -> WorkFieldNode:
    topics: dict[int, TopicNode] = {}
    untagged = TopicNode(topic=None)
    for item in items:
        if not item.topics:
            untagged.items.append(item)
        for topic in item.topics:
            if only_topic is not None and topic.pk != only_topic.pk:
                continue
            topics.setdefault(topic.pk, TopicNode(topic=topic)).items.append(item)
    nodes = sorted(topics.values(), key=lambda n: (n.topic.sort_order, n.topic.name))
    if untagged.items:
        nodes.append(untagged)
    return WorkFieldNode(work_field=work_field, topics=nodes, document_count=len(items))


# Plans and projects as the portal shows them ---------------------------------------


@dataclass
class ProjectEntry:
    """A project as the audit portal shows it.

    ``page`` is the live version for a live project (what councils see) and the
    latest revision for a project that is not live (``is_draft``). A live project
    with a newer draft has ``has_pending_changes``.
    """

    page: ProjectPage
    is_draft: bool
    has_pending_changes: bool
    review_overdue: bool = False

    @property
    def pk(self) -> int:
        return self.page.pk


@dataclass
class PlanEntry:
    """An annual plan with its projects in tree order."""

    plan: AnnualPlanPage
    is_draft: bool
    projects: list[ProjectEntry]

    @property
    def regular_projects(self) -> list[ProjectEntry]:
        return [p for p in self.projects if not p.page.is_assurance]

    @property
    def assurance_projects(self) -> list[ProjectEntry]:
        return [p for p in self.projects if p.page.is_assurance]


def review_overdue(project: ProjectPage, today: datetime.date) -> bool:
    """An assurance project whose next review date has passed (and is not done)."""
    return (
        project.kind == ProjectPage.Kind.ASSURANCE
        and project.next_review_date is not None
        and project.next_review_date < today
        and project.phase != ProjectPage.Phase.DONE
    )


def _entries(pages: list[ProjectPage], today: datetime.date) -> list[ProjectEntry]:
    """Portal entries for ``pages``; drafts come from their latest revision.

    The revisions of all drafts are fetched in one query.
    """
    from wagtail.models import Revision

    revisions = Revision.objects.in_bulk(
        [
            page.latest_revision_id
            for page in pages
            if not page.live and page.latest_revision_id
        ]
    )
    entries = []
    for page in pages:
        revision = None if page.live else revisions.get(page.latest_revision_id)
        if revision is not None:
            shown = revision.as_object()
            shown.plan_id = page.plan_id
            shown.plan = page.plan
        else:
            shown = page
        entries.append(
            ProjectEntry(
                page=shown,
                is_draft=not page.live,
                has_pending_changes=page.live and page.has_unpublished_changes,
                review_overdue=review_overdue(shown, today),
            )
        )
    return entries


def library_projects(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[ProjectEntry]:
    """Every project of the library's plans, live ones as published, drafts as drafted."""
    pages = list(
        ProjectPage.objects.descendant_of(library)
        .select_related("plan", "focus_area")
        .prefetch_related("work_fields")
        .order_by("path")
    )
    return _entries(pages, _today(today))


def library_plans(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[PlanEntry]:
    """The library's annual plans, newest first, each with its projects."""
    today = _today(today)
    plans = list(AnnualPlanPage.objects.child_of(library).order_by("-year"))
    by_plan: dict[int, list[ProjectEntry]] = defaultdict(list)
    for entry in library_projects(library, today=today):
        by_plan[entry.page.plan_id].append(entry)
    return [
        PlanEntry(plan=plan, is_draft=not plan.live, projects=by_plan.get(plan.pk, []))
        for plan in plans
    ]


def library_project(
    library: LibraryPage, project_id: int, *, today: datetime.date | None = None
) -> ProjectEntry | None:
    """One project of the library (``None`` if it is not the library's)."""
    page = (
        ProjectPage.objects.descendant_of(library)
        .select_related("plan", "focus_area")
        .filter(pk=project_id)
        .first()
    )
    return None if page is None else _entries([page], _today(today))[0]


# Assurance ------------------------------------------------------------------------


@dataclass
class AssuranceEntry:
    """An assurance project with its completed cycles, newest first."""

    project: ProjectEntry
    checks: list[AssuranceCheck]

    @property
    def page(self) -> ProjectPage:
        return self.project.page

    @property
    def last_check(self) -> AssuranceCheck | None:
        return self.checks[0] if self.checks else None


def _checks_newest_first(page: ProjectPage) -> list[AssuranceCheck]:
    return sorted(
        page.assurance_checks.all(),
        key=lambda check: (check.date, check.sort_order or 0),
        reverse=True,
    )


def library_assurance(
    library: LibraryPage, *, today: datetime.date | None = None
) -> list[AssuranceEntry]:
    """The library's assurance projects with their cycle history, most urgent first."""
    today = _today(today)
    pages = list(
        ProjectPage.objects.descendant_of(library)
        .filter(kind=ProjectPage.Kind.ASSURANCE)
        .select_related("plan")
        .prefetch_related("assurance_checks", "work_fields")
        .order_by("path")
    )
    entries = []
    for entry in _entries(pages, today):
        if entry.page.kind != ProjectPage.Kind.ASSURANCE:
            continue  # the draft turned it into a regular project
        entries.append(
            AssuranceEntry(project=entry, checks=_checks_newest_first(entry.page))
        )
    return sorted(
        entries,
        key=lambda e: (
            not e.project.review_overdue,
            e.page.next_review_date or datetime.date.max,
            e.page.title,
        ),
    )


@dataclass
class LibraryDue:
    """The assurance projects of one library due on or before a date."""

    library: LibraryPage
    projects: list[ProjectPage]
    today: datetime.date

    @property
    def overdue_count(self) -> int:
        return sum(1 for p in self.projects if p.next_review_date < self.today)


def assurance_due(
    *, within_days: int, today: datetime.date | None = None
) -> list[LibraryDue]:
    """Assurance projects due within ``within_days`` days (overdue ones included).

    Grouped per library (by title), each group by due date. Projects in the phase
    "done" no longer recur and are left out. The projects get ``review_overdue``.

    :param within_days: how many days ahead to look (0: due today or overdue).
    :param today: the date to count from (default: today).
    """
    today = _today(today)
    limit = today + datetime.timedelta(days=within_days)
    projects = (
        ProjectPage.objects.filter(
            kind=ProjectPage.Kind.ASSURANCE,
            next_review_date__isnull=False,
            next_review_date__lte=limit,
            plan__library__isnull=False,
        )
        .exclude(phase=ProjectPage.Phase.DONE)
        .select_related("plan__library")
        .order_by("next_review_date", "title", "pk")
    )
    groups: dict[int, LibraryDue] = {}
    for project in projects:
        library = project.plan.library
        project.review_overdue = project.next_review_date < today
        groups.setdefault(library.pk, LibraryDue(library, [], today)).projects.append(
            project
        )
    return sorted(groups.values(), key=lambda g: (g.library.title, g.library.pk))


# Readiness -------------------------------------------------------------------------


class ReadinessStatus:
    READY = "ready"
    ATTENTION = "attention"
    MISSING = "missing"


@dataclass
class NormReadiness:
    """How ready a library is on one norm (or module) of the framework.

    ``evidence``: documents naming the norm among the norms they evidence;
    ``overdue_evidence``: those past their review date; ``projects``: regular
    projects contributing to the norm (work fields); ``assurance``: assurance
    projects for the norm, ``overdue_assurance`` those whose review has passed.

    Status: ``missing`` without any evidence document; ``attention`` when some
    evidence is past its review date or an assurance project for the norm is
    overdue; ``ready`` otherwise.
    """

    norm: WorkField
    evidence: list[DocumentItem]
    projects: list[ProjectEntry]
    assurance: list[ProjectEntry]

    @property
    def overdue_evidence(self) -> list[DocumentItem]:
        return [item for item in self.evidence if item.overdue]

    @property
    def current_evidence(self) -> list[DocumentItem]:
        return [item for item in self.evidence if not item.overdue]

    @property
    def overdue_assurance(self) -> list[ProjectEntry]:
        return [entry for entry in self.assurance if entry.review_overdue]

    @property
    def status(self) -> str:
        if not self.evidence:
            return ReadinessStatus.MISSING
        if self.overdue_evidence or self.overdue_assurance:
            return ReadinessStatus.ATTENTION
        return ReadinessStatus.READY

    @property
    def status_label(self) -> str:
        return {
            ReadinessStatus.READY: _("ready"),
            ReadinessStatus.ATTENTION: _("needs attention"),
            ReadinessStatus.MISSING: _("no evidence"),
        }[self.status]


@dataclass
class Readiness:
    """The readiness overview: one row per norm, and modules in use."""

    library: LibraryPage
    rows: list[NormReadiness]
    today: datetime.date

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def summary(self) -> dict[str, int]:
        return {
            ReadinessStatus.READY: self.count(ReadinessStatus.READY),
            ReadinessStatus.ATTENTION: self.count(ReadinessStatus.ATTENTION),
            ReadinessStatus.MISSING: self.count(ReadinessStatus.MISSING),
        }


def readiness_overview(
    library: LibraryPage, *, today: datetime.date | None = None
) -> Readiness:
    """Per norm of the framework: evidence documents, related projects, status.

    All seven norms are listed; a module only when the library has evidence or
    projects for it. Projects count from every plan of the library, drafts
    included (as drafted).
    """
    today = _today(today)
    items = document_items(library, today)
    projects = library_projects(library, today=today)
    evidence_by_norm: dict[int, list[DocumentItem]] = defaultdict(list)
    for item in items:
        for norm in item.norms:
            evidence_by_norm[norm.pk].append(item)
    projects_by_norm: dict[int, list[ProjectEntry]] = defaultdict(list)
    for entry in projects:
        for wf in entry.page.work_fields.all():
            projects_by_norm[wf.pk].append(entry)
    rows = []
    for norm in WorkField.objects.all():
        evidence = evidence_by_norm.get(norm.pk, [])
        related = projects_by_norm.get(norm.pk, [])
        if norm.kind != WorkField.Kind.NORM and not evidence and not related:
            continue
        rows.append(
            NormReadiness(
                norm=norm,
                evidence=evidence,
                projects=[e for e in related if not e.page.is_assurance],
                assurance=[e for e in related if e.page.is_assurance],
            )
        )
    return Readiness(library=library, rows=rows, today=today)


# Who may open a library's audit portal ---------------------------------------------


def can_view_audit_portal(
    user: AbstractBaseUser | AnonymousUser | None, library: LibraryPage | None
) -> bool:
    """Superusers, and the library's editors, approvers and (unexpired) auditors."""
    from bm_pages.roles import user_roles

    if user is None or library is None or not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return bool(user.is_superuser) or bool(user_roles(user, library))


def portal_counts(
    library: LibraryPage, *, today: datetime.date | None = None
) -> dict[str, int]:
    """Headline figures for the portal's start page (four count queries)."""
    today = _today(today)
    documents = LibraryDocument.objects.filter(library=library)
    return {
        "documents": documents.count(),
        "documents_overdue": documents.filter(review_date__lt=today).count(),
        "plans": AnnualPlanPage.objects.child_of(library).count(),
        "projects": ProjectPage.objects.descendant_of(library).count(),
    }


# Setting up a library's portal -----------------------------------------------------

PORTAL_TITLE = "Auditportaal"  # data shown to everyone, in the site's language
PORTAL_SLUG = "auditportaal"


def ensure_audit_portal(library: LibraryPage, groups) -> list[str]:
    """Make sure ``library`` has a live audit portal restricted to ``groups``.

    Creates the ``AuditPortalPage`` below the library (published, not through the
    workflow: it holds no content of its own) and a Wagtail view restriction of
    type "groups" for the library's role groups. An existing portal is kept as it
    is; missing groups are added to its restriction. Returns what it created.

    :param library: the library (set up, with its role groups).
    :param groups: the groups allowed in (editors, approvers, auditors).
    """
    from wagtail.models import Page, PageViewRestriction

    from bm_pages.models import AuditPortalPage

    created: list[str] = []
    portal = AuditPortalPage.objects.child_of(library).first()
    if portal is None:
        parent = Page.objects.get(pk=library.pk)
        slug = PORTAL_SLUG
        if parent.get_children().filter(slug=slug).exists():
            slug = f"{PORTAL_SLUG}-{library.pk}"
        portal = parent.add_child(
            instance=AuditPortalPage(title=PORTAL_TITLE, slug=slug, live=False)
        )
        portal.save_revision().publish()
        created.append("audit_portal")
    restriction = PageViewRestriction.objects.filter(
        page=portal, restriction_type=PageViewRestriction.GROUPS
    ).first()
    if restriction is None:
        restriction = PageViewRestriction.objects.create(
            page=portal, restriction_type=PageViewRestriction.GROUPS
        )
        restriction.groups.set(list(groups))
        created.append("portal_restriction")
        return created
    have = set(restriction.groups.values_list("pk", flat=True))
    missing = [group for group in groups if group.pk not in have]
    if missing:
        restriction.groups.add(*missing)
        created.append("portal_groups")
    return created
