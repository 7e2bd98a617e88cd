"""Libraries, staff, projects and documents for the partnership and import tests.

Shared by ``tests/bm_pages/test_partner_visibility.py``, ``tests/bm_matching/
test_import.py`` and ``tests/api/test_partnership_api.py``. Pages are built the way
editors build them (inline rows in the revision, then published), so the live row,
the revisions and the public page agree.

=====  ========  ==========  ===============================================
lib    network   shares      content
=====  ========  ==========  ===============================================
A      none      all         plan 2026 (focus areas), a "partners" document
B      none      partners    plan 2025: a full live project with a later
                             unpublished draft, a draft project; documents
                             own/partners/public used as PDCA evidence
C      none      all         plan 2025 with a live project
N1/N2  noord     all         linked by default; N2 has a live project
=====  ========  ==========  ===============================================
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import slugify
from wagtail.coreutils import find_available_slug

from bm_pages.actions.partnerships import (
    AcceptPartnershipAction,
    RequestPartnershipAction,
)
from bm_pages.models import (
    AnnualPlanPage,
    FocusArea,
    LibraryDocument,
    LibraryPage,
    Partnership,
    PhaseLogEntry,
    PolicyTopic,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
    WorkField,
)
from bm_pages.roles import LibraryRole
from tests.bm_pages.certification_helpers import make_document
from tests.builders import network, set_up_library, staff
from tests.factories import UserFactory

SECRET_DRAFT_TEXT = "GEHEIME CONCEPTTEKST"


def add_plan(library: LibraryPage, year: int, areas=()) -> AnnualPlanPage:
    plan = AnnualPlanPage(title=f"Jaarplan {year}", slug=f"jaarplan-{year}", year=year)
    for position, title in enumerate(areas):
        plan.focus_areas.add(FocusArea(sort_order=position, title=title))
    library.add_child(instance=plan)
    plan.save_revision().publish()
    return AnnualPlanPage.objects.get(pk=plan.pk)


def build_project(
    plan: AnnualPlanPage,
    title: str,
    *,
    live: bool = True,
    focus_area: str | None = None,
    evidence: tuple[LibraryDocument, ...] = (),
) -> ProjectPage:
    """A full SMART project with indicators, activities and a PDCA log, as editors make it."""
    year = plan.year
    project = ProjectPage(
        title=title,
        slug=find_available_slug(plan, slugify(title)[:80]),
        summary=f"{title}: vrijwilligers lezen wekelijks voor aan peuters thuis.",
        goal="Meer ouders lezen dagelijks voor aan hun peuter.",
        target_group="Ouders van peuters met een taalachterstand",
        budget=Decimal("8750.00"),
        hours=260,
        partners="Consultatiebureau\nWelzijnswerk",
        start_date=datetime.date(year, 2, 1),
        end_date=datetime.date(year, 11, 30),
        phase=ProjectPage.Phase.CHECK,
        evaluation="Goed bereik; werving van vrijwilligers kostte meer tijd.",
        focus_area=FocusArea.objects.filter(page=plan, title=focus_area).first()
        if focus_area
        else None,
    )
    project.indicators.add(
        ProjectIndicator(
            sort_order=0,
            name="gezinnen bereikt",
            unit="gezinnen",
            baseline=Decimal("20"),
            target=Decimal("60"),
            result=Decimal("48"),
        )
    )
    project.indicators.add(
        ProjectIndicator(
            sort_order=1,
            name="vrijwilligers",
            unit="personen",
            target=Decimal("15"),
            result=Decimal("17"),
        )
    )
    project.activities.add(
        ProjectActivity(
            sort_order=0,
            what="Vrijwilligers werven en trainen",
            who="leesconsulent",
            when=datetime.date(year, 3, 1),
            status=ProjectActivity.Status.DONE,
        )
    )
    project.activities.add(
        ProjectActivity(
            sort_order=1,
            what="Huisbezoeken plannen",
            who="coördinator",
            when=datetime.date(year, 9, 15),
            status=ProjectActivity.Status.IN_PROGRESS,
        )
    )
    notes = [
        "Plan vastgesteld met het consultatiebureau.",
        "Eerste twintig gezinnen bezocht.",
        "Tussenmeting gedaan.",
    ]
    phases = ["plan", "do", "check"]
    for position, (phase, note) in enumerate(zip(phases, notes, strict=True)):
        project.phase_log.add(
            PhaseLogEntry(
                sort_order=position,
                phase=phase,
                date=datetime.date(year, 2 + 3 * position, 1),
                note=note,
                evidence=evidence[position] if position < len(evidence) else None,
            )
        )
    project.core_functions = list(
        PolicyTopic.objects.filter(kind=PolicyTopic.Kind.CORE_FUNCTION)[:1]
    )
    project.policy_topics = list(PolicyTopic.objects.filter(slug="boekstart"))
    project.work_fields = list(WorkField.objects.filter(code__in=["4", "5"]))
    project.live = False
    plan.add_child(instance=project)
    revision = project.save_revision()
    if live:
        revision.publish()
    return ProjectPage.objects.get(pk=project.pk)


@dataclass
class PartnerWorld:
    a: LibraryPage
    b: LibraryPage
    c: LibraryPage
    n1: LibraryPage
    n2: LibraryPage
    plan_a: AnnualPlanPage
    plan_b: AnnualPlanPage
    plan_c: AnnualPlanPage
    project_b: ProjectPage
    draft_b: ProjectPage
    project_c: ProjectPage
    project_n2: ProjectPage
    docs: dict
    users: dict = field(default_factory=dict)

    def u(self, name: str):
        return self.users[name]

    def make_partners(self, x: str = "a", y: str = "b") -> Partnership:
        """``x`` asks ``y``; ``y``'s approver accepts."""
        library, partner = getattr(self, x), getattr(self, y)
        row = RequestPartnershipAction(
            library, partner, self.u(f"editor_{x}"), message="Samenwerken?"
        ).execute()
        return AcceptPartnershipAction(row, self.u(f"approver_{y}")).execute()


