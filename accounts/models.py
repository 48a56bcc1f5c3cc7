"""Users' roles (membership of organisations, coordination of territories), API tokens and
the append-only audit log of personal data."""

from __future__ import annotations

import hashlib
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organization
from territory.models import Territory


class Membership(models.Model):
    """A user works for an organisation in a role; one user may belong to several."""

    class Role(models.TextChoices):
        PROVIDER_ADMIN = "provider_admin", _("správce organizace")
        PROVIDER_STAFF = "provider_staff", _("pracovník poskytovatele")
        SOCIAL_WORKER = "social_worker", _("sociální pracovník")
        COMMUNITY_WORKER = "community_worker", _("komunitní pracovník")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
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


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True, user__is_active=True)


class ApiToken(models.Model):
    """A revocable bearer token of the private API; only its SHA-256 is stored."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    label = models.CharField(_("popis"), max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("tokeny API")

    def __str__(self) -> str:
        return f"{self.user} ({self.label or self.created_at:%Y-%m-%d})"

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, *, user, label: str = "") -> tuple[ApiToken, str]:
        """Create a token; the plain key is returned once and never stored."""
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, key_hash=cls.hash_key(key), label=label), key


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("The audit log is append-only.")

    def delete(self):
        raise PermissionError("The audit log is append-only.")


class AuditEntry(models.Model):
    """Who did what with which personal record, when (and why, when the glass was broken).

    Append-only: rows are never changed or deleted through the ORM. It holds ids and
    kinds of objects, never the personal data itself.
    """

    class Action(models.TextChoices):
        READ = "read", _("zobrazení")
        LIST = "list", _("výpis")
        EXPORT = "export", _("export")
        CREATE = "create", _("vytvoření")
        UPDATE = "update", _("změna")
        DELETE = "delete", _("výmaz / anonymizace")
        BREAK_GLASS = "break_glass", _("mimořádný přístup")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept when the user account is deleted later, so the trail stays readable.
    actor_username = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=64, blank=True, db_index=True)
    # For a list: the ids shown (a page, so bounded).
    object_ids = models.JSONField(default=list, blank=True)
    # The organisation that owns the data (for the coordinator's search).
    organization_id = models.UUIDField(null=True, blank=True, db_index=True)
    count = models.PositiveIntegerField(default=1)
    reason = models.CharField(max_length=500, blank=True)
    via = models.CharField(max_length=10, default="web")  # web | api | command

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("záznam auditu")
        verbose_name_plural = _("audit")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_username} {self.action} {self.object_type}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise PermissionError("The audit log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("The audit log is append-only.")
