"""Custom editor panels of bm_pages."""

from __future__ import annotations

from django.utils.text import capfirst
from wagtail.admin.panels import FieldPanel

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
