"""Two libraries set up with roles, and a browser-like reader of Wagtail admin forms.

Shared by the roles tests in ``tests/bm_pages`` and the browser test in ``tests/e2e``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from django.contrib.auth import get_user_model

from bm_pages.actions.setup_library import SetUpLibraryAction
from bm_pages.models import AnnualPlanPage, LibraryPage, ProjectPage
from tests.builders import make_staff as make_staff
from tests.factories import AnnualPlanPageFactory, ProjectPageFactory, UserFactory

PASSWORD = "biblio-test"
ROLE_NAMES = (
    "anonymous",
    "editor_a",
    "approver_a",
    "auditor_a",
    "editor_b",
    "superuser",
)


@dataclass
class RolesWorld:
    """Libraries A and B, set up, with staff per role and pages in every state.

    ``plan_a`` is live; ``draft_a`` a project never published; ``live_project_a`` a
    live project; ``submitted_a`` a project in A's review workflow, submitted by
    A's editor.
    """

    library_a: LibraryPage
    library_b: LibraryPage
    plan_a: AnnualPlanPage
    plan_b: AnnualPlanPage
    draft_a: ProjectPage
    live_project_a: ProjectPage
    submitted_a: ProjectPage
    draft_b: ProjectPage
    users: dict = field(default_factory=dict)

    def user(self, role_name: str):
        return self.users.get(role_name)


def set_up_library(name: str) -> LibraryPage:
    return (
        SetUpLibraryAction(name).execute(skip_permission_checks=True).library.specific
    )


def draft_project(plan: AnnualPlanPage, user, title: str) -> ProjectPage:
    """A project that was never published, with a first revision by ``user``."""
    project = ProjectPageFactory(parent=plan, title=title, live=False, owner=user)
    project.save_revision(user=user)
    return ProjectPage.objects.get(pk=project.pk)


def build_roles_world() -> RolesWorld:
    library_a = set_up_library("Bibliotheek Aland")
    library_b = set_up_library("Bibliotheek Bemdal")
    staff_a = make_staff(library_a, "aland")
    staff_b = make_staff(library_b, "bemdal")
    superuser = UserFactory(username="beheerder", is_superuser=True, is_staff=True)

    plan_a = AnnualPlanPageFactory(
        parent=library_a, year=2026, title="Jaarplan Aland 2026"
    )
    plan_a.save_revision(user=staff_a["editor"]).publish(user=staff_a["approver"])
    plan_b = AnnualPlanPageFactory(
        parent=library_b, year=2026, title="Jaarplan Bemdal 2026"
    )
    plan_b.save_revision(user=staff_b["editor"]).publish(user=staff_b["approver"])

    draft_a = draft_project(plan_a, staff_a["editor"], "Zeldzaam Aland concept")
    live_project_a = ProjectPageFactory(parent=plan_a, title="Taalhuis Aland")
    live_project_a.save_revision(user=staff_a["editor"]).publish(
        user=staff_a["approver"]
    )
    submitted_a = draft_project(plan_a, staff_a["editor"], "Voorleesexpress Aland")
    submitted_a.get_workflow().start(submitted_a, staff_a["editor"])
    draft_b = draft_project(plan_b, staff_b["editor"], "Zeldzaam Bemdal concept")

    users = {
        "anonymous": None,
        "editor_a": staff_a["editor"],
        "approver_a": staff_a["approver"],
        "auditor_a": staff_a["auditor"],
        "editor_b": staff_b["editor"],
        "approver_b": staff_b["approver"],
        "superuser": superuser,
    }
    return RolesWorld(
        library_a=library_a,
        library_b=library_b,
        plan_a=AnnualPlanPage.objects.get(pk=plan_a.pk),
        plan_b=AnnualPlanPage.objects.get(pk=plan_b.pk),
        draft_a=draft_a,
        live_project_a=ProjectPage.objects.get(pk=live_project_a.pk),
        submitted_a=ProjectPage.objects.get(pk=submitted_a.pk),
        draft_b=draft_b,
        users=users,
    )


# Reading admin forms like a browser -------------------------------------------------


class _FormReader(HTMLParser):
    """Collects what a browser would submit for the form with id ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.depth = 0  # >0 while inside the form
        self.data: list[tuple[str, str]] = []
        self._textarea: str | None = None
        self._text: list[str] = []
        self._select: str | None = None
        self._select_multiple = False
        self._options: list[tuple[str, bool]] = []
        self._option_value: str | None = None
        self._option_text: list[str] = []
        self._option_selected = False

    def _inside(self, attrs: dict) -> bool:
        return self.depth > 0 or attrs.get("form") == self.form_id

    def handle_starttag(self, tag, attrs):
        attrs = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if attrs.get("id") == self.form_id:
                self.depth = 1
            elif self.depth:
                self.depth += 1
            return
        if not self._inside(attrs) or "disabled" in attrs:
            if tag == "option" and self._select is not None:
                self._start_option(attrs)
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "button", "image", "reset", "file"}:
                return
            if kind in {"checkbox", "radio"}:
                if "checked" in attrs:
                    self.data.append((name, attrs.get("value", "on")))
                return
            self.data.append((name, attrs.get("value", "")))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []
        elif tag == "select" and name:
            self._select, self._options = name, []
            self._select_multiple = "multiple" in attrs
        elif tag == "option" and self._select is not None:
            self._start_option(attrs)

    def _start_option(self, attrs):
        self._option_value = attrs.get("value")
        self._option_text = []
        self._option_selected = "selected" in attrs

    def handle_endtag(self, tag):
        if tag == "form" and self.depth:
            self.depth -= 1
        elif tag == "textarea" and self._textarea is not None:
            text = "".join(self._text)
            self.data.append((self._textarea, text.removeprefix("\n")))
            self._textarea = None
        elif tag == "option" and self._select is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            if self._option_value is not None or self._option_text:
                self._end_option()
            chosen = [value for value, selected in self._options if selected]
            if not chosen and self._options and not self._select_multiple:
                chosen = [self._options[0][0]]
            self.data.extend((self._select, value) for value in chosen)
            self._select = None

    def _end_option(self):
        value = self._option_value
        if value is None:
            value = "".join(self._option_text).strip()
        self._options.append((value, self._option_selected))
        # Reset "selected" too: whitespace after the last option would otherwise
        # close a phantom selected option at </select>.
        self._option_value, self._option_text = None, []
        self._option_selected = False

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)
        elif self._select is not None:
            self._option_text.append(data)


def read_form(html: str, form_id: str = "page-edit-form") -> dict[str, list[str]]:
    """The fields a browser would submit for the form, as ``{name: [values]}``."""
    reader = _FormReader(form_id)
    reader.feed(html)
    data: dict[str, list[str]] = {}
    for name, value in reader.data:
        data.setdefault(name, []).append(value)
    return data


def edit_form_data(client, page, **changes) -> dict[str, list[str]]:
    """GET the page's admin edit form with ``client`` and return its data, changed.

    ``changes`` replace single fields (``title="..."``).
    """
    response = client.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200, response
    data = read_form(response.content.decode())
    assert "csrfmiddlewaretoken" in data and "title" in data, sorted(data)
    for name, value in changes.items():
        data[name] = [value]
    return data


def login_client(client, user) -> None:
    if user is not None:
        client.force_login(user)


def get_user(username: str):
    return get_user_model().objects.get(username=username)
