"""Copy to next year asks for what must change (issue 14, item 11): the plan's new
introduction (prefilled, the old year's sentences pointed out), and a copied
indicator that starts at its target is flagged on the copied project."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from bm_pages.models import AnnualPlanPage, ProjectPage
from tests.bm_pages.roles_helpers import RolesWorld, edit_form_data, read_form
from tests.factories import ProjectIndicatorFactory

pytestmark = pytest.mark.django_db

OLD_INTRODUCTION = (
    "<p>Onze ambitie voor 2026: iedereen leest. Wij werken samen.</p>"
    "<p>Met scholen & buurthuizen.</p>"
)


def contentstate(*paragraphs: str) -> str:
    """Rich text as the editor's Draftail field posts it."""
    return json.dumps(
        {
            "blocks": [
                {
                    "key": f"b{n}",
                    "type": "unstyled",
                    "depth": 0,
                    "text": text,
                    "inlineStyleRanges": [],
                    "entityRanges": [],
                    "data": {},
                }
                for n, text in enumerate(paragraphs)
            ],
            "entityMap": {},
        }
    )


@pytest.fixture
def plan(roles_world: RolesWorld) -> AnnualPlanPage:
    plan = AnnualPlanPage.objects.get(pk=roles_world.plan_a.pk)
    plan.introduction = OLD_INTRODUCTION
    plan.save_revision(user=roles_world.user("editor_a")).publish()
    return plan


@pytest.fixture
def editor(roles_world: RolesWorld) -> Client:
    client = Client()
    client.force_login(roles_world.user("editor_a"))
    return client


def copy_url(page) -> str:
    return f"/admin/bm-pages/copy-to-next-year/{page.pk}/"


def told(response) -> list[str]:
    """The messages shown, without the buttons Wagtail renders into them."""
    return [
        str(message).split("<", 1)[0].strip()
        for message in response.context["messages"]
    ]


def test_the_copy_form_asks_for_the_new_introduction(plan, editor):
    html = editor.get(copy_url(plan)).content.decode()
    note = html.split('data-bm="year-mentions"', 1)[1].split("</div>", 1)[0]
    assert "De inleiding noemt nog 2026" in note
    assert "Onze ambitie voor <mark>2026</mark>: iedereen leest." in note
    assert "Wij werken samen." not in note
    assert "Inleiding voor 2027" in html
    # Prefilled with this year's introduction, in the editor's rich text field.
    sent = json.loads(read_form(html, "copy-to-next-year-form")["introduction"][0])
    assert [block["text"] for block in sent["blocks"]] == [
        "Onze ambitie voor 2026: iedereen leest. Wij werken samen.",
        "Met scholen & buurthuizen.",
    ]


def test_the_new_introduction_goes_into_the_copy(plan, editor):
    response = editor.post(
        copy_url(plan),
        {"introduction": contentstate("Onze ambitie voor 2027: iedereen doet mee.")},
        follow=True,
    )
    new_plan = AnnualPlanPage.objects.get(library=plan.library, year=2027)
    assert response.redirect_chain[-1][0] == f"/admin/pages/{new_plan.pk}/edit/"
    assert re.fullmatch(
        r"<p[^>]*>Onze ambitie voor 2027: iedereen doet mee\.</p>",
        new_plan.introduction,
    )
    assert not any("noemt nog" in message for message in told(response))
    assert AnnualPlanPage.objects.get(pk=plan.pk).introduction == OLD_INTRODUCTION


def test_keeping_the_old_introduction_is_flagged(plan, editor):
    form = read_form(
        editor.get(copy_url(plan)).content.decode(), "copy-to-next-year-form"
    )
    response = editor.post(copy_url(plan), form, follow=True)
    new_plan = AnnualPlanPage.objects.get(library=plan.library, year=2027)
    assert "Onze ambitie voor 2026" in new_plan.introduction
    assert any("De inleiding noemt nog 2026" in m for m in told(response))


def test_a_copied_indicator_at_its_target_is_flagged_on_the_copy(
    roles_world: RolesWorld, plan, editor
):
    project = roles_world.live_project_a
    ProjectIndicatorFactory(
        page=project, name="deelnemers", target=Decimal("40"), result=Decimal("40")
    )
    ProjectIndicatorFactory(
        page=project, name="sessies", target=Decimal("12"), result=Decimal("7")
    )
    project.save_revision(user=roles_world.user("editor_a")).publish()
    response = editor.post(copy_url(plan), follow=True)
    assert any("“deelnemers” van “Taalhuis Aland”" in m for m in told(response))

    copy = ProjectPage.objects.get(copied_from=project)
    flag = "“deelnemers” begint bij de streefwaarde (40): stel een nieuwe streefwaarde vast."
    opened = editor.get(f"/admin/pages/{copy.pk}/edit/")
    assert flag in told(opened)
    assert not any("sessies" in m for m in told(opened))
    # The original, not a copy, says nothing.
    original = editor.get(f"/admin/pages/{project.pk}/edit/")
    assert not any("streefwaarde" in m for m in told(original))

    # A new target saved by the editor ends the flag.
    data = edit_form_data(editor, copy)
    row = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.startswith("indicators-")
        and key.endswith("-name")
        and value == ["deelnemers"]
    )
    data[f"indicators-{row}-target"] = ["60"]
    assert editor.post(f"/admin/pages/{copy.pk}/edit/", data).status_code == 302
    assert flag not in told(editor.get(f"/admin/pages/{copy.pk}/edit/"))


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("editor_a", True),
        ("approver_a", True),
        ("superuser", True),
        ("auditor_a", False),
        ("editor_b", False),
        ("anonymous", False),
    ],
)
def test_who_gets_the_copy_form(roles_world: RolesWorld, plan, role, allowed):
    client = Client()
    if roles_world.user(role) is not None:
        client.force_login(roles_world.user(role))
    response = client.get(copy_url(plan))
    assert (response.status_code == 200) == allowed
    assert ('name="introduction"' in response.content.decode()) == allowed
    response = client.post(copy_url(plan), {"introduction": contentstate("Nieuw.")})
    assert AnnualPlanPage.objects.filter(year=2027).exists() == allowed
