"""Personal data of the referral loop: help requests, persons, consents, referrals.

Every record belongs to the organisation that recorded it. The managers' `visible_to`
querysets are the only way views and the API reach these rows; the receiving
organisation of a referral sees the person only through `Referral.shared_person`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Organization, Service
from territory.models import Municipality, Territory

# Roles of a member that work with personal data of their organisation.
PERSONAL_DATA_ROLES = ("social_worker", "community_worker", "provider_admin", "provider_staff")
# Roles that take requests, record persons and send referrals.
WORKER_ROLES = ("social_worker", "community_worker", "provider_admin")


def _member_org_ids(user, roles=PERSONAL_DATA_ROLES):
    # A list while the request remembers the user's memberships, else a subquery.
    from referrals.permissions import member_organization_ids

    return member_organization_ids(user, roles)


class ReferralSettings(models.Model):
    """Per-territory rules of the referral loop, and who takes its residents' requests."""

    territory = models.OneToOneField(
        Territory, on_delete=models.CASCADE, related_name="referral_settings"
    )
    intake_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organizace, která přijímá žádosti obyvatel"),
    )
    answer_within_days = models.PositiveSmallIntegerField(
        _("lhůta pro odpověď na předání (dny)"), default=5
    )
    remind_days_before = models.PositiveSmallIntegerField(
        _("připomenout dní před lhůtou"), default=1
    )

    class Meta:
        verbose_name = _("pravidla předávání v území")
        verbose_name_plural = _("pravidla předávání v územích")

    def __str__(self) -> str:
        return str(self.territory)


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> HelpRequestQuerySet:
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=_member_org_ids(user, WORKER_ROLES))


