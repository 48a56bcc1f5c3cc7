"""Activities and events of partner organisations, and registrations for them.

An event is one-off or recurring (an RFC 5545 rule in `rrule`); occurrences are expanded
when shown, never stored. What is stored per occurrence is keyed by the event and the
occurrence's start: registrations and cancelled occurrences.

Registrations are personal data of the organising organisation: views reach them only
through `Registration.objects.visible_to(user)`, and every list and change is audited.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.models import LifeSituation, TargetGroup
from directory.models import Location, Organization
from territory.models import Municipality, Territory


def member_organization_ids(user):
    """Organisations `user` works for, in any role (as a subquery)."""
    from accounts.models import Membership

    return Membership.objects.filter(user=user).values("organization_id")


class EventQuerySet(models.QuerySet):
    def in_territory(self, territory: Territory) -> EventQuerySet:
        """Events of the territory, and events held in one of its obce."""
        return self.filter(
            Q(territory=territory)
            | Q(location__municipality__in=territory.municipalities.all())
            | Q(municipality__in=territory.municipalities.all())
        )

    def upcoming(self, now=None) -> EventQuerySet:
        """Events with an occurrence that has not ended yet."""
        return self.filter(series_end__gte=now or timezone.now())

    def manageable_by(self, user) -> EventQuerySet:
        """Events of the organisations `user` works for."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=member_organization_ids(user))

    def for_cards(self) -> EventQuerySet:
        return self.select_related(
            "organization", "territory", "location__municipality", "municipality"
        )


