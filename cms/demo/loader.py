"""Load the demo data: networks, libraries, users, and two years of annual plans.

Everything is looked up before it is created, so loading twice changes nothing.
Randomness is seeded per library and year, so every run produces the same content.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify
from wagtail.coreutils import find_available_slug
from wagtail.models import ReferenceIndex
from wagtail.signal_handlers import disable_reference_index_auto_update

from bm_pages.actions.setup_library import assign_demo_roles
from bm_pages.models import (
    AnnualPlanPage,
    AssuranceCheck,
    FocusArea,
    LibraryPage,
    PhaseLogEntry,
    PolicyTopic,
    ProjectActivity,
    ProjectIndicator,
    ProjectPage,
    RegionalNetwork,
    WorkField,
)
from bm_pages.services.libraries import ensure_library

from . import content
from .documents import ensure_demo_documents
from .partnerships import ensure_demo_partnerships
from .profiles import ensure_demo_profile
from .smart_check import ensure_demo_smart_check

DEMO_PASSWORD = "biblio-demo"  # noqa: S105 - documented demo password
DEMO_YEARS = (2025, 2026)
PHASES = [value for value, _label in ProjectPage.Phase.choices]
PHASE_WEIGHTS = {
    2025: {"check": 1, "act": 2, "done": 6},
    2026: {"plan": 2, "do": 4, "check": 2, "act": 1, "done": 1},
}
STREETS = ["Voorstraat", "Kerkplein", "Markt", "Stationsweg", "Nieuwstraat", "Dijkweg"]
ROLES = [
    "projectleider",
    "leesconsulent",
    "medewerker educatie",
    "Taalhuiscoördinator",
    "vrijwilligerscoördinator",
    "programmamaker",
    "medewerker klantenservice",
]


@dataclass
class DemoLogin:
    username: str
    role: str
    library: str = ""


@dataclass
class DemoSummary:
    libraries: int = 0
    plans_created: int = 0
    projects_created: int = 0
    logins: list[DemoLogin] = field(default_factory=list)


def seeded_random(seed: str) -> random.Random:
    """A generator seeded by ``seed``, so demo content is the same on every run."""
    return random.Random(seed)  # noqa: S311 - demo content, not security


def library_short_name(library: LibraryPage) -> str:
    return library.slug.removeprefix("bibliotheek-")


class DemoDataLoader:
    """Builds the demo site. ``run()`` is idempotent.

    :param library_count: load only the first N libraries (tests use a few).
    :param password: the password of every demo account.
    """

    def __init__(self, library_count: int | None = None, password: str = DEMO_PASSWORD):
        self.library_specs = content.LIBRARIES[:library_count]
        self.password = password
        self._password_hash: str | None = None
        self.summary = DemoSummary()
        self.topics = {t.slug: t for t in PolicyTopic.objects.all()}
        self.work_fields = {w.code: w for w in WorkField.objects.all()}

    def run(self) -> DemoSummary:
        self.summary.logins.append(self.ensure_superuser())
        networks = self.ensure_networks()
        for index, (network_slug, name, municipalities, towns) in enumerate(
            self.library_specs
        ):
            with transaction.atomic():
                library = self.ensure_library(
                    index, name, networks[network_slug], municipalities, towns
                )
                self.summary.logins.extend(self.setup_library_users(library))
                ensure_demo_profile(library)  # cms/demo/profiles.py
                if index == 0:
                    ensure_demo_smart_check(library)  # cms/demo/smart_check.py
            for year in DEMO_YEARS:
                with transaction.atomic():
                    self.ensure_plan(library, year, towns)
            ensure_demo_documents(library)  # cms/demo/documents.py
            self.summary.libraries += 1
        ensure_demo_partnerships()  # cms/demo/partnerships.py
        return self.summary

    # Accounts -------------------------------------------------------------------

    def _ensure_user(self, username: str, **fields):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            # Hashing is slow on purpose; every demo account shares one hash.
            if self._password_hash is None:
                self._password_hash = make_password(self.password)
            user = User(username=username, password=self._password_hash, **fields)
            user.save()
        return user

    def ensure_superuser(self) -> DemoLogin:
        self._ensure_user(
            "admin",
            email="admin@biblio-monitor.example",
            first_name="Beheerder",
            is_staff=True,
            is_superuser=True,
        )
        return DemoLogin("admin", "superuser")

    def setup_library_users(self, library: LibraryPage) -> list[DemoLogin]:
        """Create the library's demo accounts: an editor, an approver and an auditor.

        ``assign_demo_roles`` sets the library up (groups, workflow) and gives the
        accounts their roles.
        """
        short = library_short_name(library)
        logins = []
        for prefix, role, first_name in (
            ("redacteur", "editor", "Redacteur"),
            ("goedkeurder", "approver", "Goedkeurder"),
            ("auditor", "auditor", "Auditor"),
        ):
            username = f"{prefix}-{short}"
            self._ensure_user(
                username,
                email=f"{username}@{short}.example",
                first_name=first_name,
                last_name=library.title,
            )
            logins.append(DemoLogin(username, role, library.title))
        assign_demo_roles(library, short)
        return logins

    # Networks and libraries -------------------------------------------------------

    def ensure_networks(self) -> dict[str, RegionalNetwork]:
        networks = {}
        for spec in content.NETWORKS:
            network, _created = RegionalNetwork.objects.get_or_create(
                slug=spec["slug"],
                defaults={
                    "name": spec["name"],
                    "region": spec["region"],
                    "description": spec["description"],
                },
            )
            networks[spec["slug"]] = network
        return networks

    def ensure_library(
        self, index, name, network, municipalities, towns
    ) -> LibraryPage:
        rng = seeded_random(f"library:{name}")
        slug = slugify(name)
        short = slug.removeprefix("bibliotheek-")
        library = ensure_library(
            name,
            network=network,
            slug=slug,
            introduction=(
                f"{name} is de bibliotheek voor de inwoners van "
                f"{' en '.join(municipalities)}, met vestigingen in {', '.join(towns)}. "
                "Dit is een fictieve bibliotheek met demogegevens."
            ),
            municipalities=", ".join(municipalities),
            email=f"info@{short}.example",
            phone=f"0{rng.randint(100, 599)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
            website=f"https://www.{short}.example",
            address=(
                f"Postbus {rng.randint(10, 999)}\n"
                f"{rng.randint(1000, 9999)} {rng.choice('ABDEGHJKLMNPRSTVXZ')}"
                f"{rng.choice('ABDEGHJKLMNPRSTVXZ')} {towns[0]}"
            ),
        )
        if not library.branches.exists():
            for position, town in enumerate(towns):
                library.branches.create(
                    sort_order=position,
                    name=town,
                    address=f"{rng.choice(STREETS)} {rng.randint(1, 120)}, {town}",
                    note="Servicepunt in het dorpshuis"
                    if position == len(towns) - 1 and len(towns) > 2
                    else "",
                )
            library.save_revision().publish()
        return library

    # Plans and projects -----------------------------------------------------------

    def ensure_plan(self, library: LibraryPage, year: int, towns: list[str]):
        if AnnualPlanPage.objects.child_of(library).filter(year=year).exists():
            return None
        rng = seeded_random(f"plan:{library.slug}:{year}")
        editor = get_user_model().objects.get(
            username=f"redacteur-{library_short_name(library)}"
        )
        regular_count = rng.randint(9, 17)
        themes = rng.sample(content.THEMES, regular_count)
        themes += rng.sample(content.ASSURANCE_THEMES, rng.randint(1, 3))
        area_keys = [
            key for key in content.FOCUS_AREAS if any(t["area"] == key for t in themes)
        ]

        plan = AnnualPlanPage(
            title=f"Jaarplan {year}",
            slug=f"jaarplan-{year}",
            year=year,
            owner=editor,
            introduction=rng.choice(content.PLAN_INTRODUCTIONS).format(
                year=year, library=library.title, places=" en ".join(towns[:2])
            ),
        )
        for position, key in enumerate(area_keys):
            title, description = content.FOCUS_AREAS[key]
            plan.focus_areas.add(
                FocusArea(sort_order=position, title=title, description=description)
            )
        library.add_child(instance=plan)
        plan.save_revision(user=editor).publish(
            user=editor, skip_permission_checks=True
        )
        plan_areas = FocusArea.objects.filter(page=plan).order_by("sort_order")
        areas = dict(zip(area_keys, plan_areas, strict=True))
        draft_indexes = set(rng.sample(range(len(themes)), rng.randint(1, 2)))
        # Wagtail updates the reference index on every save of a page and of its
        # revisions; for a freshly built plan once per page at the end is enough and
        # makes loading about twice as fast.
        with disable_reference_index_auto_update():
            projects = [
                self.build_project(
                    plan,
                    theme,
                    areas[theme["area"]],
                    year,
                    towns,
                    rng,
                    editor,
                    draft=index in draft_indexes,
                )
                for index, theme in enumerate(themes)
            ]
        for page in projects:
            ReferenceIndex.create_or_update_for_object(page)
        self.summary.plans_created += 1
        return plan

    def build_project(self, plan, theme, area, year, towns, rng, editor, *, draft):
        place = rng.choice(towns)
        fill = {
            "place": place,
            "school": rng.choice(content.SCHOOLS),
            "vo_school": rng.choice(content.SECONDARY_SCHOOLS),
            "year": year,
            "n": rng.randint(3, 12),
        }
        is_assurance = "cycle" in theme
        phase = (
            "plan"
            if draft
            else rng.choices(
                list(PHASE_WEIGHTS[year]), weights=list(PHASE_WEIGHTS[year].values())
            )[0]
        )
        start = datetime.date(year, rng.randint(1, 4), rng.choice([1, 8, 15]))
        end = datetime.date(year, rng.randint(max(start.month + 3, 6), 12), 28)
        if is_assurance:
            start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        partners = [p.format(**fill) for p in theme["partners"]]
        budget_lo, budget_hi = theme["budget"]
        title = rng.choice(theme["titles"]).format(**fill)

        project = ProjectPage(
            title=title,
            slug=find_available_slug(plan, slugify(title)[:80]),
            owner=editor,
            summary=" ".join(
                part
                for part in (
                    rng.choice(theme["summaries"]).format(**fill),
                    rng.choice(content.SUMMARY_ADDITIONS).format(
                        partner=rng.choice(partners) if partners else "onze partners",
                        **fill,
                    ),
                )
                if part
            ),
            goal=rng.choice(theme["goals"]).format(**fill),
            target_group=theme["target_group"],
            budget=Decimal(rng.randrange(budget_lo, budget_hi + 1, 50)),
            hours=rng.randrange(*theme["hours"]),
            partners="\n".join(
                rng.sample(partners, min(len(partners), rng.randint(1, 3)))
            ),
            focus_area=area,
            start_date=start,
            end_date=end,
            phase=phase,
            kind=ProjectPage.Kind.ASSURANCE
            if is_assurance
            else ProjectPage.Kind.REGULAR,
            cycle_months=theme.get("cycle"),
            next_review_date=(
                datetime.date(year + 1, 1 + rng.randint(0, 5), 1)
                if is_assurance
                else None
            ),
            evaluation=rng.choice(content.EVALUATIONS)
            if phase in ("act", "done")
            else "",
        )
        project.core_functions = [self.topics[s] for s in theme["core"]]
        project.policy_topics = [self.topics[s] for s in theme["topics"]]
        project.work_fields = [self.work_fields[c] for c in theme["fields"]]
        self._add_indicators(project, theme, phase, rng)
        self._add_activities(project, theme, phase, start, end, partners, rng)
        self._add_phase_log(project, phase, start, end, rng)
        if is_assurance and phase != "plan":
            self._add_assurance_checks(project, theme, start, rng)

        if draft:
            project.live = False
            project.has_unpublished_changes = True
        plan.add_child(instance=project)
        revision = project.save_revision(user=editor, clean=False)
        if not draft:
            revision.publish(user=editor, skip_permission_checks=True)
        self.summary.projects_created += 1
        return project

    def _add_indicators(self, project, theme, phase, rng):
        chosen = rng.sample(
            theme["indicators"], min(len(theme["indicators"]), rng.randint(1, 3))
        )
        progress = {
            "plan": None,
            "do": (0.2, 0.6),
            "check": (0.55, 1.05),
            "act": (0.6, 1.1),
            "done": (0.7, 1.25),
        }[phase]
        for position, (name, unit, lo, hi) in enumerate(chosen):
            target = Decimal(rng.randint(lo, hi))
            result = None
            if progress is not None:
                raw = float(target) * rng.uniform(*progress)
                if unit in ("%", "cijfer"):
                    raw = min(raw, 100.0 if unit == "%" else 10.0)
                    result = Decimal(str(round(raw, 1)))
                else:
                    result = Decimal(round(raw))
            baseline = (
                Decimal(round(float(target) * rng.uniform(0.5, 0.8)))
                if rng.random() < 0.3 and unit != "cijfer"
                else None
            )
            project.indicators.add(
                ProjectIndicator(
                    sort_order=position,
                    name=name,
                    unit=unit,
                    baseline=baseline,
                    target=target,
                    result=result,
                )
            )

    def _add_activities(self, project, theme, phase, start, end, partners, rng):
        steps = theme["activities"][
            : rng.randint(min(3, len(theme["activities"])), len(theme["activities"]))
        ]
        span = max((end - start).days, 1)
        done_share = {"plan": 0.0, "do": 0.5, "check": 0.8, "act": 0.9, "done": 1.0}[
            phase
        ]
        for position, what in enumerate(steps):
            when = start + datetime.timedelta(
                days=span * position // max(len(steps) - 1, 1)
            )
            fraction = (position + 1) / len(steps)
            if fraction <= done_share:
                status = ProjectActivity.Status.DONE
            elif phase != "plan" and fraction - 1 / len(steps) < done_share:
                status = ProjectActivity.Status.IN_PROGRESS
            else:
                status = ProjectActivity.Status.PLANNED
            if phase == "done" and position == len(steps) - 1 and rng.random() < 0.15:
                status = ProjectActivity.Status.CANCELLED
            who = rng.choice(ROLES + partners[:1])
            project.activities.add(
                ProjectActivity(
                    sort_order=position, what=what, who=who, when=when, status=status
                )
            )

    def _add_phase_log(self, project, phase, start, end, rng):
        reached = PHASES[: PHASES.index(phase) + 1]
        span = max((end - start).days, 1)
        for position, step in enumerate(reached):
            day = start + datetime.timedelta(
                days=span * position // max(len(PHASES) - 1, 1)
            )
            project.phase_log.add(
                PhaseLogEntry(
                    sort_order=position,
                    phase=step,
                    date=day,
                    note=rng.choice(content.LOG_NOTES[step]),
                )
            )

    def _add_assurance_checks(self, project, theme, start, rng):
        months = theme["cycle"]
        count = max(1, min(3, 12 // months - 1))
        for position in range(count):
            day = start + datetime.timedelta(days=30 * months * (position + 1) - 5)
            ok = rng.random() < 0.75
            project.assurance_checks.add(
                AssuranceCheck(
                    sort_order=position,
                    date=day,
                    findings="Afspraken worden nageleefd; documentatie is actueel."
                    if ok
                    else "Twee punten niet op orde; registratie liep achter.",
                    actions=""
                    if ok
                    else "Verantwoordelijke aangewezen; controle over een maand.",
                    completed_by=rng.choice(
                        ["kwaliteitscoördinator", "teamleider", "directeur"]
                    ),
                )
            )
