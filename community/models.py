"""Community work: community centres, meetings with their topics, attendance and follow-up
actions, and community leaders.

Attendance and leaders are personal data of the organisation that recorded them (the
organisation of the meeting, or the organiser of an event). Views reach them only through
the managers' `visible_to(user)`; every list, read and change is audited (accounts.audit).

Monitoring counts these rows, so the names below are a contract:
`Meeting.status == "held"`, `Attendance.attended`, `Meeting.anonymous_count`,
`CommunityLeader.since/until`, `CommunityCentre`.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from directory.models import Location, Organization
from events.models import Event
from referrals.models import PERSONAL_DATA_ROLES, WORKER_ROLES, Person
from territory.models import Territory


def member_org_ids(user, roles=PERSONAL_DATA_ROLES):
    """Organisations where `user` has one of `roles` (as a subquery)."""
    from accounts.models import Membership

    return Membership.objects.filter(user=user, role__in=roles).values("organization_id")


class OwnedQuerySet(models.QuerySet):
    """Rows with an `organization` owner: its members see them, nobody else."""

    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=member_org_ids(user))

    def manageable_by(self, user):
        """Rows the user may change: a worker role in the owning organisation."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(organization_id__in=member_org_ids(user, WORKER_ROLES))


class CommunityCentre(models.Model):
    """A place where the community meets and the organisation runs its community work."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("název"), max_length=200)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="community_centres",
        verbose_name=_("území"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="community_centres",
        verbose_name=_("provozovatel"),
    )
    location = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_centres",
        verbose_name=_("místo"),
    )
    description = models.TextField(_("popis"), blank=True)
    opened_on = models.DateField(_("v provozu od"), null=True, blank=True)
    closed_on = models.DateField(_("v provozu do"), null=True, blank=True)
    is_demo = models.BooleanField(_("ukázková data"), default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("komunitní centrum")
        verbose_name_plural = _("komunitní centra")

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A need or a problem of the community, followed across meetings until it is solved."""

    class Status(models.TextChoices):
        OPEN = "open", _("otevřené")
        IN_PROGRESS = "in_progress", _("řeší se")
        SOLVED = "solved", _("vyřešené")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="community_topics",
        verbose_name=_("území"),
    )
    # Who keeps the topic on its board (the organisation of the community worker).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="community_topics",
        verbose_name=_("organizace"),
    )
    title = models.CharField(_("téma"), max_length=200)
    description = models.TextField(_("popis"), blank=True)
    status = models.CharField(
        _("stav"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("ukázková data"), default=False)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("téma komunity")
        verbose_name_plural = _("témata komunity")

    def __str__(self) -> str:
        return self.title


class TopicStatusChange(models.Model):
    """One step of a topic's history: from which status to which, when, by whom, where."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="history")
    from_status = models.CharField(max_length=20, blank=True)  # empty: the topic was raised
    to_status = models.CharField(max_length=20, choices=Topic.Status.choices)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    meeting = models.ForeignKey(
        "Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="topic_changes",
    )
    note = models.TextField(_("poznámka"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("změna stavu tématu")
        verbose_name_plural = _("změny stavu témat")

    def __str__(self) -> str:
        return f"{self.from_status or '–'} → {self.to_status}"

    @property
    def from_label(self) -> str:
        return Topic.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self) -> str:
        return Topic.Status(self.to_status).label


class MeetingQuerySet(OwnedQuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)


class Meeting(models.Model):
    """A community meeting (setkání) on shared topics of the community."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("plánované")
        HELD = "held", _("proběhlo")
        CANCELLED = "cancelled", _("zrušené")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The owner of the meeting's personal data (its attendance).
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="community_meetings",
        verbose_name=_("organizace"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="community_meetings",
        verbose_name=_("území"),
    )
    centre = models.ForeignKey(
        CommunityCentre,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("komunitní centrum"),
    )
    title = models.CharField(_("název setkání"), max_length=200)
    status = models.CharField(
        _("stav"), max_length=20, choices=Status.choices, default=Status.PLANNED, db_index=True
    )
    held_at = models.DateTimeField(_("kdy"), db_index=True)
    place = models.ForeignKey(
        Location,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_meetings",
        verbose_name=_("místo organizace"),
    )
    place_note = models.CharField(
        _("místo (jiné nebo upřesnění)"),
        max_length=300,
        blank=True,
        help_text=_("Například „sál obecního úřadu v Hosíně“."),
    )
    facilitators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="facilitated_meetings",
        verbose_name=_("vedli setkání"),
    )
    topics = models.ManyToManyField(
        Topic, through="MeetingTopic", related_name="meetings", blank=True
    )
    anonymous_count = models.PositiveIntegerField(
        _("účastníci bez registrace"),
        default=0,
        help_text=_("Lidé, kteří přišli, ale jejich jméno nezapisujeme (jen je počítáme)."),
    )
    minutes = models.TextField(_("zápis"), blank=True)
    decisions = models.TextField(_("na čem jsme se dohodli"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    is_demo = models.BooleanField(_("ukázková data"), default=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at", "title"]
        verbose_name = _("komunitní setkání")
        verbose_name_plural = _("komunitní setkání")
        indexes = [models.Index(fields=["territory", "status", "held_at"])]

    def __str__(self) -> str:
        return self.title

    @property
    def place_text(self) -> str:
        parts = []
        if self.place_id:
            place = self.place
            parts.append(str(place.municipality) if place.address_hidden else place.name)
            if not place.address_hidden and place.street:
                parts.append(place.public_address)
        if self.place_note:
            parts.append(self.place_note)
        return ", ".join(parts)


class MeetingTopic(models.Model):
    """A topic discussed at a meeting, with what was said about it there."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="meeting_topics")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="meeting_topics")
    notes = models.TextField(_("co zaznělo"), blank=True)

    class Meta:
        ordering = ["topic__title"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "topic"], name="unique_meeting_topic")
        ]


class AttendanceQuerySet(OwnedQuerySet):
    def attended(self):
        return self.filter(attended=True)


class Attendance(models.Model):
    """A registered person (referrals.Person with a valid "community" consent) on the list
    of a meeting, or of one occurrence of an event.

    People who come without being registered are only counted (`Meeting.anonymous_count`,
    `EventHeadcount`); names are never stored without the person's consent, so there are
    no name-only rows. `attended` is False for someone expected who did not come.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # The owner: the meeting's organisation or the event's organiser.
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="attendances"
    )
    occurrence_start = models.DateTimeField(null=True, blank=True)
    person = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="attendances",
        verbose_name=_("osoba"),
    )
    attended = models.BooleanField(_("přišel/přišla"), default=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        ordering = ["recorded_at", "id"]
        verbose_name = _("účast")
        verbose_name_plural = _("účast")
        constraints = [
            models.CheckConstraint(
                name="attendance_of_meeting_or_occurrence",
                condition=(
                    Q(meeting__isnull=False, event__isnull=True, occurrence_start__isnull=True)
                    | Q(meeting__isnull=True, event__isnull=False, occurrence_start__isnull=False)
                ),
            ),
            models.UniqueConstraint(
                fields=["meeting", "person"],
                condition=Q(meeting__isnull=False),
                name="unique_meeting_attendance",
            ),
            models.UniqueConstraint(
                fields=["event", "occurrence_start", "person"],
                condition=Q(event__isnull=False),
                name="unique_occurrence_attendance",
            ),
        ]

    def __str__(self) -> str:
        return f"{_('Účast')} {str(self.id)[:8]}"


class EventHeadcount(models.Model):
    """People counted without registration at one occurrence of an event (from its sheet)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="headcounts")
    occurrence_start = models.DateTimeField()
    anonymous_count = models.PositiveIntegerField(_("účastníci bez registrace"), default=0)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "occurrence_start"], name="unique_event_headcount"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} {self.occurrence_start:%Y-%m-%d %H:%M}: {self.anonymous_count}"


class FollowUpActionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(meeting__organization_id__in=member_org_ids(user))

    def open(self):
        return self.filter(done_at__isnull=True)

    def overdue(self, today=None):
        return self.open().filter(due_on__lt=today or timezone.localdate())


class FollowUpAction(models.Model):
    """What was agreed at a meeting: who does it and by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    description = models.TextField(_("co se má udělat"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="community_follow_ups",
        verbose_name=_("kdo (uživatel)"),
    )
    owner_text = models.CharField(
        _("kdo (jiný)"),
        max_length=200,
        blank=True,
        help_text=_("Například „starosta Hosína“ nebo „komunitní lídryně klubu“."),
    )
    due_on = models.DateField(_("do kdy"), null=True, blank=True)
    done_at = models.DateTimeField(_("splněno"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = FollowUpActionQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_on", "created_at"]
        verbose_name = _("úkol ze setkání")
        verbose_name_plural = _("úkoly ze setkání")

    def __str__(self) -> str:
        return self.description[:60]

    @property
    def organization_id(self):
        return self.meeting.organization_id

    @property
    def owner_label(self) -> str:
        if self.owner_id:
            name = self.owner.get_full_name() or self.owner.get_username()
            return f"{name} ({self.owner_text})" if self.owner_text else name
        return self.owner_text

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None and self.due_on is not None and self.due_on < timezone.localdate()
        )


class CommunityLeaderQuerySet(OwnedQuerySet):
    def active_on(self, day):
        return self.filter(since__lte=day).filter(Q(until__isnull=True) | Q(until__gte=day))


class CommunityLeader(models.Model):
    """A person from the community (with consent) who took the initiative and guarantees an
    activity, from `since` until `until` (open while they still do)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="leader_roles", verbose_name=_("osoba")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="community_leaders",
        verbose_name=_("organizace"),
    )
    territory = models.ForeignKey(
        Territory,
        on_delete=models.PROTECT,
        related_name="community_leaders",
        verbose_name=_("území"),
    )
    since = models.DateField(_("lídrem/lídryní od"))
    until = models.DateField(_("do"), null=True, blank=True)
    activities = models.ManyToManyField(
        Event, blank=True, related_name="community_leaders", verbose_name=_("aktivity v kalendáři")
    )
    activity_note = models.CharField(
        _("jakou aktivitu garantuje"),
        max_length=300,
        blank=True,
        help_text=_("Například „vede kavárnu pro seniory“ nebo „organizuje sousedské trhy“."),
    )
    note = models.TextField(_("poznámka"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CommunityLeaderQuerySet.as_manager()

    class Meta:
        ordering = ["-since", "id"]
        verbose_name = _("komunitní lídr")
        verbose_name_plural = _("komunitní lídři")
        constraints = [
            models.CheckConstraint(
                name="leader_ends_after_start",
                condition=Q(until__isnull=True) | Q(until__gte=models.F("since")),
            )
        ]

    def __str__(self) -> str:
        return f"{_('Komunitní lídr')} {str(self.id)[:8]}"

    @property
    def is_active(self) -> bool:
        return self.until is None or self.until >= timezone.localdate()
