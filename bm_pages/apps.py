from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BmPagesConfig(AppConfig):
    name = "bm_pages"
    label = "bm_pages"
    verbose_name = _("Biblio Monitor pages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401 - registers the system checks
        from .certification import portal_views
        from .models import AuditPortalPage
        from .roles import register_role_signal_handlers
        from .signal_handlers import register_signal_handlers
        from .workflow_decisions import register_task_decision_guard

        register_signal_handlers()
        register_task_decision_guard()
        register_role_signal_handlers()
        AuditPortalPage.views = portal_views
