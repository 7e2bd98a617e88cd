"""Set up a library in one go: its page, document collection, role groups and workflow.

``SetUpLibraryAction`` is what ``manage.py setup_library``, the superusers' admin view
and the demo loader call. It is idempotent: running it again for a library that is
already set up changes nothing.

Permissions per role (all on the library's page and collection, so they cover the
library's plans, projects and documents and nothing else):

- editors: add and edit pages, add/edit/choose documents and images, admin access.
  No publish permission, so saving ends in "Submit for moderation".
- approvers: what editors have, plus publish, lock and unlock. They are the group of
  the library's review task, so they approve (and thereby publish) or request changes.
- auditors: no Wagtail permissions at all; the audit portal grants them read access
  through ``bm_pages.roles``.

Nobody gets ``bulk_delete``. Without it Wagtail lets a user delete only pages without
children: editors only pages that were never published, approvers (who may publish)
also live ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.text import slugify
from modelcluster.models import get_serializable_data_for_fields
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    PageViewRestriction,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from bm_pages.models import (
    AuditPortalPage,
    Branch,
    LibraryGroup,
    LibraryMembership,
    LibraryPage,
)
from bm_pages.models.library import Urbanity
from bm_pages.permissions import STAFF_ROLES
from bm_pages.roles import LibraryRole, grant_role, group_name, latest_access_end
from bm_pages.services.libraries import ensure_library

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from bm_pages.models import RegionalNetwork

# Wagtail page permission types (codename prefix before "_page") per role.
PAGE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    LibraryRole.EDITOR: ("add", "change"),
    LibraryRole.APPROVER: ("add", "change", "publish", "lock", "unlock"),
    LibraryRole.AUDITOR: (),
}
# Collection permissions (app label, codename) per role. Documents and images are
# checked against Wagtail's own Document/Image permissions, also for custom models.
COLLECTION_PERMISSIONS: dict[str, tuple[tuple[str, str], ...]] = {
    LibraryRole.EDITOR: (
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
    ),
    LibraryRole.AUDITOR: (),
}
COLLECTION_PERMISSIONS[LibraryRole.APPROVER] = COLLECTION_PERMISSIONS[
    LibraryRole.EDITOR
]

# Workflow and task names are data shown to everyone, written in the site's language.
REVIEW_TASK_SUFFIX = " – beoordeling"


class SetUpLibraryPermissionError(PermissionDenied):
    """Only superusers may set up a library."""


class InvalidLibraryProfileError(ValueError):
    """A profile value is out of range (inhabitants below 1, urbanity not 1-5)."""


class LibraryProfileRequiredError(ValueError):
    """A new library needs its inhabitants and urbanity (``require_profile``).

    ``missing`` names the fields left empty.
    """

    def __init__(self, missing: list[str]) -> None:
        super().__init__(f"A new library needs its profile: {', '.join(missing)}.")
        self.missing = missing


@dataclass(frozen=True)
class LibraryProfileValues:
    """A library's profile as entered at set-up: what ``bm_pages.profile`` compares.

    Empty values are "not given". Set-up fills in only what the library has not
    recorded yet; after that the profile is edited on the library page.
    """

    inhabitants: int | None = None
    urbanity: int | None = None
    municipalities: tuple[str, ...] = ()
    branches: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.inhabitants is not None and self.urbanity is not None

    def validate(self) -> None:
        """:raises InvalidLibraryProfileError: for a value out of range."""
        if self.inhabitants is not None and self.inhabitants < 1:
            raise InvalidLibraryProfileError(
                "The number of inhabitants served must be 1 or more."
            )
        if self.urbanity is not None and self.urbanity not in Urbanity.values:
            raise InvalidLibraryProfileError(
                "The urbanity class must be 1 (very strongly urban) to 5 (not urban)."
            )


@dataclass
class LibrarySetup:
    """What ``SetUpLibraryAction.execute()`` made sure exists."""

    library: LibraryPage
    collection: Collection
    groups: dict[LibraryRole, Group]
    workflow: Workflow
    task: GroupApprovalTask
    created: list[str] = field(default_factory=list)
    #: Profile values given but not used: the library had recorded its own.
    profile_kept: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)

    def summary(self) -> str:
        """What this run created, e.g. "library, collection, 3 groups, 24 permissions"."""
        parts = [item for item in self.created if ":" not in item]
        groups = sum(item.startswith("group:") for item in self.created)
        permissions = sum(
            item.split(":")[0]
            in {"page_permission", "collection_permission", "access_admin"}
            for item in self.created
        )
        if groups:
            parts.append(f"{groups} groups")
        if permissions:
            parts.append(f"{permissions} permissions")
        return ", ".join(parts)


class SetUpLibraryAction:
    """Create or complete a library's page, collection, role groups and workflow.

    :param name: the library's name (its page title). An existing library with the
        same slug below the home page is set up rather than duplicated.
    :param network: the regional network, for a new library or to change an
        existing library's network.
    :param user: who does it; must be a superuser unless permission checks are
        skipped (management commands, the demo loader).
    :param profile: the library's profile; fills in what the library has not
        recorded (a new library: all of it).
    :param require_profile: refuse to create a library without inhabitants and
        urbanity (the admin form; "libraries like mine" needs them).
    :param fields: further ``LibraryPage`` fields for a new library (``slug``, ...).
    """

    def __init__(
        self,
        name: str,
        *,
        network: RegionalNetwork | None = None,
        user: AbstractBaseUser | None = None,
        profile: LibraryProfileValues | None = None,
        require_profile: bool = False,
        **fields: Any,
    ) -> None:
        self.name = name
        self.network = network
        self.user = user
        self.profile = profile or LibraryProfileValues()
        self.require_profile = require_profile
        self.fields = fields

    def check(self, skip_permission_checks: bool = False) -> None:
        """:raises SetUpLibraryPermissionError: when the user is not a superuser."""
        if skip_permission_checks:
            return
        if self.user is None or not (self.user.is_active and self.user.is_superuser):
            raise SetUpLibraryPermissionError("Only superusers may set up a library.")

    def execute(self, skip_permission_checks: bool = False) -> LibrarySetup:
        """Do the set-up in one transaction and return what exists now.

        :raises SetUpLibraryPermissionError: see ``check()``.
        :raises InvalidLibraryProfileError: a profile value out of range.
        :raises LibraryProfileRequiredError: see ``require_profile``.
        :raises bm_pages.services.libraries.NoHomePageError: no home page yet.
        """
        self.check(skip_permission_checks=skip_permission_checks)
        self.profile.validate()
        created: list[str] = []
        kept: list[str] = []
        with transaction.atomic():
            existed = LibraryPage.objects.filter(
                slug=self.fields.get("slug") or _slug(self.name)
            ).exists()
            if not existed and self.require_profile and not self.profile.complete:
                raise LibraryProfileRequiredError(
                    [
                        name
                        for name in ("inhabitants", "urbanity")
                        if getattr(self.profile, name) is None
                    ]
                )
            library = ensure_library(self.name, network=self.network, **self.fields)
            if not existed:
                created.append("library")
            self._ensure_profile(library, created, kept)
            collection = self._ensure_collection(library, created)
            if self.network is not None and library.network_id != self.network.pk:
                # The one way set-up fields change, logged in the page history.
                library.change_setup(user=self.user, network=self.network)
                created.append("network")
            groups = {
                role: self._ensure_group(library, role, created) for role in LibraryRole
            }
            for role, group in groups.items():
                self._ensure_permissions(library, collection, role, group, created)
            workflow, task = self._ensure_workflow(
                library, groups[LibraryRole.APPROVER], created
            )
            # The audit portal, open to the three role groups (certification issue).
            created.extend(ensure_audit_portal(library, groups.values()))
        return LibrarySetup(library, collection, groups, workflow, task, created, kept)

    # Steps ------------------------------------------------------------------------

    def _ensure_profile(
        self, library: LibraryPage, created: list[str], kept: list[str]
    ) -> None:
        """Fill in the profile values the library has not recorded; note the rest."""
        given = {
            "inhabitants": self.profile.inhabitants,
            "urbanity": self.profile.urbanity,
            "municipalities": ", ".join(self.profile.municipalities),
        }
        missing = {}
        for name, value in given.items():
            if value is None or value == "":
                continue
            if getattr(library, name) in (None, ""):
                missing[name] = value
            elif getattr(library, name) != value:
                kept.append(name)
        if missing:
            self._update_library_fields(library, **missing)
        recorded = set(library.branches.values_list("name", flat=True))
        if self.profile.branches and not recorded:
            self._add_branches(library, self.profile.branches)
        elif self.profile.branches and recorded != set(self.profile.branches):
            kept.append("branches")
        if missing or (self.profile.branches and not recorded):
            created.append("profile")

    def _add_branches(self, library: LibraryPage, names: tuple[str, ...]) -> None:
        """Add branches to the live page and to its latest revision (see
        :meth:`_update_library_fields`)."""
        branches = [
            Branch.objects.create(page=library, name=name, sort_order=position)
            for position, name in enumerate(names)
        ]
        revision = library.latest_revision
        if revision is not None:
            revision.content["branches"] = [
                get_serializable_data_for_fields(branch) for branch in branches
            ]
            revision.save(update_fields=["content"])

    def _ensure_collection(
        self, library: LibraryPage, created: list[str]
    ) -> Collection:
        collection = library.collection
        if collection is None:
            root = Collection.get_first_root_node()
            collection = root.get_children().filter(
                name=library.title
            ).first() or root.add_child(name=library.title)
            self._update_library_fields(library, collection=collection)
            created.append("collection")
        return collection

    def _update_library_fields(self, library: LibraryPage, **values: Any) -> None:
        """Set set-up fields on the live page row and on its latest revision.

        Patching the revision instead of publishing a new one keeps set-up out of
        the page history and away from any workflow the page is in, while the next
        edit in the admin (which starts from the latest revision) still shows them.
        """
        for name, value in values.items():
            setattr(library, name, value)
        # save(), not a queryset update(): apps that follow library changes through
        # model signals (the matching index keeps each project's network) see it.
        library.save(update_fields=list(values), clean=False)
        revision = library.latest_revision
        if revision is not None:
            for name, value in values.items():
                revision.content[name] = (
                    value.pk if isinstance(value, models.Model) else value
                )
            revision.save(update_fields=["content"])

    def _ensure_group(
        self, library: LibraryPage, role: LibraryRole, created: list[str]
    ) -> Group:
        link = LibraryGroup.objects.filter(library=library, role=role).first()
        if link is not None:
            return link.group
        name = group_name(library.title, role)
        group = Group.objects.filter(name=name, library_role__isnull=True).first()
        if group is None:
            if Group.objects.filter(name=name).exists():
                # Another library with the same title already owns this name.
                name = group_name(f"{library.title} ({library.slug})", role)
            group, _created = Group.objects.get_or_create(name=name)
        LibraryGroup.objects.create(library=library, role=role, group=group)
        created.append(f"group:{role}")
        return group

    def _ensure_permissions(
        self,
        library: LibraryPage,
        collection: Collection,
        role: LibraryRole,
        group: Group,
        created: list[str],
    ) -> None:
        for permission_type in PAGE_PERMISSIONS[role]:
            permission = _permission("wagtailcore", f"{permission_type}_page")
            _obj, made = GroupPagePermission.objects.get_or_create(
                group=group, page=library, permission=permission
            )
            if made:
                created.append(f"page_permission:{role}:{permission_type}")
        for app_label, codename in COLLECTION_PERMISSIONS[role]:
            _obj, made = GroupCollectionPermission.objects.get_or_create(
                group=group,
                collection=collection,
                permission=_permission(app_label, codename),
            )
            if made:
                created.append(f"collection_permission:{role}:{codename}")
        if role in STAFF_ROLES:
            access_admin = _permission("wagtailadmin", "access_admin")
            if not group.permissions.filter(pk=access_admin.pk).exists():
                group.permissions.add(access_admin)
                created.append(f"access_admin:{role}")

    def _ensure_workflow(
        self, library: LibraryPage, approvers: Group, created: list[str]
    ) -> tuple[Workflow, GroupApprovalTask]:
        workflow_page = (
            WorkflowPage.objects.filter(page=library).select_related("workflow").first()
        )
        if workflow_page is None:
            workflow = Workflow.objects.create(name=library.title)
            WorkflowPage.objects.create(workflow=workflow, page=library)
            created.append("workflow")
        else:
            workflow = workflow_page.workflow
        task = (
            GroupApprovalTask.objects.filter(
                workflow_tasks__workflow=workflow, groups=approvers
            )
            .order_by("workflow_tasks__sort_order")
            .first()
        )
        if task is None:
            task = GroupApprovalTask.objects.create(
                name=f"{library.title}{REVIEW_TASK_SUFFIX}"
            )
            task.groups.set([approvers])
            position = WorkflowTask.objects.filter(workflow=workflow).count()
            WorkflowTask.objects.create(
                workflow=workflow, task=task, sort_order=position
            )
            created.append("review_task")
        return workflow, task


def _slug(name: str) -> str:
    return slugify(name)[:255]


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def library_is_set_up(library: Page) -> bool:
    """Whether the library has all three role groups (cheap; for buttons and lists)."""
    return LibraryGroup.objects.filter(library_id=library.pk).count() == len(
        LibraryRole
    )


def assign_demo_roles(library: LibraryPage, short_name: str) -> None:
    """Set up a demo library and give its demo accounts their roles.

    ``redacteur-<short_name>`` becomes editor, ``goedkeurder-<short_name>`` approver
    and ``auditor-<short_name>`` auditor until the latest end date allowed (a year
    from the first run by default; a later run keeps that date, so running the demo
    loader again changes nothing). Accounts that do not exist are skipped.
    """
    SetUpLibraryAction(library.title, slug=library.slug).execute(
        skip_permission_checks=True
    )
    users = {
        user.username: user
        for user in get_user_model().objects.filter(
            username__in=[
                f"redacteur-{short_name}",
                f"goedkeurder-{short_name}",
                f"auditor-{short_name}",
            ]
        )
    }
    if editor := users.get(f"redacteur-{short_name}"):
        grant_role(library, editor, LibraryRole.EDITOR)
    if approver := users.get(f"goedkeurder-{short_name}"):
        grant_role(library, approver, LibraryRole.APPROVER)
    auditor = users.get(f"auditor-{short_name}")
    if (
        auditor is not None
        and not LibraryMembership.objects.filter(
            library=library, user=auditor, role=LibraryRole.AUDITOR
        ).exists()
    ):
        grant_role(
            library,
            auditor,
            LibraryRole.AUDITOR,
            expires_on=latest_access_end(),
        )


# The audit portal ------------------------------------------------------------------

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
