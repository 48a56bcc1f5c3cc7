"""What the MPSV registry import remembers between runs.

`RegistryRecord` ties one registered service of the registry (its stable `portalId`) to
the directory's `Service` and keeps a hash of the record as it was last imported, so a
second import of the same file recognises every record as unchanged without touching
the directory. `ImportRun` is the log of one run: counts, rejected records with reasons,
warnings (unknown codes).

Neither keeps the record itself: the registry's `statutarniOrgany` (names of people) and
the streets of hidden addresses never reach the database, not even here.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Service


class ImportRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("běží")
        FINISHED = "finished", _("dokončen")
        FAILED = "failed", _("přerušen")

    started_at = models.DateTimeField(_("začátek"), auto_now_add=True)
    finished_at = models.DateTimeField(_("konec"), null=True, blank=True)
    source = models.CharField(_("zdroj"), max_length=500)
    territory = models.CharField(_("území"), max_length=50, blank=True)
    codelists = models.CharField(_("číselníky"), max_length=500, blank=True)
    status = models.CharField(
        _("stav"), max_length=10, choices=Status.choices, default=Status.RUNNING
    )
    items = models.PositiveIntegerField(_("záznamů v souboru"), default=0)
    created = models.PositiveIntegerField(_("nové"), default=0)
    updated = models.PositiveIntegerField(_("změněné"), default=0)
    unchanged = models.PositiveIntegerField(_("beze změny"), default=0)
    ended = models.PositiveIntegerField(_("ukončené"), default=0)
    rejected = models.PositiveIntegerField(_("odmítnuté"), default=0)
    skipped = models.PositiveIntegerField(_("mimo území"), default=0)
    missing = models.PositiveIntegerField(_("chybí v souboru"), default=0)
    # [{"identifier": "portalId 123 / IČS 4567890", "reason": "…"}], at most REJECTIONS_KEPT.
    rejections = models.JSONField(_("odmítnuté záznamy"), default=list, blank=True)
    warnings = models.JSONField(_("upozornění"), default=list, blank=True)
    message = models.TextField(_("zpráva"), blank=True)

    REJECTIONS_KEPT = 1000

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("import registru MPSV")
        verbose_name_plural = _("importy registru MPSV")

    def __str__(self) -> str:
        return f"{self.source} ({self.started_at:%Y-%m-%d %H:%M})"


class RegistryRecord(models.Model):
    """One registered service of the registry, by its stable `portalId`."""

    portal_id = models.CharField(_("portalId"), max_length=40, unique=True)
    identifier = models.CharField(_("identifikátor služby (IČS)"), max_length=20, blank=True)
    service = models.OneToOneField(Service, on_delete=models.CASCADE, related_name="mpsv_record")
    # sha256 of the record as imported (without statutarniOrgany) and of the code mapping.
    content_hash = models.CharField(_("otisk záznamu"), max_length=64)
    registered_until = models.DateField(_("registrace do"), null=True, blank=True)
    ended = models.BooleanField(_("registrace ukončena"), default=False)
    first_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_run = models.ForeignKey(
        ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("naposledy změněno importem"), auto_now=True)

    class Meta:
        verbose_name = _("záznam registru MPSV")
        verbose_name_plural = _("záznamy registru MPSV")

    def __str__(self) -> str:
        return self.identifier or self.portal_id
