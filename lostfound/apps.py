from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LostfoundConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "lostfound"
    verbose_name = _("Lost and found")