def build_partner_world() -> PartnerWorld:
    visibility = LibraryPage.ProjectVisibility
    noord = network("noord", "Netwerk Noord")
    a = set_up_library("Bibliotheek Aadorp")
    b = set_up_library("Bibliotheek Beekstad", visibility=visibility.PARTNERS)
    c = set_up_library("Bibliotheek Cederveen")
    n1 = set_up_library("Bibliotheek Noorderhaven", noord)
    n2 = set_up_library("Bibliotheek Noordwijk", noord)
    users = {}
    for key, library in (("a", a), ("b", b), ("c", c), ("n1", n1), ("n2", n2)):
        users[f"editor_{key}"] = staff(library, f"redacteur-{key}")
        users[f"approver_{key}"] = staff(
            library, f"goedkeurder-{key}", LibraryRole.APPROVER
        )
    users["auditor_a"] = staff(a, "auditor-a", LibraryRole.AUDITOR)
    users["superuser"] = UserFactory(
        username="beheerder", is_superuser=True, is_staff=True
    )

    docs = {
        "b_own": make_document(b, "Interne evaluatie Beekstad"),
        "b_partners": make_document(
            b, "Draaiboek huisbezoeken", visibility=LibraryDocument.Visibility.PARTNERS
        ),
        "b_public": make_document(
            b, "Folder Voorleesexpress", visibility=LibraryDocument.Visibility.PUBLIC
        ),
        "b_partners_unused": make_document(
            b,
            "Werkplan leesconsulenten",
            visibility=LibraryDocument.Visibility.PARTNERS,
        ),
        "a_partners": make_document(
            a, "Leesplan Aadorp", visibility=LibraryDocument.Visibility.PARTNERS
        ),
        "a_own": make_document(a, "Begroting Aadorp"),
    }
    plan_a = add_plan(a, 2026, areas=("Geletterdheid", "Digitale inclusie"))
    plan_b = add_plan(b, 2025, areas=("Geletterdheid",))
    plan_c = add_plan(c, 2025)
    project_b = build_project(
        plan_b,
        "Voorleesexpress Beekstad",
        focus_area="Geletterdheid",
        evidence=(docs["b_own"], docs["b_partners"], docs["b_public"]),
    )
    # A later draft of the live project: never shown to partners, never imported.
    draft_edit = project_b.get_latest_revision_as_object()
    draft_edit.summary = SECRET_DRAFT_TEXT
    draft_edit.save_revision()
    draft_b = build_project(plan_b, "Geheim conceptproject Beekstad", live=False)
    project_c = build_project(plan_c, "Voorlezen in de wijk Cederveen")
    plan_n2 = add_plan(n2, 2026)
    project_n2 = build_project(plan_n2, "Taalcafé Noordwijk")
    return PartnerWorld(
        a=a,
        b=LibraryPage.objects.get(pk=b.pk),
        c=c,
        n1=n1,
        n2=n2,
        plan_a=plan_a,
        plan_b=plan_b,
        plan_c=plan_c,
        project_b=ProjectPage.objects.get(pk=project_b.pk),
        draft_b=draft_b,
        project_c=project_c,
        project_n2=project_n2,
        docs=docs,
        users=users,
    )
