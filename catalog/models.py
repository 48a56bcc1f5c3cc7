"""Code lists as data, loaded by migrations from `catalog/data/*.json`.

Names are Czech as the MPSV registry and Act 108/2006 Sb. give them; `name_en`
is the English label shown when the portal is switched to English.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class CodeListEntry(models.Model):
    code = models.CharField(_("kód"), max_length=40, unique=True)
    name = models.CharField(_("název"), max_length=250)
    name_en = models.CharField(_("název anglicky"), max_length=250, blank=True)
    order = models.PositiveSmallIntegerField(_("pořadí"), default=0)

    class Meta:
        abstract = True
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "cs").startswith("en"):
            return self.name_en
        return self.name


class ServiceType(CodeListEntry):
    """A kind of help: a social service of Act 108/2006 Sb. (by paragraph) or another kind.

    `code` is the paragraph for registered services ("37", "60a") and a slug otherwise
    ("cdz", "komunitni-aktivita").
    """

    class Category(models.TextChoices):
        COUNSELLING = "poradenstvi", _("sociální poradenství")
        CARE = "pece", _("služby sociální péče")
        PREVENTION = "prevence", _("služby sociální prevence")
        OTHER = "jina", _("jiná pomoc")

    paragraph = models.CharField(_("paragraf zákona 108/2006 Sb."), max_length=5, blank=True)
    category = models.CharField(_("kategorie"), max_length=20, choices=Category.choices)
    is_registered = models.BooleanField(_("registrovaná sociální služba"), default=True)
    mpsv_code = models.PositiveSmallIntegerField(
        _("kód v registru MPSV"), null=True, blank=True, unique=True
    )
    mpsv_code_confirmed = models.BooleanField(_("kód MPSV ověřen"), default=False)
    description = models.TextField(_("popis"), blank=True)
    # Everyday words people use for this kind of help; they feed the search document.
    keywords = models.TextField(_("slova, kterými lidé službu hledají"), blank=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("druh pomoci")
        verbose_name_plural = _("druhy pomoci")

    @property
    def paragraph_label(self) -> str:
        return f"§ {self.paragraph}" if self.paragraph else ""


class ProvisionForm(CodeListEntry):
    """Forma poskytování: pobytová, ambulantní, terénní (MPSV `FormaSocialniSluzby/…`)."""

    is_field = models.BooleanField(_("přichází za klientem"), default=False)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("forma poskytování")
        verbose_name_plural = _("formy poskytování")


class TargetGroup(CodeListEntry):
    """Cílová skupina as the MPSV registry names it (`CilovaSkupinaOsoby/<code>`)."""

    keywords = models.TextField(_("slova, kterými lidé skupinu popisují"), blank=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("cílová skupina")
        verbose_name_plural = _("cílové skupiny")


class AgeGroup(CodeListEntry):
    """Věková skupina as the MPSV registry names it (`VekovaSkupinaOsoby/<code>`)."""

    min_age = models.PositiveSmallIntegerField(_("od věku"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("do věku"), null=True, blank=True)

    class Meta(CodeListEntry.Meta):
        verbose_name = _("věková skupina")
        verbose_name_plural = _("věkové skupiny")


class CapacityType(CodeListEntry):
    """Typ kapacity (MPSV `TypKapacitySocialniSluzby/…`): clients, beds, interventions…"""

    class Meta(CodeListEntry.Meta):
        verbose_name = _("typ kapacity")
        verbose_name_plural = _("typy kapacity")


class LifeSituation(CodeListEntry):
    """An entry of the life-situation thesaurus: how people describe their trouble.

    `keywords` holds everyday phrases, one per line; a query that contains all words of a
    phrase (after normalisation) points to this situation and so to its service types.
    """

    slug = models.SlugField(_("zkratka v adrese"), unique=True)
    question = models.CharField(_("otázka na dlaždici"), max_length=250, blank=True)
    description = models.TextField(_("popis"), blank=True)
    keywords = models.TextField(_("slova, kterými lidé situaci popisují"), blank=True)
    service_types = models.ManyToManyField(
        ServiceType, through="SituationServiceType", related_name="life_situations"
    )
    target_groups = models.ManyToManyField(TargetGroup, blank=True, related_name="life_situations")

    class Meta(CodeListEntry.Meta):
        verbose_name = _("životní situace")
        verbose_name_plural = _("životní situace")

    def keyword_phrases(self) -> list[str]:
        return [line.strip() for line in self.keywords.splitlines() if line.strip()]


class SituationServiceType(models.Model):
    """How well a service type answers a life situation (1 = first choice)."""

    situation = models.ForeignKey(LifeSituation, on_delete=models.CASCADE)
    service_type = models.ForeignKey(ServiceType, on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField(_("pořadí vhodnosti"), default=1)

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["situation", "service_type"], name="unique_situation_service_type"
            )
        ]
