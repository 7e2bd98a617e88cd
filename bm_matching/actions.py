"""Import a project of another library into one's own annual plan.

The import is a *draft* copy below the chosen plan, made with Wagtail's page copy as
``bm_pages.actions.copy`` makes next year's copies, from the source's **live**
content (never its drafts). It keeps what the project is (title, summary, SMART
fields, indicators, activities, taxonomy) and starts afresh where the source's
history is its own:

- indicator results are cleared (targets and baselines stay, to adapt);
- the PDCA phase goes back to plan; the PDCA log, evaluation and completed
  assurance checks stay with the source;
- activities are planned again; all dates move by the difference between the two
  plans' years;
- provenance is recorded: ``source_page``, ``source_title``,
  ``source_library_name``, ``source_year``, ``source_url``, ``imported_at`` and
  ``source_snapshot`` (the SMART fields at import, see ``bm_matching.provenance``).

With ``copy_documents`` the evidence documents of the source's PDCA log that the
source's library shares with the importing library (its own documents, public or
"partners" when the two are partners: ``bm_pages.documents_access``) are copied
into the importer's collection as new documents of the importing library, visible
to it only. The source is never changed. The draft then goes through the
importing library's own moderation workflow.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.actions.copy_page import CopyPageAction
from wagtail.coreutils import find_available_slug
from wagtail.models import Collection, Page

from bm_pages import documents_access
from bm_pages.actions.copy import EXCLUDED_PROJECT_RELATIONS, add_years
from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    LibraryDocument,
    LibraryPage,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
)
from bm_pages.partnerships import are_partners
from bm_pages.permissions import may_import_from, works_for

from .indexing import load_states
from .provenance import smart_snapshot

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser
    from django.http import HttpRequest


class ImportPartnerProjectPermissionError(PermissionDenied):
    """The user may not import this project into this plan.

    ``reason`` is ``"target"`` (not an editor or approver of the plan's library) or
    ``"source"`` (the project is not live or not shared with that library).
    """

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ImportPartnerProjectError(Exception):
    """The import cannot be made as asked (see the message), e.g. a wrong focus area."""


class AlreadyImportedError(ImportPartnerProjectError):
    """The plan already holds a copy of this source (draft or live): ``existing``."""

    def __init__(self, message: str, existing: ProjectPage) -> None:
        super().__init__(message)
        self.existing = existing


@dataclass
class ImportResult:
    """The new draft, and the documents copied into the importer's collection."""

    project: ProjectPage
    documents: list[LibraryDocument] = field(default_factory=list)


def shared_evidence(source: ProjectPage, library: LibraryPage) -> list[LibraryDocument]:
    """The evidence documents of ``source``'s PDCA log that ``library`` may copy.

    The sharing rule of ``bm_pages.documents_access``: documents of the source's own
    library that are public, or "partners" ones when ``library`` is its partner;
    never "own" documents, never another library's. Each once, in log order.

    :param source: the source project (its live log).
    :param library: the importing library.
    """
    owner = source.library
    as_partner = owner is not None and are_partners(library, owner)
    return documents_access.shared_evidence(source, as_partner=as_partner)


class ImportPartnerProjectAction:
    """Import ``source`` into ``target_plan`` as a draft; see the module docstring.

    :param source: a live project of another library.
    :param target_plan: one of the user's annual plans.
    :param user: who imports: an editor or approver of the plan's library (or a
        superuser); ``None`` only from code that checked itself (demo data).
    :param focus_area: a focus area of ``target_plan`` (default: the one with the
        source's focus area title, if the plan has one).
    :param copy_documents: also copy the shared evidence documents.
    :param request: for the source's full URL on the current site.
    :raises ImportPartnerProjectPermissionError: the user may not edit the plan, or
        the source is not live or not shared with the plan's library.
    :raises ImportPartnerProjectError: the focus area is not the plan's, or the
        source belongs to the importing library itself.
    :raises AlreadyImportedError: the plan already holds a copy of the source;
        imports into one plan run one at a time, so a race cannot make two.
    """

    def __init__(
        self,
        source: ProjectPage,
        target_plan: AnnualPlanPage,
        user: AbstractBaseUser | None,
        *,
        focus_area: FocusArea | None = None,
        copy_documents: bool = False,
        request: HttpRequest | None = None,
    ) -> None:
        self.source = source
        self.target_plan = target_plan
        self.user = user
        self.focus_area = focus_area
        self.copy_documents = copy_documents
        self.request = request

    # Checks --------------------------------------------------------------------------

    def target_library(self) -> LibraryPage | None:
        if not self.target_plan.library_id:
            return None
        return LibraryPage.objects.select_related("network").get(
            pk=self.target_plan.library_id
        )

    def check(self, skip_permission_checks: bool = False) -> None:
        library = self.target_library()
        if library is None:
            raise ImportPartnerProjectError(
                _("This annual plan does not belong to a library.")
            )
        if not skip_permission_checks:
            self._check_user(library)
        self._check_source(library)
        if (
            self.focus_area is not None
            and self.focus_area.page_id != self.target_plan.pk
        ):
            raise ImportPartnerProjectError(
                _("Choose a focus area of %(plan)s.") % {"plan": self.target_plan.title}
            )
        self._check_not_imported()

    def _check_not_imported(self) -> None:
        """Refuse a second copy of the same source in the same plan, draft or live."""
        existing = (
            ProjectPage.objects.child_of(self.target_plan)
            .filter(source_page_id=self.source.pk)
            .order_by("pk")
            .first()
        )
        if existing is not None:
            raise AlreadyImportedError(
                _(
                    "%(plan)s already has a copy of this project: “%(title)s”. "
                    "Open that copy instead of importing it again."
                )
                % {
                    "plan": self.target_plan.title,
                    "title": existing.get_admin_display_title(),
                },
                existing,
            )

    def _check_user(self, library: LibraryPage) -> None:
        user = self.user
        allowed = (
            works_for(user, library)
            and self.target_plan.permissions_for_user(user).can_add_subpage()
        )
        if not allowed:
            raise ImportPartnerProjectPermissionError(
                _(
                    "Only editors and approvers of %(library)s can import projects "
                    "into its annual plans."
                )
                % {"library": library.title},
                reason="target",
            )

    def _check_source(self, library: LibraryPage) -> None:
        state = load_states([self.source.pk], with_text=False).get(self.source.pk)
        refused = ImportPartnerProjectPermissionError(
            _(
                "This project cannot be imported: it is not published, or its "
                "library does not share it with %(library)s."
            )
            % {"library": library.title},
            reason="source",
        )
        if state is None or not state.indexable or state.library is None:
            raise refused
        owner = LibraryPage.objects.select_related("network").get(pk=state.library.pk)
        if owner.pk == library.pk:
            raise ImportPartnerProjectError(
                _(
                    "This project is already part of %(library)s. Use “Copy to next "
                    "year” to reuse your own projects."
                )
                % {"library": library.title}
            )
        if not may_import_from(library, owner):
            raise refused

    # Import --------------------------------------------------------------------------

    def execute(self, skip_permission_checks: bool = False) -> ImportResult:
        with transaction.atomic():
            # One import into a plan at a time: the next one waits here, then finds
            # the copy this one made (and Wagtail's slug choice cannot race).
            list(
                Page.objects.select_for_update()
                .filter(pk=self.target_plan.pk)
                .values_list("pk", flat=True)
            )
            self.check(skip_permission_checks=skip_permission_checks)
            # The live content: the row of a live page is what the public sees,
            # whatever drafts its editors have saved since.
            source = ProjectPage.objects.select_related("plan", "plan__library").get(
                pk=self.source.pk
            )
            library = self.target_library()
            project = self._copy(source)
            documents = (
                self._copy_documents(source, library) if self.copy_documents else []
            )
            return ImportResult(project, documents)

    def _focus_area_id(self, source: ProjectPage) -> int | None:
        if self.focus_area is not None:
            return self.focus_area.pk
        if not source.focus_area_id:
            return None
        title = (
            FocusArea.objects.filter(pk=source.focus_area_id)
            .values_list("title", flat=True)
            .first()
        )
        return (
            FocusArea.objects.filter(page=self.target_plan, title=title)
            .values_list("pk", flat=True)
            .first()
        )

    def _copy(self, source: ProjectPage) -> ProjectPage:
        plan = self.target_plan
        source_year = source.plan.year if source.plan_id else None
        years = plan.year - source_year if source_year else 0

        def reset_child(original, copy, child_relation, child_object) -> None:
            if isinstance(child_object, ProjectIndicator):
                child_object.result = None
            elif isinstance(child_object, ProjectActivity):
                child_object.status = ProjectActivity.Status.PLANNED
                child_object.when = add_years(child_object.when, years)

        copy = CopyPageAction(
            source,
            to=plan,
            update_attrs={
                "slug": find_available_slug(plan, source.slug),
                "draft_title": source.title,
                "phase": ProjectPage.Phase.PLAN,
                "evaluation": "",
                "start_date": add_years(source.start_date, years),
                "end_date": add_years(source.end_date, years),
                "next_review_date": add_years(source.next_review_date, years),
                "focus_area_id": self._focus_area_id(source),
                "copied_from_id": None,
                "go_live_at": None,
                "expire_at": None,
                # The source's lock is the source library's business.
                "locked": False,
                "locked_by": None,
                "locked_at": None,
                "source_page_id": source.pk,
                "source_title": source.title[:255],
                "source_library_name": (
                    source.plan.library.title[:255]
                    if source.plan_id and source.plan.library_id
                    else ""
                ),
                "source_year": source_year,
                "source_url": (source.get_full_url(self.request) or "")[:500],
                "imported_at": timezone.now(),
                "source_snapshot": smart_snapshot(source),
            },
            exclude_fields=EXCLUDED_PROJECT_RELATIONS,
            recursive=False,
            copy_revisions=False,
            keep_live=False,
            user=self.user,
            process_child_object=reset_child,
        ).execute(skip_permission_checks=True)
        return ProjectPage.objects.get(pk=copy.pk)

    def _copy_documents(
        self, source: ProjectPage, library: LibraryPage
    ) -> list[LibraryDocument]:
        copies = []
        for document in shared_evidence(source, library):
            with document.open_file() as handle:
                content = handle.read()
            copy = LibraryDocument(
                title=document.title,
                file=ContentFile(content, name=os.path.basename(document.file.name)),
                library=library,
                document_type_id=document.document_type_id,
                work_field_id=document.work_field_id,
                visibility=LibraryDocument.Visibility.OWN,
                valid_from=document.valid_from,
                uploaded_by_user=self.user,
            )
            # Filed in the importer's collection; never in the source's (whose
            # collection would make the copy the source library's document).
            copy.collection_id = library.collection_id or _root_collection().pk
            copy.save()
            copy.norms.set(document.norms.all())
            copy.policy_topics.set(document.policy_topics.all())
            copies.append(copy)
        return copies


def _root_collection():
    return Collection.get_first_root_node()