class Event(models.Model):
    class Kind(models.TextChoices):
        ACTIVITY = "activity", _("aktivita partnera")
        OPTIONAL = "optional", _("fakultativní činnost")
        COURSE = "course", _("kurz")
        CLUB = "club", _("klub")
        MEETING = "meeting", _("veřejné komunitní setkání")

    class PlaceKind(models.TextChoices):
        LOCATION = "location", _("na místě organizace")
        MUNICIPALITY = "municipality", _("v obci (jiné místo)")
        ONLINE = "online", _("online")

    class RegistrationMode(models.TextChoices):
        NONE = "none", _("bez přihlášení, stačí přijít")
        OPEN = "open", _("přihláška, místo je hned potvrzené")
        APPROVAL = "approval", _("přihláška, kterou pořadatel schvaluje")

    class Status(models.TextChoices):
        PUBLISHED = "published", _("zveřejněná")
        CANCELLED = "cancelled", _("zrušená")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("druh akce"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("název"), max_length=200)
    description = models.TextField(_("popis"), blank=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="events", verbose_name=_("pořadatel")
    )
    territory = models.ForeignKey(
        Territory, on_delete=models.PROTECT, related_name="events", verbose_name=_("území")
    )
    place_kind = models.CharField(
        _("kde se koná"), max_length=20, choices=PlaceKind.choices, default=PlaceKind.LOCATION
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("místo organizace"),
    )
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("obec"),
    )
    online_url = models.URLField(_("odkaz na online setkání"), blank=True)
    place_note = models.CharField(
        _("upřesnění místa"),
        max_length=300,
        blank=True,
        help_text=_("Například „sál obecního úřadu, 1. patro“. Vidí ho všichni."),
    )
    target_groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="events", verbose_name=_("pro koho")
    )
    life_situations = models.ManyToManyField(
        LifeSituation, blank=True, related_name="events", verbose_name=_("životní situace")
    )
    is_free = models.BooleanField(_("zdarma"), default=True)
    price_text = models.CharField(
        _("cena"),
        max_length=200,
        blank=True,
        help_text=_("Například „50 Kč za lekci, senioři zdarma“."),
    )
    price_amount = models.DecimalField(
        _("cena v Kč"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("kapacita (míst na jeden termín)"),
        null=True,
        blank=True,
        help_text=_("Prázdné = bez omezení."),
    )
    registration = models.CharField(
        _("přihlašování"),
        max_length=10,
        choices=RegistrationMode.choices,
        default=RegistrationMode.NONE,
    )
    # The first occurrence; recurring events repeat it by `rrule`.
    start = models.DateTimeField(_("začátek"))
    end = models.DateTimeField(_("konec"))
    rrule = models.CharField(_("pravidlo opakování (RFC 5545)"), max_length=300, blank=True)
    # Derived: the end of the last occurrence, so that "upcoming" is one indexed filter.
    series_end = models.DateTimeField(editable=False, db_index=True)
    status = models.CharField(
        _("stav"), max_length=10, choices=Status.choices, default=Status.PUBLISHED
    )
    cancel_reason = models.CharField(_("důvod zrušení"), max_length=300, blank=True)
    # Normalised text (spojka.text.normalize) for matching search words.
    search_document = models.TextField(editable=False, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("ukázková data"), default=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["start", "title"]
        verbose_name = _("akce")
        verbose_name_plural = _("akce")
        indexes = [models.Index(fields=["territory", "series_end"])]
        constraints = [
            models.CheckConstraint(
                name="event_place_matches_kind",
                condition=(
                    Q(place_kind="location", location__isnull=False)
                    | Q(place_kind="municipality", municipality__isnull=False)
                    | Q(place_kind="online")
                ),
            ),
            models.CheckConstraint(
                name="event_ends_after_start", condition=Q(end__gt=models.F("start"))
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self, territory_slug: str | None = None) -> str:
        return reverse(
            "events:detail",
            kwargs={"territory": territory_slug or self.territory.slug, "pk": self.pk},
        )

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)

    @property
    def takes_registrations(self) -> bool:
        return self.registration != self.RegistrationMode.NONE and not self.is_cancelled

    @property
    def place_municipality(self) -> Municipality | None:
        if self.place_kind == self.PlaceKind.LOCATION and self.location_id:
            return self.location.municipality
        if self.place_kind == self.PlaceKind.MUNICIPALITY:
            return self.municipality
        return None

    @property
    def address_hidden(self) -> bool:
        return bool(
            self.place_kind == self.PlaceKind.LOCATION
            and self.location_id
            and self.location.address_hidden
        )

    @property
    def public_place(self) -> str:
        """The place as the public may see it: never a hidden address, only its obec."""
        if self.place_kind == self.PlaceKind.ONLINE:
            return str(_("online"))
        if self.place_kind == self.PlaceKind.LOCATION and self.location_id:
            if self.location.address_hidden:
                parts = [str(self.location.municipality), self.place_note]
            else:
                parts = [self.location.name, self.location.public_address, self.place_note]
        else:
            parts = [self.place_note, str(self.municipality) if self.municipality_id else ""]
        return ", ".join(part for part in parts if part)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegistrationQuerySet:
        """Registrations of the organisations `user` works for; nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=member_organization_ids(user))

    def active(self) -> RegistrationQuerySet:
        return self.filter(status__in=Registration.ACTIVE)


class Registration(models.Model):
    """One person's place at one occurrence: confirmed, waiting for approval or on the
    waitlist. No account: a name, a contact and consent; the person manages it through a
    link with a random token (only its hash is stored)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("čeká na schválení")
        CONFIRMED = "confirmed", _("přihlášen/a")
        WAITLISTED = "waitlisted", _("na čekací listině")
        DECLINED = "declined", _("nepřijatá")
        CANCELLED = "cancelled", _("zrušená")

    ACTIVE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    # The organiser, copied from the event: the owner of this personal data.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    occurrence_start = models.DateTimeField(_("termín"))
    name = models.CharField(_("jméno"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    status = models.CharField(_("stav"), max_length=12, choices=Status.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    consent_text_version = models.CharField(max_length=20)
    consent_given_at = models.DateTimeField()
    attended = models.BooleanField(_("přišel/přišla"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["occurrence_start", "created_at"]
        verbose_name = _("přihláška na akci")
        verbose_name_plural = _("přihlášky na akce")
        indexes = [models.Index(fields=["event", "occurrence_start", "status", "created_at"])]

    def __str__(self) -> str:
        return f"{_('Přihláška')} {str(self.id)[:8]}"


class CancelledOccurrence(models.Model):
    """One occurrence of a recurring event that will not take place (EXDATE in iCalendar)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cancelled_occurrences")
    occurrence_start = models.DateTimeField()
    cancelled_at = models.DateTimeField(default=timezone.now)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["occurrence_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence_start"], name="unique_cancelled_occurrence"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.occurrence_start:%Y-%m-%d %H:%M}"
