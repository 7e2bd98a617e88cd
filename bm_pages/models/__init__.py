"""Page types, snippets and the document model of Biblio Monitor."""

from .annual_plan import AnnualPlanPage, AnnualPlanPageForm, FocusArea
from .certification import AuditPortalPage
from .documents import LibraryDocument
from .library import Branch, HomePage, LibraryPage
from .network_membership import NetworkMembershipRequest
from .partnerships import Partnership
from .roles import LibraryGroup, LibraryMembership
from .smart_check import SmartCheckTask
from .smart_project import (
    AssuranceCheck,
    PhaseLogEntry,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
    ProjectPageForm,
)
from .taxonomy import DocumentType, PolicyTopic, RegionalNetwork, WorkField

__all__ = [
    "AnnualPlanPage",
    "AnnualPlanPageForm",
    "AssuranceCheck",
    "AuditPortalPage",
    "Branch",
    "DocumentType",
    "FocusArea",
    "HomePage",
    "LibraryDocument",
    "LibraryGroup",
    "LibraryMembership",
    "LibraryPage",
    "NetworkMembershipRequest",
    "Partnership",
    "PhaseLogEntry",
    "PolicyTopic",
    "ProjectActivity",
    "ProjectIndicator",
    "ProjectPage",
    "ProjectPageForm",
    "RegionalNetwork",
    "SmartCheckTask",
    "WorkField",
]
