"""App configuration of the mpsv app."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MpsvConfig(AppConfig):
    name = "mpsv"
    verbose_name = _("Registr MPSV")