class HelpRequest(models.Model):
    """ "Požádat o pomoc": a resident's own words, waiting in an organisation's intake queue."""

    class Status(models.TextChoices):
        NEW = "new", _("nová")
        IN_PROGRESS = "in_progress", _("řeší se")
        CLOSED = "closed", _("uzavřená")

    class ContactMethod(models.TextChoices):
        PHONE = "phone", _("telefonem")
        EMAIL = "email", _("e-mailem")
        VISIT = "visit", _("osobně")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    territory = models.ForeignKey(Territory, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="help_requests"
    )
    service = models.ForeignKey(
        Service, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    situation = models.TextField(_("s čím potřebujete pomoci"))
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("jméno nebo přezdívka"), max_length=200)
    contact_method = models.CharField(
        _("jak vás máme kontaktovat"), max_length=10, choices=ContactMethod.choices
    )
    contact = models.CharField(_("telefon nebo e-mail"), max_length=200, blank=True)
    consent_text_version = models.CharField(max_length=20)
    consent_given_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person = models.ForeignKey(
        "Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="help_requests"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("žádost o pomoc")
        verbose_name_plural = _("žádosti o pomoc")

    def __str__(self) -> str:
        return f"{_('Žádost')} {str(self.id)[:8]}"


class PersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> PersonQuerySet:
        """Persons of the organisations the user works for (not those merely referred to it)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=_member_org_ids(user))


class Person(models.Model):
    """A client: as little as the work needs. Erasure anonymises, it never deletes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="persons")
    name = models.CharField(_("jméno nebo pseudonym"), max_length=200)
    is_pseudonym = models.BooleanField(_("jde o pseudonym"), default=False)
    birth_year = models.PositiveSmallIntegerField(_("rok narození"), null=True, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("obec"),
    )
    phone = models.CharField(_("telefon"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("osoba")
        verbose_name_plural = _("osoby")

    def __str__(self) -> str:
        return self.name


class Consent(models.Model):
    """What the person agreed to: purpose, what may be shared with whom, until when."""

    class Purpose(models.TextChoices):
        REFERRAL = "referral", _("předání do jiné služby")
        RECORD = "record", _("vedení záznamu o spolupráci")
        PROJECT = "project", _("účast v projektu a jeho vykazování")
        COMMUNITY = "community", _("účast v komunitních aktivitách")

    class GivenBy(models.TextChoices):
        SELF = "self", _("sám/sama")
        GUARDIAN = "guardian", _("zákonný zástupce nebo opatrovník")
        VERBAL_WITNESSED = "verbal_witnessed", _("ústně za přítomnosti svědka")

    class LegalBasis(models.TextChoices):
        CONSENT = "consent", _("souhlas (čl. 6 odst. 1 písm. a GDPR)")
        CONTRACT = "contract", _("smlouva o poskytnutí služby (písm. b)")
        LEGAL_OBLIGATION = "legal_obligation", _("právní povinnost (písm. c)")
        VITAL_INTEREST = "vital_interest", _("životně důležitý zájem (písm. d)")

    # What of the person may reach the receiving organisation of a referral.
    SHAREABLE = ("name", "birth_year", "municipality", "contact", "situation")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    purpose = models.CharField(_("účel"), max_length=20, choices=Purpose.choices)
    # e.g. ["name", "birth_year", "contact", "situation"]; empty = the receiver of a
    # referral sees only that a person was referred, and the worker's note.
    scope = models.JSONField(_("co smí být sdíleno"), default=list, blank=True)
    # Organisations the person agreed to share with; empty = the receiver of the referral.
    share_with = models.ManyToManyField(Organization, blank=True, related_name="+")
    legal_basis = models.CharField(
        _("právní základ"), max_length=20, choices=LegalBasis.choices, default=LegalBasis.CONSENT
    )
    given_by = models.CharField(_("kdo souhlas dal"), max_length=20, choices=GivenBy.choices)
    witness = models.CharField(_("svědek"), max_length=200, blank=True)
    given_at = models.DateTimeField(_("kdy"), default=timezone.now)
    expires_at = models.DateTimeField(_("platí do"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("odvolán"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-given_at"]
        verbose_name = _("souhlas")
        verbose_name_plural = _("souhlasy")

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.given_at:%d. %m. %Y})"

    def is_valid(self, at=None) -> bool:
        at = at or timezone.now()
        return (
            self.withdrawn_at is None
            and self.given_at <= at
            and (self.expires_at is None or self.expires_at > at)
        )


class ConfidentialNote(models.Model):
    """A note only the person's own organisation reads; never shared through a referral."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField(_("poznámka"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{_('Poznámka')} {self.created_at:%d. %m. %Y}"


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> ReferralQuerySet:
        """Referrals sent by or to an organisation the user works for."""
        if not user.is_authenticated:
            return self.none()
        orgs = _member_org_ids(user)
        return self.filter(Q(from_organization_id__in=orgs) | Q(to_organization_id__in=orgs))

    def shown_to(self, user) -> ReferralQuerySet:
        """What a worker may open or list: `visible_to` without other organisations' drafts
        (a draft is its sender's until it is sent). The pages and the API share this rule."""
        if not user.is_authenticated:
            return self.none()
        orgs = _member_org_ids(user)
        return self.filter(
            Q(from_organization_id__in=orgs)
            | (Q(to_organization_id__in=orgs) & ~Q(status=Referral.Status.DRAFT))
        )

    def sent_by(self, user) -> ReferralQuerySet:
        """Referrals sent by an organisation the user works for: the part of `visible_to`
        that the sender's index (from_organization, status, -updated_at) answers alone."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(from_organization_id__in=_member_org_ids(user))

    def received_by(self, user) -> ReferralQuerySet:
        """Referrals sent to an organisation the user works for (drafts included: whether
        a draft shows is the caller's rule)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(to_organization_id__in=_member_org_ids(user))

    def open(self) -> ReferralQuerySet:
        return self.filter(status__in=Referral.OPEN_STATUSES)


class Referral(models.Model):
    """A person referred by one organisation to a service of another, followed to the end."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("rozpracované")
        SENT = "sent", _("odeslané")
        ACCEPTED = "accepted", _("přijaté")
        DECLINED = "declined", _("odmítnuté")
        IN_PROGRESS = "in_progress", _("probíhá")
        COMPLETED = "completed", _("dokončené")
        CLOSED = "closed", _("uzavřené")
        CANCELLED = "cancelled", _("zrušené")
        EXPIRED = "expired", _("bez odpovědi")

    class DeclineReason(models.TextChoices):
        NO_CAPACITY = "no_capacity", _("nemáme volnou kapacitu")
        WAITING_LIST = "waiting_list", _("zařazeno do pořadníku")
        NOT_TARGET_GROUP = "not_target_group", _("osoba nepatří do cílové skupiny")
        OUT_OF_AREA = "out_of_area", _("mimo oblast působnosti")
        PERSON_REFUSED = "person_refused", _("osoba službu odmítla")
        UNREACHABLE = "unreachable", _("osobu se nepodařilo kontaktovat")
        OTHER = "other", _("jiný důvod")

    class Outcome(models.TextChoices):
        HELPED = "helped", _("pomoc poskytnuta")
        PARTLY = "partly", _("pomoc poskytnuta částečně")
        REFERRED_ON = "referred_on", _("předáno dál")
        ENDED_BY_PERSON = "ended_by_person", _("osoba spolupráci ukončila")
        OTHER = "other", _("jiný výsledek")

    OPEN_STATUSES = ("draft", "sent", "accepted", "in_progress")
    # Declines that mean "we would, but there is no room": unmet demand of the service.
    UNMET_DEMAND_REASONS = ("no_capacity", "waiting_list")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="referrals")
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="referrals")
    territory = models.ForeignKey(
        Territory, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    help_request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )
    from_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    to_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="referrals_received"
    )
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="referrals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        _("stav"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    # What the sender tells the receiver; shared with the receiver, so no secrets here.
    note = models.TextField(_("zpráva pro přijímající službu"), blank=True)
    decline_reason = models.CharField(
        _("důvod odmítnutí"), max_length=20, choices=DeclineReason.choices, blank=True
    )
    outcome = models.CharField(_("výsledek"), max_length=20, choices=Outcome.choices, blank=True)
    respond_by = models.DateTimeField(_("odpovědět do"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    # Optimistic locking: a change names the version it was made on.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("předání")
        verbose_name_plural = _("předání")
        indexes = [
            models.Index(fields=["to_organization", "status", "-updated_at"]),
            models.Index(fields=["from_organization", "status", "-updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{_('Předání')} {str(self.id)[:8]}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    def shared_person(self) -> dict:
        """What of the person the receiving organisation may see, by the consent's scope."""
        scope = set(self.consent.scope or []) if self.consent.is_valid() else set()
        person = self.person
        data: dict = {}
        if "name" in scope:
            data["name"] = person.name
        if "birth_year" in scope:
            data["birth_year"] = person.birth_year
        if "municipality" in scope and person.municipality_id:
            data["municipality"] = str(person.municipality)
        if "contact" in scope:
            data["phone"] = person.phone
            data["email"] = person.email
        if "situation" in scope and self.help_request_id:
            data["situation"] = self.help_request.situation
        return data


class ReferralEvent(models.Model):
    """One change of a referral: who, when, from which status to which, and why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=30, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["at"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """A message between the two organisations on a referral."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("zpráva"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{_('Zpráva')} {self.created_at:%d. %m. %Y %H:%M}"


class NotificationQuerySet(models.QuerySet):
    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """An item of a user's in-app inbox (e-mail goes out beside it)."""

    class Kind(models.TextChoices):
        HELP_REQUEST = "help_request", _("nová žádost o pomoc")
        REFERRAL_RECEIVED = "referral_received", _("nové předání")
        REFERRAL_CHANGED = "referral_changed", _("změna předání")
        MESSAGE = "message", _("nová zpráva")
        REMINDER = "reminder", _("blíží se lhůta")
        ESCALATION = "escalation", _("předání bez odpovědi")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    referral = models.ForeignKey(
        Referral, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    help_request = models.ForeignKey(
        HelpRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["user", "read_at"]),
            # The inbox shows a user's newest notifications first.
            models.Index(fields=["user", "-created_at"]),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()
