"""The document environment: a library's documents by work field and topic."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Prefetch

from bm_pages.models import (
    LibraryDocument,
    LibraryPage,
    PolicyTopic,
    WorkField,
)

if TYPE_CHECKING:
    pass

from bm_pages.certification.dates import judged_on


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


@dataclass
class TopicNode:
    """The documents of one policy topic (``topic`` is ``None``: no topic)."""

    topic: PolicyTopic | None
    items: list[DocumentItem] = field(default_factory=list)


@dataclass
class WorkFieldNode:
    """One work field with its documents per policy topic.

    ``work_field`` is ``None`` for documents not filed under a work field.
    """

    work_field: WorkField | None
    topics: list[TopicNode] = field(default_factory=list)
    document_count: int = 0

    @property
    def is_norm(self) -> bool:
        return (
            self.work_field is not None and self.work_field.kind == WorkField.Kind.NORM
        )


@dataclass
class DocumentEnvironment:
    """A library's documents ordered work field -> policy topic -> document.

    ``tree`` lists every norm of the framework (empty ones too, so gaps show),
    modules with documents, and last the documents without a work field.
    ``norms_without_evidence``: norms no document of the library evidences.
    ``overdue``: documents past their review date. ``total`` counts the documents
    shown (after filters); the two lists always cover all of the library's documents.
    """

    library: LibraryPage
    tree: list[WorkFieldNode]
    norms_without_evidence: list[WorkField]
    overdue: list[DocumentItem]
    total: int
    total_unfiltered: int
    today: datetime.date
    filtered: bool = False


def document_environment(
    library: LibraryPage,
    *,
    today: datetime.date | None = None,
    work_field: WorkField | None = None,
    policy_topic: PolicyTopic | None = None,
    overdue_only: bool = False,
) -> DocumentEnvironment:
    """The library's document environment, optionally filtered.

    :param library: the library.
    :param today: the date to judge review dates by (default: today).
    :param work_field: show only documents filed under this work field.
    :param policy_topic: show only documents about this policy topic.
    :param overdue_only: show only documents past their review date.
    """
    today = judged_on(today)
    work_fields = list(WorkField.objects.all())
    items = document_items(library, today)
    evidenced = {norm.pk for item in items for norm in item.norms}
    missing = [
        wf
        for wf in work_fields
        if wf.kind == WorkField.Kind.NORM and wf.pk not in evidenced
    ]
    overdue = sorted(
        (item for item in items if item.overdue),
        key=lambda item: (item.document.review_date, item.document.title),
    )

    shown = items
    if work_field is not None:
        shown = [i for i in shown if i.document.work_field_id == work_field.pk]
    if policy_topic is not None:
        shown = [i for i in shown if any(t.pk == policy_topic.pk for t in i.topics)]
    if overdue_only:
        shown = [i for i in shown if i.overdue]
    filtered = work_field is not None or policy_topic is not None or overdue_only

    by_field: dict[int | None, list[DocumentItem]] = defaultdict(list)
    for item in shown:
        by_field[item.document.work_field_id].append(item)
    tree = []
    for wf in work_fields:
        if work_field is not None and wf.pk != work_field.pk:
            continue
        field_items = by_field.get(wf.pk, [])
        if not field_items and (wf.kind != WorkField.Kind.NORM or filtered):
            continue
        tree.append(_work_field_node(wf, field_items, policy_topic))
    if by_field.get(None):
        tree.append(_work_field_node(None, by_field[None], policy_topic))
    return DocumentEnvironment(
        library=library,
        tree=tree,
        norms_without_evidence=missing,
        overdue=overdue,
        total=len(shown),
        total_unfiltered=len(items),
        today=today,
        filtered=filtered,
    )


def _work_field_node(
    work_field: WorkField | None,
    items: list[DocumentItem],
    only_topic: PolicyTopic | None,
) -> WorkFieldNode:
    topics: dict[int, TopicNode] = {}
    untagged = TopicNode(topic=None)
    for item in items:
        if not item.topics:
            untagged.items.append(item)
        for topic in item.topics:
            if only_topic is not None and topic.pk != only_topic.pk:
                continue
            topics.setdefault(topic.pk, TopicNode(topic=topic)).items.append(item)
    nodes = sorted(topics.values(), key=lambda n: (n.topic.sort_order, n.topic.name))
    if untagged.items:
        nodes.append(untagged)
    return WorkFieldNode(work_field=work_field, topics=nodes, document_count=len(items))
