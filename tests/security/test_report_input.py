"""Issue 13, item 4: the annual report never fails on text an editor can save.

Word pastes control characters (a vertical tab for a line break, ``\\x07``, ``\\x1f``)
that lxml refuses in a .docx, and a goal of ~600 words did not fit one PDF table
cell. Text is cleaned on save (``bm_pages.text.clean_text`` in one pre_save
receiver) and again by both renderers (rows stored before the rule still render);
PDF tables split inside a row; the report API answers JSON errors, never HTML.
Property-based tests (hypothesis) feed arbitrary unicode and long texts through
both renderers and through a save in the admin plus every report download.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.cache import cache
from django.test import Client
from docx import Document
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree
from pypdf import PdfReader
from rest_framework.authtoken.models import Token

from bm_pages.models import FocusArea, ProjectIndicator, ProjectPage
from bm_pages.reports.chart import phase_chart_png
from bm_pages.reports.data import AnnualReport, IndicatorRow, ProjectCard, Section
from bm_pages.reports.docx_report import render_docx
from bm_pages.reports.pdf_report import render_pdf
from bm_pages.text import clean_text
from tests.api.conftest import set_up, token_client, user_with_role
from tests.bm_pages.roles_helpers import edit_form_data

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# What Word pastes, and the rest of what XML 1.0 refuses.
WORD_CONTROLS = "\x0b\x0c\x07\x1f"
REFUSED = "\x00\x01\x08\x0e\x1b" + WORD_CONTROLS + "\ud800\udfff\ufffe\uffff"
PHASES = [("plan", "Plan", 1), ("do", "Do", 0), ("check", "Check", 2)]

# Any code point, surrogates and controls included, with the refused ones often.
any_char = st.one_of(
    st.characters(codec=None, exclude_categories=()), st.sampled_from(REFUSED)
)
# What a browser can submit: no lone surrogates (not UTF-8) and no NUL (Django's
# forms refuse it with a message).
form_char = st.one_of(
    st.characters(codec="utf-8", exclude_characters="\x00"),
    st.sampled_from(WORD_CONTROLS + "\x01\x1b\ufffe\uffff"),
)
# Up to 255: the longest a title (the library's, the plan's, a project's) can be.
short_texts = st.text(any_char, max_size=255)


def long_texts(chars, min_words=500, max_words=900):
    """Several hundred "words" of up to 12 characters: more than a PDF page."""
    return st.lists(
        st.text(chars, min_size=1, max_size=12), min_size=min_words, max_size=max_words
    ).map(" ".join)


def words(count: int) -> str:
    return " ".join(f"woord{i}" for i in range(count))


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return squash("\n".join(page.extract_text() for page in reader.pages))


def xml_accepts(text: str) -> bool:
    try:
        etree.Element("t").text = text
    except ValueError:
        return False
    return True


# clean_text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("regel een\x0bregel twee", "regel een\nregel twee"),  # Word line break
        ("pagina\x0cvolgende", "pagina\nvolgende"),  # Word page break
        ("cel\x07", "cel"),  # Word's end-of-cell mark
        ("a\x1fb\x00c\x01d\x1be", "abcde"),
        ("lone \ud800 surrogate \udfff", "lone  surrogate "),
        ("non\ufffe\uffffcharacters", "noncharacters"),
        ("tab\tnewline\ncr\r kept", "tab\tnewline\ncr\r kept"),
        ("Bibliothèque – “€ 12.500” 📚", "Bibliothèque – “€ 12.500” 📚"),
    ],
)
def test_clean_text_drops_what_xml_refuses(raw, cleaned):
    assert clean_text(raw) == cleaned
    assert xml_accepts(cleaned)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(any_char))
def test_clean_text_output_is_always_valid_xml(text):
    cleaned = clean_text(text)
    assert xml_accepts(cleaned)
    assert clean_text(cleaned) == cleaned
    if xml_accepts(text) and not re.search("[\x0b\x0c]", text):
        assert cleaned == text  # valid text is left alone


# Both renderers, fed directly --------------------------------------------------------


@pytest.fixture(scope="module")
def chart_png() -> bytes:
    return phase_chart_png(PHASES)


def report_of(chart: bytes, text: str, long_text: str) -> AnnualReport:
    """A report with ``text`` in every short field and ``long_text`` as the goal,
    the partners and the evaluation."""
    card = ProjectCard(
        title=text or "–",
        summary=text,
        smart=[
            ("Specifiek", [("Doel", long_text), ("Doelgroep", text)]),
            ("Meetbaar", [("Indicatoren", text)]),
            ("Acceptabel", [("Budget", "–"), ("Partners", long_text)]),
            ("Relevant", [("Beleidsthema's", text)]),
            ("Tijdgebonden", [("Periode", text)]),
        ],
        indicators=[IndicatorRow(text, text, "1", "2", "3", "150%", True)],
        phase="plan",
        phase_label="Plan",
        status_lines=[text],
        evaluation=[long_text, text],
    )
    return AnnualReport(
        library_name=text,
        year=2026,
        plan_title=text,
        introduction=[text],
        sections=[Section(text, [text], [card])],
        phase_counts=PHASES,
        key_figures=[(text, text)],
        generated_on=text,
        chart_png=chart,
    )


@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(text=short_texts, long_text=long_texts(any_char, max_words=700))
@example(text="Word\x0bplakt\x07dit\x1f", long_text=words(600))
@example(text="\ud800\ufffe\x00", long_text="x" * 8000)
def test_both_renderers_take_any_text(chart_png, text, long_text):
    report = report_of(chart_png, text, long_text)

    docx = render_docx(report)
    written = docx_text(docx)
    assert squash(clean_text(text)) in squash(written)
    assert squash(clean_text(long_text)) in squash(written)

    pdf = render_pdf(report)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 2


def test_the_longest_titles_fit_the_word_properties(chart_png):
    """A 255-character library title made the .docx title property too long."""
    report = report_of(chart_png, "b" * 255, "kort")

    properties = Document(io.BytesIO(render_docx(report))).core_properties

    assert properties.title == f"Jaarverslag 2026 – {'b' * 255}"[:255]
    assert properties.author == "b" * 255


@pytest.mark.parametrize("field", ["goal", "partners"])
def test_a_600_word_cell_flows_across_pdf_pages(chart_png, field):
    text = words(600)
    report = report_of(chart_png, "kort", "kort")
    rows = report.sections[0].projects[0].smart
    row = 0 if field == "goal" else 2
    rows[row] = (rows[row][0], [(field, text), *rows[row][1][1:]])
    report.sections[0].projects[0].title = "Projecttitel"

    pdf = render_pdf(report)

    assert "woord0 " in pdf_text(pdf) and "woord599" in pdf_text(pdf)
    # The card follows its project's title rather than leaving a page blank.
    pages = [squash(page.extract_text()) for page in PdfReader(io.BytesIO(pdf)).pages]
    title_page = next(page for page in pages if "Projecttitel" in page)
    assert "SMART-kaart" in title_page and "woord0 " in title_page


# Saved in the admin, downloaded from the admin and the API -----------------------


@pytest.fixture
def people(page_tree, admin_user):
    """A superuser who publishes, and an editor of the library who downloads."""
    set_up(page_tree.library)
    editor = user_with_role(page_tree.library, "editor", "redacteur-rapport")
    admin = Client()
    admin.force_login(admin_user)
    reader = Client()
    reader.force_login(editor)
    api = token_client(Token.objects.create(user=editor))
    return admin, reader, api


def publish(client: Client, project: ProjectPage, **fields):
    data = edit_form_data(client, project, **fields)
    data["kind"], data["phase"] = [project.kind], [project.phase]
    data["action-publish"] = ["action-publish"]
    response = client.post(f"/admin/pages/{project.pk}/edit/", data)
    assert response.status_code == 302, response.context["form"].errors
    return ProjectPage.objects.get(pk=project.pk)


def assert_every_report_renders(reader: Client, api, plan, *expected: str) -> None:
    """Word and PDF, from the admin and the API: 200, the right file, the text."""
    cache.clear()  # the report API's throttle
    for fmt, media_type in (("docx", DOCX), ("pdf", "application/pdf")):
        for response in (
            reader.get(f"/admin/bm-reports/annual-report/{plan.pk}/{fmt}/"),
            api.get(f"/api/plans/{plan.pk}/report/?format={fmt}"),
        ):
            assert response.status_code == 200, response.content[:300]
            assert response["Content-Type"] == media_type
            content = response.content
            text = docx_text(content) if fmt == "docx" else pdf_text(content)
            for snippet in expected:
                assert squash(snippet) in squash(text), snippet


def test_word_control_characters_are_cleaned_on_save_and_report(page_tree, people):
    admin, reader, api = people
    pasted = "Meer ouders\x0blezen\x07 voor\x1f aan baby's."
    project = publish(
        admin,
        page_tree.live_project,
        title="BoekStart\x07 in Teststad",
        summary="Koffertjes\x1f via het consultatiebureau.",
        goal=pasted,
        partners="Consultatiebureau\x0cGGD",
        target_group="Ouders\x1b van baby's",
        evaluation="Goed\x0bbereik.",
        **{"indicators-0-name": "uitgereikte\x07 koffertjes"},
    )

    # Stored clean: line and page breaks as newlines, the rest gone.
    assert project.goal == "Meer ouders\nlezen voor aan baby's."
    assert project.title == "BoekStart in Teststad"
    assert project.summary == "Koffertjes via het consultatiebureau."
    assert project.partners == "Consultatiebureau\nGGD"
    assert project.target_group == "Ouders van baby's"
    assert project.evaluation == "Goed\nbereik."
    assert project.indicators.filter(name="uitgereikte koffertjes").exists()
    assert "\x07" not in project.get_latest_revision().content["title"]
    assert_every_report_renders(
        reader, api, page_tree.plan, "Meer ouders lezen voor aan baby's."
    )


def test_rows_stored_before_the_rule_still_render(page_tree, people):
    """``update()`` skips pre_save, as rows written before the fix did."""
    _admin, reader, api = people
    project = page_tree.live_project
    dirty = "Oud\x0b\x07record\x1f met \x01 controletekens"
    ProjectPage.objects.filter(pk=project.pk).update(
        goal=dirty, partners=dirty, evaluation=dirty, summary=dirty
    )
    ProjectIndicator.objects.filter(page=project).update(name="indicator\x07")
    FocusArea.objects.filter(page=page_tree.plan).update(description=dirty)
    assert ProjectPage.objects.get(pk=project.pk).goal == dirty

    assert_every_report_renders(reader, api, page_tree.plan, "Oud record")


@pytest.mark.parametrize("field", ["goal", "partners"])
def test_a_600_word_goal_or_partners_text_gives_a_pdf(page_tree, people, field):
    admin, reader, api = people
    text = words(600)
    publish(admin, page_tree.live_project, **{field: text})

    assert_every_report_renders(reader, api, page_tree.plan, "woord0 ", "woord599")


@settings(
    max_examples=3,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
@given(
    text=st.text(form_char, max_size=60),
    long_text=long_texts(form_char, min_words=100, max_words=600),
)
def test_any_text_saved_in_the_admin_reports_everywhere(
    page_tree, people, text, long_text
):
    admin, reader, api = people
    project = publish(
        admin,
        page_tree.live_project,
        title=f"Project {text}",
        goal=long_text,
        partners=text,
        evaluation=text,
        target_group=text[:200],
    )

    assert project.goal == clean_text(long_text.strip())
    assert project.partners == clean_text(text.strip())
    assert_every_report_renders(reader, api, page_tree.plan)


# The API's errors stay JSON ------------------------------------------------------


def test_a_failing_report_is_a_dutch_json_error_not_html(
    page_tree, people, monkeypatch
):
    """Nothing an editor saves breaks the report any more, so the failure is
    injected: an unforeseen bug in the PDF renderer."""
    _admin, _reader, api = people

    def broken(report):
        raise RuntimeError("renderer bug")

    monkeypatch.setattr("bm_pages.reports.annual_report.render_pdf", broken)
    api.raise_request_exception = False
    cache.clear()

    response = api.get(f"/api/plans/{page_tree.plan.pk}/report/?format=pdf")

    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "detail": "Het jaarverslag kon niet worden gemaakt. Probeer het later opnieuw.",
        "code": "report_failed",
    }
