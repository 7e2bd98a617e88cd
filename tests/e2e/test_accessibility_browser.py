"""WCAG 2.1 AA checked the way the field does: axe-core in a real browser.

Every public page type (home, library, plan, project, search), the audit portal and a
few of our admin screens are loaded in chromium and checked with axe-core (shipped
inside ``axe-playwright-python``). Each page's result is written to the test output; any serious or critical violation fails the test. Screenshots of the
library page and the search results land in ``test-artifacts/screenshots/``.
"""

from __future__ import annotations

import re
import sys

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.bm_pages.certification_helpers import PASSWORD, build_world
from tests.factories import ProjectPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WCAG_21_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
FAILING = {"serious", "critical"}
AXE = Axe()


@pytest.fixture
def say(capsys):
    """Write a line to the test output, past pytest's capturing (no ``-s`` needed)."""

    def write(line: str) -> None:
        with capsys.disabled():
            sys.stdout.write(f"{line}\n")

    return write


def check(page, name: str, say) -> list[str]:
    """Run axe on the loaded page, write its result, return the failing lines."""
    results = AXE.run(page, options=WCAG_21_AA)
    violations = results.response["violations"]
    say(f"axe {name} ({page.url}): {len(violations)} violation(s)")
    failing = []
    for violation in violations:
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:3]
        line = (
            f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
            f"({len(violation['nodes'])} node(s), e.g. {targets})"
        )
        say(line)
        if violation["impact"] in FAILING:
            failing.append(f"{name}: {line.strip()}")
    return failing


def sign_in(page, live_server, username: str, next_url: str) -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(rf".*{re.escape(next_url)}$"))


def test_public_pages_audit_portal_and_admin_have_no_serious_violations(
    page, live_server, screenshot, say
):
    world = build_world()
    # A project in every phase, so axe checks the contrast of every phase badge.
    for phase in ("plan", "check", "done"):
        ProjectPageFactory(parent=world.plan_a, title=f"Fase {phase}", phase=phase)
    base = live_server.url
    failing: list[str] = []

    public = [
        ("home", "/"),
        ("library", world.library_a.url),
        ("plan", world.plan_a.url),
        ("project", world.live_project_a.url),
        ("assurance project", world.assurance_a.url),
        ("search", "/zoeken/?q=taalhuis+klachten"),
        ("search, no results", "/zoeken/?q=zzzz"),
        ("not found", "/bestaat-niet/"),
    ]
    for name, path in public:
        page.goto(f"{base}{path}")
        if name == "plan":
            badges = page.locator(".phase").evaluate_all(
                "els => [...new Set(els.map(e => e.className))].sort()"
            )
            assert len(badges) == 5, badges
        if name in ("library", "search"):
            screenshot(page, name.replace(" ", "-"))
        failing += check(page, name, say)

    # Keyboard only: search from the plan page's search box and open a result.
    page.goto(f"{base}{world.plan_a.url}")
    page.focus("#search-q")
    page.keyboard.type("taalhuis")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/zoeken/\?q=taalhuis.*"))
    result = page.locator('[data-bm="result"] a').first
    result.focus()
    outline = result.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none", outline
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}{world.live_project_a.url}")

    # Keyboard: the first Tab reaches the skip link, and focus is visible.
    page.goto(f"{base}{world.plan_a.url}")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const e = document.activeElement; const s = getComputedStyle(e);"
        " return [e.className, s.outlineStyle, s.outlineWidth]; }"
    )
    assert focused[0] == "skip-link" and focused[1] != "none", focused

    # The audit portal, signed in as the library's auditor.
    portal = world.portal_a.url
    page.goto(f"{base}/_util/login/?next={portal}")
    page.fill("input[name=username]", "auditor-aland")
    page.fill("input[name=password]", PASSWORD)
    page.click("form[data-bm=login] button[type=submit]")
    page.wait_for_url(f"{base}{portal}")
    for name, path in [
        ("audit portal", portal),
        ("audit documents", f"{portal}documenten/"),
        ("audit project", f"{portal}projecten/{world.live_project_a.pk}/"),
        ("audit assurance", f"{portal}borging/"),
    ]:
        page.goto(f"{base}{path}")
        failing += check(page, name, say)

    # Our own admin screens, as the library's editor.
    page.context.clear_cookies()
    sign_in(page, live_server, "redacteur-aland", "/admin/")
    for name, path in [
        ("admin dashboard", "/admin/"),
        ("admin network", "/admin/network/"),
        ("admin project editor", f"/admin/pages/{world.live_project_a.pk}/edit/"),
    ]:
        page.goto(f"{base}{path}")
        page.wait_for_load_state("networkidle")
        failing += check(page, name, say)

    assert not failing, "serious or critical axe violations:\n" + "\n".join(failing)


def test_the_check_itself_fails_on_a_known_violation(page, say):
    """A page with an unlabelled field and grey-on-grey text: axe must object."""
    page.set_content(
        '<html lang="nl"><head><title>Proef</title></head><body><main>'
        '<h1>Proef</h1><p style="color:#aaa;background:#bbb">Onleesbaar</p>'
        '<input type="text"></main></body></html>'
    )
    failing = check(page, "known-bad page", say)
    assert any("color-contrast" in line for line in failing)
    assert any("label" in line for line in failing)
