from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BmMatchingConfig(AppConfig):
    """Partner matching: the index outbox and its worker, search API and admin views."""

    name = "bm_matching"
    label = "bm_matching"
    verbose_name = _("Biblio Monitor matching")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .signal_handlers import register_signal_handlers

        register_signal_handlers()
