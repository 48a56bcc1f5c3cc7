"""App configuration of the catalog app."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "catalog"
    verbose_name = _("Číselníky")

    def ready(self) -> None:
        from catalog.codes import reset_code_lists
        from catalog.models import AgeGroup, LifeSituation, ProvisionForm, ServiceType, TargetGroup

        # A code list saved in this process is seen by the next request at once.
        for model in (AgeGroup, LifeSituation, ProvisionForm, ServiceType, TargetGroup):
            post_save.connect(
                reset_code_lists, sender=model, dispatch_uid=f"codes-{model.__name__}"
            )
            post_delete.connect(
                reset_code_lists, sender=model, dispatch_uid=f"codes-del-{model.__name__}"
            )
