from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BmMatchingConfig(AppConfig):
    name = "bm_matching"
    label = "bm_matching"
    verbose_name = _("Biblio Monitor matching")
    default_auto_field = "django.db.models.BigAutoField"
