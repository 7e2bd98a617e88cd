"""The project editor's SMART panel: "SMART: 3 van 5", what is missing and where.

Contributed to bm_pages' project editor slot (``PROJECT_EDITOR_PANELS``). Its script
moves it above the editor's tabs, so it stays in view on every tab, and re-checks
the form as the editor types through ``bm_pages_smart:check``.
"""

from __future__ import annotations

from django.urls import reverse
from wagtail.admin.panels import Panel

from bm_pages.models import ProjectPage
from bm_pages.smart.rules import smart_check


class SmartCheckPanel(Panel):
    """The live SMART check of the project being written."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "bm_pages/smart/panel.html"

        class Media:
            js = ["bm_pages/smart/smart_panel.js"]
            css = {"all": ["bm_pages/smart/smart_panel.css"]}

        def is_shown(self) -> bool:
            return self.request is not None and isinstance(self.instance, ProjectPage)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            project = self.instance
            plan = getattr(self.form, "parent_page", None)
            if project.pk:
                params = f"?page={project.pk}"
            else:
                params = f"?plan={plan.pk}" if plan is not None else ""
                if plan is not None and not project.plan_id:
                    project.plan_id = plan.pk
            context["check_url"] = reverse("bm_pages_smart:check") + params
            context["smart"] = smart_check(project)
            return context
