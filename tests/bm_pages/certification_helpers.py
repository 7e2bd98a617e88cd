"""A set-up world for the certification tests: libraries, staff, documents, projects.

Libraries A ("Aland") and C ("Cestrum") are in one regional network that links its
members (so they are partners); B ("Bemdal") is in none. Every library is set up
with ``SetUpLibraryAction`` (collection, role groups, workflow, audit portal). A has
documents of every visibility, a live and a draft project, and an assurance project.

A test module builds it once with ``world_per_module(build_world)``
(``tests/module_worlds.py``).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.utils import timezone

from bm_pages.models import (
    AuditPortalPage,
    DocumentType,
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    ProjectPage,
    WorkField,
)
from tests.builders import make_staff, set_up_library
from tests.factories import (
    AnnualPlanPageFactory,
    AssuranceCheckFactory,
    PhaseLogEntryFactory,
    ProjectIndicatorFactory,
    ProjectPageFactory,
    RegionalNetworkFactory,
    UserFactory,
)

PASSWORD = "biblio-test"


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class CertWorld:
    library_a: LibraryPage
    library_b: LibraryPage
    library_c: LibraryPage
    portal_a: AuditPortalPage
    portal_b: AuditPortalPage
    users: dict
    docs: dict
    plan_a: object
    live_project_a: ProjectPage
    draft_project_a: ProjectPage
    assurance_a: ProjectPage
    plan_b: object
    project_b: ProjectPage
    extra: dict = field(default_factory=dict)

    def user(self, name: str):
        return self.users[name]


def set_up(name: str, network=None) -> LibraryPage:
    return set_up_library(name, network)


def staff(library: LibraryPage, prefix: str) -> dict:
    """Editor, approver and an auditor whose access ends in 30 days."""
    return make_staff(library, prefix, auditor_days=30)


def make_document(
    library: LibraryPage,
    title: str,
    *,
    visibility: str = LibraryDocument.Visibility.OWN,
    work_field: str | None = None,
    norms: tuple[str, ...] = (),
    topics: tuple[str, ...] = (),
    document_type: str | None = None,
    review_in_days: int | None = None,
    filename: str | None = None,
    content: bytes | None = None,
) -> LibraryDocument:
    """A document of ``library`` in its collection, with a real file."""
    filename = filename or re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") + ".pdf"
    document = LibraryDocument(
        title=title,
        library=library,
        collection_id=library.collection_id,
        visibility=visibility,
        work_field=WorkField.objects.get(code=work_field) if work_field else None,
        document_type=DocumentType.objects.get(slug=document_type)
        if document_type
        else None,
        review_date=today() + datetime.timedelta(days=review_in_days)
        if review_in_days is not None
        else None,
    )
    document.file.save(
        filename,
        ContentFile(content or f"%PDF-1.4 {title}".encode()),
        save=False,
    )
    document._set_document_file_metadata()
    document.save()
    document.norms.set(WorkField.objects.filter(code__in=norms))
    document.policy_topics.set(PolicyTopic.objects.filter(slug__in=topics))
    return document


def publish(page, user=None):
    page.save_revision(user=user).publish(user=user)
    return type(page).objects.get(pk=page.pk)


def build_world() -> CertWorld:
    network = RegionalNetworkFactory(
        name="Netwerk Noorderzand", link_members_by_default=True
    )
    library_a = set_up("Bibliotheek Aland", network)
    library_b = set_up("Bibliotheek Bemdal")
    library_c = set_up("Bibliotheek Cestrum", network)
    staff_a = staff(library_a, "aland")
    staff_b = staff(library_b, "bemdal")
    staff_c = staff(library_c, "cestrum")
    superuser = UserFactory(username="beheerder", is_superuser=True, is_staff=True)

    docs = {
        "a_own": make_document(
            library_a,
            "Zelfevaluatie Aland 2025",
            work_field="1",
            norms=("1", "6"),
            topics=("geletterde-samenleving", "leven-lang-ontwikkelen"),
            document_type="zelfevaluatie",
            review_in_days=200,
            content=b"%PDF-1.4 Zelfevaluatie Aland, vertrouwelijk",
        ),
        "a_partners": make_document(
            library_a,
            "Meerjarenbeleidsplan Aland",
            visibility=LibraryDocument.Visibility.PARTNERS,
            work_field="1",
            norms=("1",),
            topics=("lezen-en-literatuur",),
            document_type="meerjarenbeleidsplan",
            review_in_days=400,
        ),
        "a_public": make_document(
            library_a,
            "Jaarverslag Aland 2025",
            visibility=LibraryDocument.Visibility.PUBLIC,
            work_field="6",
            norms=("6",),
            document_type="jaarverslag",
            review_in_days=300,
        ),
        "a_overdue": make_document(
            library_a,
            "Verbeterplan Aland",
            work_field="3",
            norms=("3",),
            document_type="verbeterplan",
            review_in_days=-10,
            filename="verbeterplan-aland.txt",
            content=b"Verbeterplan Aland\n",
        ),
        "a_unfiled": make_document(library_a, "Losse notitie Aland"),
        "b_own": make_document(
            library_b, "Zelfevaluatie Bemdal 2025", work_field="1", norms=("1",)
        ),
        "b_public": make_document(
            library_b,
            "Jaarverslag Bemdal 2025",
            visibility=LibraryDocument.Visibility.PUBLIC,
            work_field="6",
        ),
        "c_partners": make_document(
            library_c,
            "Collectieplan Cestrum",
            visibility=LibraryDocument.Visibility.PARTNERS,
            work_field="2",
            norms=("2",),
        ),
    }

    plan_a = publish(
        AnnualPlanPageFactory(parent=library_a, year=2026, title="Jaarplan Aland 2026"),
        staff_a["approver"],
    )
    live = ProjectPageFactory(
        parent=plan_a,
        title="Taalhuis Aland",
        summary="Volwassenen leren beter lezen en schrijven in het Taalhuis.",
        goal="Honderd deelnemers per jaar.",
        target_group="Laaggeletterde volwassenen",
    )
    live.work_fields.set(WorkField.objects.filter(code__in=["4", "5"]))
    live.save()
    ProjectIndicatorFactory(page=live, name="deelnemers", target=100, result=64)
    PhaseLogEntryFactory(
        page=live, phase="do", note="Eerste groep gestart.", evidence=docs["a_own"]
    )
    live = publish(live, staff_a["approver"])
    draft = ProjectPageFactory(
        parent=plan_a, title="Voorleesexpress Aland", live=False, phase="plan"
    )
    draft.work_fields.set(WorkField.objects.filter(code__in=["5"]))
    draft.save()
    draft.title = "Voorleesexpress Aland (herzien)"
    draft.summary = "Herziene aanpak met vrijwilligers thuis."
    draft.save_revision(user=staff_a["editor"])
    assurance = ProjectPageFactory(
        parent=plan_a,
        title="Borging klachtenafhandeling Aland",
        kind=ProjectPage.Kind.ASSURANCE,
        cycle_months=3,
        next_review_date=today() - datetime.timedelta(days=5),
        phase=ProjectPage.Phase.ACT,
    )
    assurance.work_fields.set(WorkField.objects.filter(code__in=["6"]))
    assurance.save()
    AssuranceCheckFactory(
        page=assurance,
        date=today() - datetime.timedelta(days=100),
        findings="Alle klachten binnen termijn afgehandeld.",
        sort_order=0,
    )
    assurance = publish(assurance, staff_a["approver"])

    plan_b = publish(
        AnnualPlanPageFactory(
            parent=library_b, year=2026, title="Jaarplan Bemdal 2026"
        ),
        staff_b["approver"],
    )
    project_b = publish(
        ProjectPageFactory(parent=plan_b, title="Geheim project Bemdal"),
        staff_b["approver"],
    )

    users = {
        "anonymous": None,
        "editor_a": staff_a["editor"],
        "approver_a": staff_a["approver"],
        "auditor_a": staff_a["auditor"],
        "editor_b": staff_b["editor"],
        "approver_b": staff_b["approver"],
        "auditor_b": staff_b["auditor"],
        "editor_c": staff_c["editor"],
        "auditor_c": staff_c["auditor"],
        "superuser": superuser,
    }
    return CertWorld(
        library_a=library_a,
        library_b=library_b,
        library_c=library_c,
        portal_a=AuditPortalPage.objects.child_of(library_a).get(),
        portal_b=AuditPortalPage.objects.child_of(library_b).get(),
        users=users,
        docs=docs,
        plan_a=plan_a,
        live_project_a=ProjectPage.objects.get(pk=live.pk),
        draft_project_a=ProjectPage.objects.get(pk=draft.pk),
        assurance_a=ProjectPage.objects.get(pk=assurance.pk),
        plan_b=plan_b,
        project_b=project_b,
    )


def login(client, user) -> None:
    if user is not None:
        client.force_login(user)
