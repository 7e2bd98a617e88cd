"""Demo partnerships and one imported project, so the network page has something to show.

Libraries of the three demo networks are partners of their network's members by
default; these add partnerships across networks (accepted), one request still
waiting for Waddenkust's approvers, and one project Waddenkust imported from Maas en
Waal (published, so the public plan page shows its provenance line). Each step is
skipped when its libraries are not loaded (``load_demo_data --libraries N``) or when
it was done before, so loading twice changes nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth import get_user_model

from bm_pages.actions.partnerships import (
    AcceptPartnershipAction,
    RequestPartnershipAction,
)
from bm_pages.models import AnnualPlanPage, LibraryPage, Partnership, ProjectPage

# (asking library, asked library, accepted?, message), by the part of the slug after
# "bibliotheek-".
DEMO_PARTNERSHIPS = [
    (
        "waddenkust",
        "maas-en-waal",
        True,
        "Jullie Taalhuis in de dorpen past precies bij onze plannen. Zullen we "
        "projecten en draaiboeken uitwisselen?",
    ),
    (
        "lingestreek",
        "de-eilanden",
        True,
        "Wij zijn ook een bibliotheek met veel kleine kernen; we leren graag van "
        "jullie aanpak voor de Bibliotheek op school.",
    ),
    (
        "hogeland-plus",
        "schouwen-en-tholen",
        True,
        "Samen de BoekStart-aanpak in dunbevolkte gebieden verbeteren?",
    ),
    (
        "bommelerwaard",
        "waddenkust",
        False,
        "Wij zien dat jullie een voorleesproject met het consultatiebureau draaien. "
        "Mogen we meekijken?",
    ),
]
IMPORT_SOURCE = ("maas-en-waal", 2026)
IMPORT_TARGET = ("waddenkust", 2026)


def _library(short: str) -> LibraryPage | None:
    return LibraryPage.objects.filter(slug=f"bibliotheek-{short}").first()


def _user(prefix: str, short: str):
    return get_user_model().objects.filter(username=f"{prefix}-{short}").first()


def ensure_demo_partnerships() -> int:
    """Create the demo partnerships and the imported project; returns how many steps ran."""
    done = 0
    for asking, asked, accept, message in DEMO_PARTNERSHIPS:
        library, partner = _library(asking), _library(asked)
        editor, approver = _user("redacteur", asking), _user("goedkeurder", asked)
        if None in (library, partner, editor, approver):
            continue
        if Partnership.objects.between(library, partner).exists():
            continue
        row = RequestPartnershipAction(
            library, partner, editor, message=message
        ).execute()
        if accept:
            AcceptPartnershipAction(row, approver).execute()
        done += 1
    if _ensure_demo_import():
        done += 1
    return done


def _ensure_demo_import() -> bool:
    # Importing belongs to bm_matching, which builds on bm_pages; the demo uses it
    # only when it is installed.
    if not apps.is_installed("bm_matching"):
        return False
    from bm_matching.actions import ImportPartnerProjectAction

    source_library, target_library = (
        _library(IMPORT_SOURCE[0]),
        _library(IMPORT_TARGET[0]),
    )
    if source_library is None or target_library is None:
        return False
    plan = AnnualPlanPage.objects.filter(
        library=target_library, year=IMPORT_TARGET[1]
    ).first()
    source_plan = AnnualPlanPage.objects.filter(
        library=source_library, year=IMPORT_SOURCE[1]
    ).first()
    editor = _user("redacteur", IMPORT_TARGET[0])
    approver = _user("goedkeurder", IMPORT_TARGET[0])
    if None in (plan, source_plan, editor, approver):
        return False
    if ProjectPage.objects.child_of(plan).filter(source_page__isnull=False).exists():
        return False
    source = (
        ProjectPage.objects.child_of(source_plan)
        .live()
        .filter(kind=ProjectPage.Kind.REGULAR)
        .order_by("path")
        .first()
    )
    if source is None:
        return False
    result = ImportPartnerProjectAction(
        source, plan, editor, copy_documents=True
    ).execute()
    copy = result.project
    copy.title = f"{source.title} (Waddenkust)"
    copy.draft_title = copy.title
    copy.target_group = f"{source.target_group} in de Waddenkust-gemeenten".strip()
    copy.save_revision(user=editor).publish(user=approver, skip_permission_checks=True)
    return True
