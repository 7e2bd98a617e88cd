"""A library's documents as the certification read models list them."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from bm_pages.models import (
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    WorkField,
)


def library_documents(library: LibraryPage):
    """The library's documents with everything the environment shows, in 3 queries."""
    return (
        LibraryDocument.objects.filter(library=library)
        .select_related("work_field", "document_type", "owner")
        .prefetch_related(
            Prefetch("policy_topics", queryset=PolicyTopic.objects.order_by("name")),
            Prefetch("norms", queryset=WorkField.objects.all()),
        )
        .order_by("title", "pk")
    )


def is_overdue(document: LibraryDocument, today: datetime.date) -> bool:
    """Past its review date: the review date lies before ``today``."""
    return document.review_date is not None and document.review_date < today


@dataclass
class DocumentItem:
    """A document as listed: the document and whether its review is overdue."""

    document: LibraryDocument
    overdue: bool
    topics: list[PolicyTopic]
    norms: list[WorkField]

    @property
    def evidenced_ids(self) -> set[int]:
        """The work fields (norms and modules) this document is evidence for: the
        ones it names as evidenced, and the one it is filed under."""
        ids = {norm.pk for norm in self.norms}
        if self.document.work_field_id is not None:
            ids.add(self.document.work_field_id)
        return ids


def document_items(library: LibraryPage, today: datetime.date) -> list[DocumentItem]:
    """The library's documents as listed, with their topics, norms and review state."""
    return [
        DocumentItem(
            document=document,
            overdue=is_overdue(document, today),
            topics=list(document.policy_topics.all()),
            norms=list(document.norms.all()),
        )
        for document in library_documents(library)
    ]
