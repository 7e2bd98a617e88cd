"""Admin views: the editor panel's JSON endpoint and the "Find projects" page."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from bm_pages.models import ProjectPage

from . import feedback
from .clients import MatcherUnavailable
from .forms import FindProjectsForm, SimilarProjectsForm
from .peers import NoProfileError, reference_library, unlike_library_ids
from .search import (
    PAGE_PERMISSIONS,
    SearchOutcome,
    SimilarProject,
    find_similar_projects,
)
from .visibility import libraries_of, may_search

logger = logging.getLogger("bm_matching")

RESULTS_TEMPLATE = "bm_matching/includes/results.html"
FIND_PAGE_RESULTS = 20


def unavailable_message() -> str:
    return gettext(
        "Similar projects cannot be shown right now: the matching service is not "
        "reachable. You can keep working; your changes are saved as usual. Try "
        "again in a few minutes."
    )


def _errors_message(form: SimilarProjectsForm) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def _render(request: HttpRequest, context: dict) -> str:
    return render_to_string(RESULTS_TEMPLATE, context, request=request)


def _results_context(results: list[SimilarProject], query: str) -> dict:
    """Good and possible matches shown; weak ones behind a toggle."""
    return {
        "results": results,
        "shown": [r for r in results if r.level != "weak"],
        "weak": [r for r in results if r.level == "weak"],
        "query": query,
    }


def _run_search(
    request: HttpRequest, form: SimilarProjectsForm, own: list
) -> SearchOutcome:
    data = form.cleaned_data
    exclude = [data["exclude_library"]] if data.get("exclude_library") else []
    if data.get("like_mine"):  # may raise NoProfileError
        exclude += unlike_library_ids(
            reference_library(own, data.get("exclude_library"))
        )
    return find_similar_projects(
        request.user,
        data["q"],
        k=data["k"],
        network=data.get("network"),
        year=data.get("year"),
        exclude_library_ids=exclude,
        request=request,
        own_libraries=own,
    )


def similar_projects(request: HttpRequest) -> JsonResponse:
    """``GET ?q=...``: similar projects as an HTML fragment (``html``) plus counts.

    400 for bad parameters, 403 for users who may not search, 503 when the matcher
    is unreachable; every answer carries ``html`` with a message for the editor.
    """
    own = libraries_of(request.user)
    if not may_search(request.user, own):
        message = gettext("Only library staff can look for similar projects.")
        return JsonResponse(
            {"html": _render(request, {"message": message}), "count": 0}, status=403
        )
    form = SimilarProjectsForm(request.GET)
    if not form.is_valid():
        return JsonResponse(
            {
                "html": _render(request, {"message": _errors_message(form)}),
                "count": 0,
                "errors": form.errors,
            },
            status=400,
        )
    if not form.cleaned_data["q"]:
        return JsonResponse(
            {"html": _render(request, {"empty_query": True}), "count": 0}
        )
    try:
        outcome = _run_search(request, form, own)
    except NoProfileError as exc:
        html = _render(request, {"message": str(exc)})
        return JsonResponse({"html": html, "count": 0}, status=400)
    except MatcherUnavailable as exc:
        logger.warning("similar projects: matcher unavailable: %s", exc)
        html = _render(request, {"message": unavailable_message(), "error": True})
        return JsonResponse({"html": html, "count": 0}, status=503)
    html = _render(request, _results_context(outcome.results, form.cleaned_data["q"]))
    response = JsonResponse(
        {
            "html": html,
            "count": len(outcome.results),
            "took_ms": round(outcome.total_ms, 1),
            "matcher_ms": round(outcome.matcher_ms, 1),
        }
    )
    response["Server-Timing"] = (
        f"matcher;dur={outcome.matcher_ms:.1f}, search;dur={outcome.total_ms:.1f}"
    )
    return response


def open_result(request: HttpRequest, project_id: int) -> HttpResponseRedirect:
    """``GET ?q=...``: a result opened from a search; records the "open" signal and
    goes where the result's link goes (the editor if the user may edit it)."""
    own = libraries_of(request.user)
    if not may_search(request.user, own):
        raise PermissionDenied
    page = get_object_or_404(ProjectPage.objects.live(), pk=project_id)
    feedback.record(request.GET.get("q", ""), page.pk, "open")
    if PAGE_PERMISSIONS.user_has_permission_for_instance(request.user, "change", page):
        return redirect("wagtailadmin_pages:edit", page.pk)
    return redirect(page.get_url(request) or "/")


class FindProjectsView(WagtailAdminTemplateMixin, TemplateView):
    """A page to look for projects of other libraries, with network and year filters."""

    template_name = "bm_matching/find_projects.html"
    page_title = _("Find projects")
    header_icon = "group"

    def dispatch(self, request, *args, **kwargs):
        self.own = libraries_of(request.user)
        if not may_search(request.user, self.own):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = None
        if self.request.GET:
            data = self.request.GET.copy()
            data.setdefault("k", str(FIND_PAGE_RESULTS))
        form = FindProjectsForm(data)
        context["form"] = form
        context["search_url"] = reverse("bm_matching:similar_projects")
        context["results_html"] = ""
        if not form.is_bound:
            return context
        if not form.is_valid():
            context["results_html"] = _render(
                self.request, {"message": _errors_message(form)}
            )
        elif form.cleaned_data["q"]:
            try:
                outcome = _run_search(self.request, form, self.own)
            except NoProfileError as exc:
                context["results_html"] = _render(self.request, {"message": str(exc)})
            except MatcherUnavailable as exc:
                logger.warning("find projects: matcher unavailable: %s", exc)
                context["results_html"] = _render(
                    self.request, {"message": unavailable_message(), "error": True}
                )
            else:
                context["results_html"] = _render(
                    self.request,
                    _results_context(outcome.results, form.cleaned_data["q"]),
                )
        return context
