"""The "similar projects" panel of the project editor."""

from __future__ import annotations

import json

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from bm_pages.roles import library_of

from .visibility import may_search


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
