"""The project editor's panels: similar projects, and what similar projects achieved."""

from __future__ import annotations

import json
import logging

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from bm_pages.models import ProjectPage
from bm_pages.roles import library_of

from .clients import MatcherUnavailable
from .results import MAX_PERCENT, achieved_by_similar
from .visibility import may_search

logger = logging.getLogger("bm_matching")


class SimilarProjectsPanel(Panel):
    """Shows projects of other libraries that resemble the one being written.

    Reads the title and summary fields as the editor types and asks
    ``bm_matching:similar_projects`` for results (see ``static/bm_matching/
    similar_projects.js``). Shown to library staff and superusers. The library of
    the page being edited (or of the plan a new project is added to) is left out.

    :param sources: names of the form fields whose text makes the query.
    """

    def __init__(self, sources: tuple[str, ...] = ("title", "summary"), **kwargs):
        kwargs.setdefault("heading", _("Similar projects of other libraries"))
        super().__init__(**kwargs)
        self.sources = tuple(sources)

    def clone_kwargs(self):
        kwargs = super().clone_kwargs()
        kwargs["sources"] = self.sources
        return kwargs

    class BoundPanel(Panel.BoundPanel):
        template_name = "bm_matching/panels/similar_projects.html"

        class Media:
            js = ["bm_matching/similar_projects.js"]
            css = {"all": ["bm_matching/similar_projects.css"]}

        def is_shown(self) -> bool:
            if self.request is None:
                return False
            return may_search(self.request.user)

        def _library_id(self) -> int | None:
            """The library of the project being edited, or of the plan it is added to."""
            page = (
                self.instance
                if self.instance is not None and self.instance.pk
                else None
            )
            if page is None:
                page = getattr(self.form, "parent_page", None)
            library = library_of(page)
            return library.pk if library is not None else None

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["search_url"] = reverse("bm_matching:similar_projects")
            context["sources"] = ",".join(
                self.form[name].id_for_label
                for name in self.panel.sources
                if self.form is not None and name in self.form.fields
            )
            library_id = self._library_id()
            context["params_json"] = json.dumps(
                {"exclude_library": library_id} if library_id else {}
            )
            return context


class AchievedBySimilarPanel(Panel):
    """ "Similar projects at other libraries achieved on average X% of their target",
    with the projects behind the figure (``bm_matching.results``).

    Shown in the editor of a saved project to library staff and superusers, built
    when the editor opens from the project as last saved (a new project has no
    indicators to compare yet).
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Results of similar projects"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "bm_matching/panels/achieved_by_similar.html"

        def is_shown(self) -> bool:
            return (
                self.request is not None
                and isinstance(self.instance, ProjectPage)
                and self.instance.pk is not None
                and may_search(self.request.user)
            )

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["max_percent"] = MAX_PERCENT
            try:
                context["found"] = achieved_by_similar(
                    self.instance, self.request.user, request=self.request
                )
            except MatcherUnavailable as exc:
                logger.warning("achieved by similar: matcher unavailable: %s", exc)
                context["unavailable"] = True
            return context
