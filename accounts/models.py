"""Membership of a user in an organisation (with a role) and coordination of a territory."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from directory.models import Organization
from territory.models import Territory


class Membership(models.Model):
    """A user works for an organisation in a role; one user may belong to several."""

    class Role(models.TextChoices):
        PROVIDER_ADMIN = "provider_admin", _("správce organizace")
        PROVIDER_STAFF = "provider_staff", _("pracovník poskytovatele")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)

    class Meta:
        verbose_name = _("členství v organizaci")
        verbose_name_plural = _("členství v organizacích")
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class TerritoryCoordinator(models.Model):
    """The territory's coordinator manages its organisations, users and portal texts."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="coordinated"
    )
    territory = models.ForeignKey(Territory, on_delete=models.CASCADE, related_name="coordinators")

    class Meta:
        verbose_name = _("koordinátor území")
        verbose_name_plural = _("koordinátoři území")
        constraints = [
            models.UniqueConstraint(fields=["user", "territory"], name="unique_coordinator")
        ]
