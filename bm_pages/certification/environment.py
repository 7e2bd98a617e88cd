"""The document environment: a library's documents by work field and topic."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from bm_pages.certification.dates import judged_on
from bm_pages.certification.documents import DocumentItem, document_items
from bm_pages.certification.readiness import (
    NormReadiness,
    Readiness,
    readiness_overview,
)
from bm_pages.models import LibraryPage, PolicyTopic, WorkField


@dataclass
class TopicNode:
    """The documents of one policy topic (``topic`` is ``None``: no topic)."""

    topic: PolicyTopic | None
    items: list[DocumentItem] = field(default_factory=list)


@dataclass
class WorkFieldNode:
    """One work field with its documents per policy topic.

    ``work_field`` is ``None`` for documents not filed under a work field.
    ``readiness``: the work field's row of the readiness overview (``None`` for a
    module not in use and for unfiled documents); ``evidenced_elsewhere``: evidence
    for it filed under another work field, so the node says why it counts as ready.
    """

    work_field: WorkField | None
    topics: list[TopicNode] = field(default_factory=list)
    document_count: int = 0
    readiness: NormReadiness | None = None
    evidenced_elsewhere: list[DocumentItem] = field(default_factory=list)

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
    ``readiness``: the readiness overview (``bm_pages.certification.readiness``), the
    same object the audit portal and the admin's overview show;
    ``norms_without_evidence``: its norms and modules in use without evidence.
    ``overdue``: documents past their review date. ``total`` counts the documents
    shown (after filters); the two lists always cover all of the library's documents.
    """

    library: LibraryPage
    tree: list[WorkFieldNode]
    readiness: Readiness
    overdue: list[DocumentItem]
    total: int
    total_unfiltered: int
    today: datetime.date
    filtered: bool = False

    @property
    def norms_without_evidence(self) -> list[WorkField]:
        return self.readiness.without_evidence


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
    readiness = readiness_overview(library, today=today, items=items)
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
        row = readiness.row_for(wf)
        if not field_items and (row is None or filtered):
            continue
        node = _work_field_node(wf, field_items, policy_topic)
        if row is not None:
            node.readiness = row
            node.evidenced_elsewhere = [
                item for item in row.evidence if item.document.work_field_id != wf.pk
            ]
        tree.append(node)
    if by_field.get(None):
        tree.append(_work_field_node(None, by_field[None], policy_topic))
    return DocumentEnvironment(
        library=library,
        tree=tree,
        readiness=readiness,
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
