"""Custom editor panels of bm_pages."""

from __future__ import annotations

from django.utils.text import capfirst
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList, Panel

#: Hook for panels other apps add to the project editor's first tab, below the
#: summary: ``@hooks.register(PROJECT_EDITOR_PANELS)`` on a function returning a list
#: of panels (bm_matching adds its similar-projects panel).
PROJECT_EDITOR_PANELS = "bm_pages_project_editor_panels"

#: Hook for panels at the top of the project editor's "Assurance" tab: the
#: "Complete cycle" button (``bm_pages.admin.assurance``), which asks who may use it.
PROJECT_ASSURANCE_PANELS = "bm_pages_project_assurance_panels"


class PanelSlot(Panel):
    """A place in a panel list that other apps fill through a hook.

    bm_pages cannot import the apps built on it, so it leaves slots; a
    :class:`SlottedObjectList` replaces each with what the hook's functions return
    when the edit handler is bound to its model (after every app's hooks loaded).
    """

    def __init__(self, hook_name: str, **kwargs):
        super().__init__(**kwargs)
        self.hook_name = hook_name

    def clone_kwargs(self):
        return {**super().clone_kwargs(), "hook_name": self.hook_name}

    def contributed(self) -> list[Panel]:
        return [panel for fn in hooks.get_hooks(self.hook_name) for panel in fn()]


class SlottedObjectList(ObjectList):
    """An ``ObjectList`` (a tab) whose :class:`PanelSlot` children are filled."""

    def on_model_bound(self):
        self.children = [
            panel
            for child in self.children
            for panel in (
                child.contributed() if isinstance(child, PanelSlot) else [child]
            )
        ]
        super().on_model_bound()


#: Who may change a library's set-up fields (``LibraryPage.SETUP_FIELDS``): its
#: regional network and document collection. Superusers have it; no library role
#: group gets it (``bm_pages.actions.setup_library``).
SETUP_PERMISSION = "bm_pages.change_library_setup"


class SetUpFieldPanel(FieldPanel):
    """A field only users with ``SETUP_PERMISSION`` may change; others see its value.

    The permission leaves the field out of the form for everyone else (Wagtail's
    ``field_permissions``), so whatever such a user posts for it is ignored; instead
    of hiding it, the panel then shows the current value, read-only.
    """

    def __init__(self, field_name, *args, **kwargs):
        kwargs.setdefault("permission", SETUP_PERMISSION)
        super().__init__(field_name, *args, **kwargs)

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.form is not None and self.bound_field is None:
                self.read_only = True
                self.heading = self.panel.heading or capfirst(
                    self.panel.db_field.verbose_name
                )
                self.help_text = self.panel.help_text or capfirst(
                    self.panel.db_field.help_text
                )

        def is_shown(self):
            return self.read_only or super().is_shown()


class ProvenancePanel(Panel):
    """The "Provenance" tab: where a project came from, only what is known.

    Wagtail's read-only field panels write "None" for an empty value; this lists
    the source project, library, plan year, address and import date of an imported
    project, and the project of last year a copy was made from, each only when
    recorded, and says so when there is nothing.
    """

    class BoundPanel(Panel.BoundPanel):
        template_name = "bm_pages/admin/panels/provenance.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            page = self.instance
            copied_from = page.copied_from if page.copied_from_id else None
            context.update(
                {
                    "page": page,
                    "copied_from": copied_from,
                    "imported": bool(page.source_title or page.source_page_id),
                }
            )
            return context
