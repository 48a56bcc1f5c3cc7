"""Kraje, okresy, ORP and obce by their ČSÚ codes, and territories (named sets of obce)."""

from __future__ import annotations

import math
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    """Kraj (NUTS 3)."""

    code = models.PositiveIntegerField(_("kód ČSÚ"), primary_key=True)
    ruian_code = models.PositiveIntegerField(_("kód RÚIAN"), unique=True)
    nuts_code = models.CharField(_("kód NUTS"), max_length=5, unique=True)
    name = models.CharField(_("název"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("kraj")
        verbose_name_plural = _("kraje")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """Okres (LAU 1)."""

    code = models.PositiveIntegerField(_("kód ČSÚ"), primary_key=True)
    ruian_code = models.PositiveIntegerField(_("kód RÚIAN"), unique=True)
    lau_code = models.CharField(_("kód LAU 1"), max_length=6)
    name = models.CharField(_("název"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="districts")

    class Meta:
        ordering = ["name"]
        verbose_name = _("okres")
        verbose_name_plural = _("okresy")

    def __str__(self) -> str:
        return self.name


class Orp(models.Model):
    """Obec s rozšířenou působností (ORP) — the area of a municipal social work office."""

    code = models.PositiveIntegerField(_("kód ČSÚ"), primary_key=True)
    name = models.CharField(_("název"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="orps")

    class Meta:
        ordering = ["name"]
        verbose_name = _("ORP")
        verbose_name_plural = _("ORP")

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    """Obec, keyed by its ČSÚ code (the same number as RÚIAN and MPSV's `Obec/<kód>`)."""

    code = models.PositiveIntegerField(_("kód obce"), primary_key=True)
    name = models.CharField(_("název"), max_length=100, db_index=True)
    pou_code = models.PositiveIntegerField(_("kód POU"))
    pou_name = models.CharField(_("název POU"), max_length=100)
    orp = models.ForeignKey(Orp, on_delete=models.PROTECT, related_name="municipalities")
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="municipalities")
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="municipalities")
    # RÚIAN definiční bod (WGS 84): near the town hall, a good "where people live" point.
    latitude = models.FloatField(_("zeměpisná šířka"))
    longitude = models.FloatField(_("zeměpisná délka"))

    class Meta:
        ordering = ["name", "code"]
        verbose_name = _("obec")
        verbose_name_plural = _("obce")

    def __str__(self) -> str:
        return self.name

    def label(self) -> str:
        """Name that tells namesakes apart ("Březová (okres Opava)")."""
        return f"{self.name} ({_('okres')} {self.district.name})"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Straight-line (haversine) distance; not a road distance."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(a))


class Territory(models.Model):
    """A MAS, microregion, ORP or kraj: a named set of obce with its own public portal."""

    class Kind(models.TextChoices):
        MAS = "mas", _("místní akční skupina (MAS)")
        MICROREGION = "microregion", _("mikroregion")
        ORP = "orp", _("ORP")
        REGION = "region", _("kraj")
        NATIONAL = "national", _("celá republika")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("zkratka v adrese"), unique=True)
    name = models.CharField(_("název"), max_length=200)
    kind = models.CharField(_("druh"), max_length=20, choices=Kind.choices)
    municipalities = models.ManyToManyField(
        Municipality, related_name="territories", verbose_name=_("obce"), blank=True
    )
    intro = models.TextField(_("úvodní text portálu"), blank=True)
    about = models.TextField(_("o projektu"), blank=True)
    # Contact of the territory's worker: a work role, not a private person's data.
    contact_name = models.CharField(_("kontaktní pracovník"), max_length=200, blank=True)
    contact_role = models.CharField(_("funkce"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail"), blank=True)
    contact_phone = models.CharField(_("telefon"), max_length=40, blank=True)
    contact_hours = models.CharField(_("kdy nás zastihnete"), max_length=200, blank=True)
    is_demo = models.BooleanField(_("ukázková data"), default=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("území")
        verbose_name_plural = _("území")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("portal:home", kwargs={"territory": self.slug})

    def centre(self) -> tuple[float, float] | None:
        """Mean point of the territory's obce, for the map."""
        points = list(self.municipalities.values_list("latitude", "longitude"))
        if not points:
            return None
        return (
            sum(p[0] for p in points) / len(points),
            sum(p[1] for p in points) / len(points),
        )
