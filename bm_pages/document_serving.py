"""Serving library documents: Wagtail's view, plus who may store the answer.

Wagtail's serve view (``wagtail.documents.views.serve.serve``) runs the
``before_serve_document`` hooks (the visibility rule, ``bm_pages.admin.documents``) and
streams the file, but sets no ``Cache-Control``: a shared proxy or CDN could keep a
partners-only or own document and hand it to the next person who asks. So every
answer about a document that is not for everyone (the file, a 304, the 403 page
naming it, the login redirect) is ``Cache-Control: private, no-store``, as the audit
portal's pages are. Public documents outside view-restricted collections stay
cacheable.

Mounted by the host ahead of Wagtail's document URLs, under Wagtail's URL name, so
``reverse("wagtaildocs_serve", ...)`` and ``document.url`` keep working::

    re_path(r"^documents/(\\d+)/(.*)$", document_serving.serve, name="wagtaildocs_serve")
"""

from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.cache import patch_cache_control
from wagtail.documents.views.serve import serve as wagtail_serve

from bm_pages.converters import parse_database_id
from bm_pages.models import LibraryDocument


def serve(request: HttpRequest, document_id: str, document_filename: str):
    """Wagtail's document view; answers about non-public documents are not stored."""
    pk = parse_database_id(document_id)
    if pk is None:
        raise Http404
    response = wagtail_serve(request, pk, document_filename)
    if not shared_caches_may_store(pk):
        patch_cache_control(response, private=True, no_store=True)
    return response


def shared_caches_may_store(document_id: int) -> bool:
    """Whether answers about this document may be kept by shared caches.

    Only for a public document outside any collection with a view restriction
    (Wagtail's own password or login restrictions on collections).
    """
    document = (
        LibraryDocument.objects.filter(pk=document_id)
        .select_related("collection")
        .first()
    )
    return (
        document is not None
        and document.visibility == LibraryDocument.Visibility.PUBLIC
        and not document.collection.get_view_restrictions().exists()
    )
