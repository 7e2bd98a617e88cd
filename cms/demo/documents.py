"""Demo documents for the certification document environment and the audit portal.

Each demo library gets a handful of small generated files (PDF and plain text) with
the names libraries use (zelfevaluatie, jaarverslag, meerjarenbeleidsplan, ...),
filed by work field, norms and policy topics, with mixed visibility and some past
their review date. Which documents a library has is seeded per library, so some
libraries miss evidence for a norm. Documents are found by library and title, so
running the loader again adds nothing.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from bm_pages.models import DocumentType, LibraryDocument, PolicyTopic, WorkField

if TYPE_CHECKING:
    from bm_pages.models import LibraryPage

OWN = LibraryDocument.Visibility.OWN
PARTNERS = LibraryDocument.Visibility.PARTNERS
PUBLIC = LibraryDocument.Visibility.PUBLIC

# (title, file name, document type slug, work field code, norms, policy topics,
#  visibility, valid from (days before today), review (days from today; < 0: past))
DOCUMENTS = [
    ("Zelfevaluatie 2025", "zelfevaluatie-2025.pdf", "zelfevaluatie", "1",
     ["1", "6"], ["geletterde-samenleving", "leven-lang-ontwikkelen"], OWN, 120, 240),
    ("Jaarverslag 2025", "jaarverslag-2025.pdf", "jaarverslag", "6",
     ["6"], ["kennis-en-informatie"], PUBLIC, 90, 275),
    ("Meerjarenbeleidsplan 2024-2027", "meerjarenbeleidsplan-2024-2027.pdf",
     "meerjarenbeleidsplan", "1", ["1"],
     ["lezen-en-literatuur", "ontmoeting-en-debat"], PARTNERS, 700, 400),
    ("Jaarplan 2026 (vastgesteld)", "jaarplan-2026.pdf", "jaarplan", "1",
     ["1", "5"], ["ontwikkeling-en-educatie"], PUBLIC, 60, 300),
    ("Auditrapport CBCT 2022", "auditrapport-cbct-2022.pdf", "auditrapport", "6",
     ["6"], [], OWN, 1100, -40),
    ("Verbeterplan na de audit", "verbeterplan-audit.txt", "verbeterplan", "6",
     ["3", "6"], [], OWN, 1000, -120),
    ("Opleidingsplan medewerkers en vrijwilligers", "opleidingsplan.txt", None, "3",
     ["3"], ["leven-lang-ontwikkelen"], OWN, 200, 160),
    ("Samenwerkingsovereenkomst Taalhuis", "samenwerkingsovereenkomst-taalhuis.pdf",
     None, "4", ["4"], ["taalhuis", "geletterde-samenleving"], PARTNERS, 400, 330),
    ("Convenant de Bibliotheek op school", "convenant-bibliotheek-op-school.pdf",
     None, "ED", ["4", "5"], ["bibliotheek-op-school"], PARTNERS, 300, -15),
    ("Collectieplan 2025-2026", "collectieplan-2025-2026.pdf", None, "2",
     ["2"], ["lezen-en-literatuur"], PARTNERS, 250, 200),
    ("Privacyverklaring en verwerkingsregister (AVG)", "privacy-avg.txt", None, "7",
     ["7"], [], PUBLIC, 500, 60),
]  # fmt: skip


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small one-page PDF with a title and a few lines of text."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    rows = ["BT /F1 18 Tf 72 770 Td (" + escape(title) + ") Tj ET"]
    y = 740
    for line in lines:
        rows.append(f"BT /F1 11 Tf 72 {y} Td (" + escape(line) + ") Tj ET")
        y -= 16
    stream = "\n".join(rows).encode("cp1252", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
        b"<< /Length "
        + str(len(stream)).encode()
        + b" >>\nstream\n"
        + stream
        + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\n"
        f"startxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def _content(library: LibraryPage, title: str, filename: str) -> bytes:
    lines = [
        library.title,
        "Demodocument van Biblio Monitor (fictieve gegevens).",
        "Geordend volgens Kwaliteit in Beeld (CBCT).",
    ]
    if filename.endswith(".pdf"):
        return _pdf(title, lines)
    return ("\n".join([title, "=" * len(title), "", *lines]) + "\n").encode("utf-8")


def ensure_demo_documents(library: LibraryPage, *, rng=None) -> int:
    """Give ``library`` its demo documents; returns how many were created.

    :param library: a set-up library (with its collection).
    :param rng: a seeded ``random.Random`` deciding which documents it has
        (default: seeded by the library's slug).
    """
    from cms.demo.loader import library_short_name, seeded_random

    rng = rng or seeded_random(f"documents:{library.slug}")
    # Everyone has the core set; the rest differs per library (so gaps differ).
    chosen = DOCUMENTS[:5] + [d for d in DOCUMENTS[5:] if rng.random() < 0.7]
    existing = set(
        LibraryDocument.objects.filter(library=library).values_list("title", flat=True)
    )
    todo = [spec for spec in chosen if spec[0] not in existing]
    if not todo:
        return 0
    today = timezone.localdate()
    owner = (
        get_user_model()
        .objects.filter(username=f"redacteur-{library_short_name(library)}")
        .first()
    )
    types = {t.slug: t for t in DocumentType.objects.all()}
    fields = {w.code: w for w in WorkField.objects.all()}
    topics = {t.slug: t for t in PolicyTopic.objects.all()}
    created = 0
    with transaction.atomic():
        for spec in todo:
            title, filename, type_slug, field_code, norms, topic_slugs = spec[:6]
            visibility, valid_days, review_days = spec[6:]
            document = LibraryDocument(
                title=title,
                library=library,
                collection_id=library.collection_id,
                document_type=types.get(type_slug) if type_slug else None,
                work_field=fields.get(field_code),
                visibility=visibility,
                owner=owner,
                uploaded_by_user=owner,
                valid_from=today - datetime.timedelta(days=valid_days),
                review_date=today + datetime.timedelta(days=review_days),
            )
            document.file.save(
                filename, ContentFile(_content(library, title, filename)), save=False
            )
            document._set_document_file_metadata()
            document.save()
            document.norms.set([fields[c] for c in norms if c in fields])
            document.policy_topics.set([topics[s] for s in topic_slugs if s in topics])
            created += 1
    return created
