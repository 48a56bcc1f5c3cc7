"""Business rules of community work. Each write is keyword-only and transactional, checks the
actor's right (`community.permissions`), and audits what it does with personal data.

Participants are persons of the organisation (referrals.Person) with a valid consent to
take part in community activities; people who do not want to be registered are only
counted. A new participant is recorded through `referrals.services` (person and consent),
so the referral loop's rules and audit apply to them as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry, Membership
from community import permissions
from community.models import (
    Attendance,
    CommunityLeader,
    EventHeadcount,
    FollowUpAction,
    Meeting,
    MeetingTopic,
    Topic,
    TopicStatusChange,
)

# Reads, re-exported: monitoring and views call them as community.services.* too.
from community.queries import LeaderPeriod, leaders_active_on, leaders_over_time
from directory.models import Organization
from events import recurrence
from events import services as event_services
from events.models import Event, Registration
from referrals import services as referral_services
from referrals.models import Consent, Person
from territory.models import Municipality, Territory

__all__ = [
    "LeaderPeriod",
    "SheetResult",
    "WalkIn",
    "add_follow_up",
    "add_leader",
    "add_participant",
    "change_topic_status",
    "complete_follow_up",
    "create_meeting",
    "create_topic",
    "delete_meeting",
    "discuss_topic",
    "end_leader",
    "leaders_active_on",
    "leaders_over_time",
    "record_attendance",
    "record_sheet",
    "remove_attendance",
    "remove_topic_from_meeting",
    "reopen_follow_up",
    "set_anonymous_count",
    "update_meeting",
]

MEETING_FIELDS = (
    "title",
    "status",
    "held_at",
    "territory",
    "centre",
    "place",
    "place_note",
    "anonymous_count",
    "minutes",
    "decisions",
)


def _require_manage(actor, organization_id) -> None:
    if not permissions.can_manage(actor, organization_id):
        raise PermissionDenied


# --- meetings --------------------------------------------------------------------------------


def _validate_meeting(meeting: Meeting, now: datetime) -> None:
    errors: dict[str, str] = {}
    if not (meeting.title or "").strip():
        errors["title"] = _("Napište název setkání.")
    if meeting.held_at is None:
        errors["held_at"] = _("Vyplňte datum a čas setkání.")
    elif meeting.status == Meeting.Status.HELD and meeting.held_at > now:
        errors["status"] = _("Setkání, které teprve bude, nemůže mít stav „proběhlo“.")
    if meeting.place_id and meeting.place.organization_id != meeting.organization_id:
        errors["place"] = _("Vybrané místo nepatří organizaci setkání.")
    if meeting.centre_id and meeting.centre.organization_id != meeting.organization_id:
        errors["centre"] = _("Vybrané komunitní centrum nepatří organizaci setkání.")
    if meeting.status not in Meeting.Status.values:
        errors["status"] = _("Neznámý stav setkání.")
    if errors:
        raise ValidationError(errors)


def _check_facilitators(meeting: Meeting, facilitators) -> list:
    facilitators = list(facilitators)
    members = set(
        Membership.objects.filter(
            organization_id=meeting.organization_id, user__in=facilitators
        ).values_list("user_id", flat=True)
    )
    if any(user.pk not in members for user in facilitators):
        raise ValidationError(
            {"facilitators": _("Setkání mohou vést jen lidé z organizace setkání.")}
        )
    return facilitators


@transaction.atomic
def create_meeting(
    *, actor, organization: Organization, facilitators=(), via: str = "web", **fields
) -> Meeting:
    _require_manage(actor, organization.pk)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    now = timezone.now()
    meeting = Meeting(
        organization=organization, created_by=actor, created_at=now, updated_at=now, **fields
    )
    _validate_meeting(meeting, now)
    facilitators = _check_facilitators(meeting, facilitators)
    meeting.save()
    meeting.facilitators.set(facilitators)
    audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=meeting, via=via)
    return meeting


@transaction.atomic
def update_meeting(
    *, actor, meeting: Meeting, facilitators=None, via: str = "web", **fields
) -> Meeting:
    _require_manage(actor, meeting.organization_id)
    unknown = set(fields) - set(MEETING_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    for name, value in fields.items():
        setattr(meeting, name, value)
    now = timezone.now()
    _validate_meeting(meeting, now)
    if facilitators is not None:
        facilitators = _check_facilitators(meeting, facilitators)
    meeting.updated_at = now
    meeting.save(update_fields=[*fields, "updated_at"])
    if facilitators is not None:
        meeting.facilitators.set(facilitators)
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, via=via)
    return meeting


@transaction.atomic
def delete_meeting(*, actor, meeting: Meeting, via: str = "web") -> None:
    """Delete a planned or cancelled meeting entered by mistake, with its list of people.

    A meeting that took place is part of the project's record and stays; one that did not
    take place is first marked as cancelled.
    """
    _require_manage(actor, meeting.organization_id)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(
            _(
                "Setkání, které proběhlo, nelze smazat: patří do vykazování projektu. Pokud "
                "se nekonalo, změňte nejdřív jeho stav na „zrušené“."
            )
        )
    attendance_ids = [str(pk) for pk in meeting.attendances.values_list("pk", flat=True)]
    if attendance_ids:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.DELETE,
            object_type="community.attendance",
            object_ids=attendance_ids,
            organization_id=meeting.organization_id,
            count=len(attendance_ids),
            via=via,
        )
    audit.record(actor=actor, action=AuditEntry.Action.DELETE, obj=meeting, via=via)
    meeting.delete()


@transaction.atomic
def set_anonymous_count(*, actor, meeting: Meeting, count: int, via: str = "web") -> Meeting:
    _require_manage(actor, meeting.organization_id)
    if count is None or count < 0:
        raise ValidationError({"anonymous_count": _("Počet nemůže být záporný.")})
    Meeting.objects.filter(pk=meeting.pk).update(anonymous_count=count, updated_at=timezone.now())
    meeting.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, via=via)
    return meeting


# --- topics ----------------------------------------------------------------------------------


def _history(topic: Topic, *, actor, from_status: str, to_status: str, meeting, note, at):
    return TopicStatusChange.objects.create(
        topic=topic,
        from_status=from_status,
        to_status=to_status,
        by=actor if getattr(actor, "is_authenticated", False) else None,
        meeting=meeting,
        note=note,
        at=at,
    )


@transaction.atomic
def create_topic(
    *,
    actor,
    organization: Organization,
    territory: Territory,
    title: str,
    description: str = "",
    meeting: Meeting | None = None,
    notes: str = "",
) -> Topic:
    """A new need or problem of the community; raised at `meeting` when given."""
    _require_manage(actor, organization.pk)
    title = " ".join((title or "").split())
    if not title:
        raise ValidationError({"title": _("Napište, o jaké téma jde.")})
    if meeting is not None and meeting.organization_id != organization.pk:
        raise PermissionDenied
    now = timezone.now()
    topic = Topic.objects.create(
        organization=organization,
        territory=territory,
        title=title[:200],
        description=description,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    _history(
        topic,
        actor=actor,
        from_status="",
        to_status=Topic.Status.OPEN,
        meeting=meeting,
        note="",
        at=now,
    )
    if meeting is not None:
        MeetingTopic.objects.create(meeting=meeting, topic=topic, notes=notes)
    return topic


@transaction.atomic
def change_topic_status(
    *, actor, topic: Topic, to: str, meeting: Meeting | None = None, note: str = ""
) -> TopicStatusChange:
    """Move a topic to another status (also back: a solved topic may open again)."""
    _require_manage(actor, topic.organization_id)
    if to not in Topic.Status.values:
        raise ValidationError({"to": _("Neznámý stav tématu.")})
    if meeting is not None and meeting.organization_id != topic.organization_id:
        raise PermissionDenied
    locked = Topic.objects.select_for_update().get(pk=topic.pk)
    if locked.status == to:
        raise ValidationError(
            {"to": _("Téma už je ve stavu „%(status)s“.") % {"status": Topic.Status(to).label}}
        )
    now = timezone.now()
    change = _history(
        locked,
        actor=actor,
        from_status=locked.status,
        to_status=to,
        meeting=meeting,
        note=note.strip(),
        at=now,
    )
    Topic.objects.filter(pk=locked.pk).update(status=to, updated_at=now)
    if meeting is not None:
        MeetingTopic.objects.get_or_create(meeting=meeting, topic=locked)
    topic.refresh_from_db()
    return change


@transaction.atomic
def discuss_topic(*, actor, meeting: Meeting, topic: Topic, notes: str = "") -> MeetingTopic:
    """Put a topic on a meeting's agenda (or change what was said about it there)."""
    _require_manage(actor, meeting.organization_id)
    if topic.organization_id != meeting.organization_id:
        raise PermissionDenied
    if topic.territory_id != meeting.territory_id:
        raise ValidationError({"topic": _("Téma patří jinému území než setkání.")})
    item, created = MeetingTopic.objects.get_or_create(
        meeting=meeting, topic=topic, defaults={"notes": notes}
    )
    if not created and notes != item.notes:
        item.notes = notes
        item.save(update_fields=["notes"])
    return item


@transaction.atomic
def remove_topic_from_meeting(*, actor, meeting: Meeting, topic: Topic) -> None:
    _require_manage(actor, meeting.organization_id)
    MeetingTopic.objects.filter(meeting=meeting, topic=topic).delete()


# --- attendance ------------------------------------------------------------------------------


def _check_occurrence(event: Event, occurrence_start: datetime) -> None:
    if not recurrence.is_occurrence(event.start, event.rrule, occurrence_start):
        raise ValidationError(_("Akce tento termín nemá."))


def _check_participant(person: Person, organization_id) -> None:
    if person.organization_id != organization_id:
        # A person of another organisation: as if it did not exist.
        raise PermissionDenied
    if person.anonymised_at is not None:
        raise ValidationError({"person": _("Anonymizovanou osobu nelze zapsat.")})
    if not permissions.has_community_consent(person):
        raise ValidationError(
            {
                "person": _(
                    "%(name)s nemá platný souhlas s účastí v komunitních aktivitách; "
                    "zaznamenejte nejdřív souhlas."
                )
                % {"name": person.name}
            }
        )


@transaction.atomic
def record_attendance(
    *,
    actor,
    person: Person,
    meeting: Meeting | None = None,
    event: Event | None = None,
    occurrence_start: datetime | None = None,
    attended: bool = True,
    via: str = "web",
) -> Attendance:
    """Put a registered person on the list of a meeting or of an event's occurrence."""
    if (meeting is None) == (event is None):
        raise TypeError("give a meeting, or an event with its occurrence_start")
    owner_id = meeting.organization_id if meeting is not None else event.organization_id
    _require_manage(actor, owner_id)
    _check_participant(person, owner_id)
    if meeting is not None:
        keys = {"meeting": meeting, "person": person}
    else:
        _check_occurrence(event, occurrence_start)
        keys = {"event": event, "occurrence_start": occurrence_start, "person": person}
    attendance, created = Attendance.objects.get_or_create(
        **keys,
        defaults={"organization_id": owner_id, "attended": attended, "recorded_by": actor},
    )
    if not created and attendance.attended != attended:
        Attendance.objects.filter(pk=attendance.pk).update(
            attended=attended, recorded_by=actor, recorded_at=timezone.now()
        )
        attendance.refresh_from_db()
    elif not created:
        return attendance
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE if created else AuditEntry.Action.UPDATE,
        obj=attendance,
        via=via,
    )
    return attendance


@transaction.atomic
def remove_attendance(*, actor, attendance: Attendance, via: str = "web") -> None:
    _require_manage(actor, attendance.organization_id)
    audit.record(actor=actor, action=AuditEntry.Action.DELETE, obj=attendance, via=via)
    attendance.delete()


@transaction.atomic
def add_participant(
    *,
    actor,
    name: str,
    given_by: str = Consent.GivenBy.SELF,
    witness: str = "",
    birth_year: int | None = None,
    municipality: Municipality | None = None,
    phone: str = "",
    email: str = "",
    meeting: Meeting | None = None,
    event: Event | None = None,
    occurrence_start: datetime | None = None,
    via: str = "web",
) -> Attendance:
    """A new participant who agreed to be registered: the person, their consent to take part
    in community activities (shared with nobody), and their attendance, in one step."""
    if (meeting is None) == (event is None):
        raise TypeError("give a meeting, or an event with its occurrence_start")
    organization = meeting.organization if meeting is not None else event.organization
    _require_manage(actor, organization.pk)
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": _("Napište jméno účastníka.")})
    if event is not None:
        _check_occurrence(event, occurrence_start)
    person = referral_services.record_person(
        actor=actor,
        organization=organization,
        name=name[:200],
        birth_year=birth_year,
        municipality=municipality,
        phone=phone,
        email=email,
        via=via,
    )
    referral_services.record_consent(
        actor=actor,
        person=person,
        purpose=Consent.Purpose.COMMUNITY,
        given_by=given_by,
        witness=witness,
        scope=[],
        via=via,
    )
    return record_attendance(
        actor=actor,
        person=person,
        meeting=meeting,
        event=event,
        occurrence_start=occurrence_start,
        via=via,
    )


@transaction.atomic
def set_event_headcount(
    *, actor, event: Event, occurrence_start: datetime, count: int, via: str = "web"
) -> EventHeadcount:
    _require_manage(actor, event.organization_id)
    _check_occurrence(event, occurrence_start)
    if count is None or count < 0:
        raise ValidationError({"anonymous_count": _("Počet nemůže být záporný.")})
    headcount, _created = EventHeadcount.objects.update_or_create(
        event=event,
        occurrence_start=occurrence_start,
        defaults={"anonymous_count": count, "updated_by": actor, "updated_at": timezone.now()},
    )
    return headcount


@dataclass(frozen=True)
class WalkIn:
    """A row written by hand on the printed sheet: someone who came without being listed."""

    row: int
    name: str
    consent: bool
    birth_year: int | None = None
    municipality: Municipality | None = None


@dataclass
class SheetResult:
    present: int = 0
    absent: int = 0
    added: list[Attendance] = field(default_factory=list)
    anonymous_count: int = 0


@transaction.atomic
def record_sheet(
    *,
    actor,
    meeting: Meeting | None = None,
    event: Event | None = None,
    occurrence_start: datetime | None = None,
    present: set,
    present_registrations: set = frozenset(),
    walk_ins: list[WalkIn] = (),
    anonymous_count: int = 0,
    via: str = "web",
) -> SheetResult:
    """Attendance written back from a signed sheet, all or nothing.

    Every listed person is marked present (their id in `present`) or absent; registrations
    of an event likewise (`present_registrations`, through events.services); each walk-in
    row with a name and consent becomes a registered participant. A name without consent
    is refused: such a person is counted in `anonymous_count`, not named.
    """
    if (meeting is None) == (event is None):
        raise TypeError("give a meeting, or an event with its occurrence_start")
    owner_id = meeting.organization_id if meeting is not None else event.organization_id
    _require_manage(actor, owner_id)
    if anonymous_count is None or anonymous_count < 0:
        raise ValidationError({"anonymous_count": _("Počet nemůže být záporný.")})
    errors = [
        _(
            "Řádek %(row)s (%(name)s): bez souhlasu jméno neukládáme. Smažte jméno a "
            "připočtěte člověka k účastníkům bez registrace."
        )
        % {"row": walk_in.row, "name": walk_in.name}
        for walk_in in walk_ins
        if walk_in.name.strip() and not walk_in.consent
    ]
    if errors:
        raise ValidationError(errors)
    result = SheetResult(anonymous_count=anonymous_count)
    if meeting is not None:
        listed = Attendance.objects.filter(meeting=meeting)
    else:
        _check_occurrence(event, occurrence_start)
        listed = Attendance.objects.filter(event=event, occurrence_start=occurrence_start)
    present = {str(pk) for pk in present}
    now = timezone.now()
    changed = []
    for attendance in listed:
        came = str(attendance.pk) in present
        result.present += came
        result.absent += not came
        if attendance.attended != came:
            Attendance.objects.filter(pk=attendance.pk).update(
                attended=came, recorded_by=actor, recorded_at=now
            )
            changed.append(str(attendance.pk))
    if changed:
        audit.record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="community.attendance",
            object_ids=changed,
            organization_id=owner_id,
            count=len(changed),
            via=via,
        )
    if event is not None:
        present_registrations = {str(pk) for pk in present_registrations}
        for registration in Registration.objects.filter(
            event=event,
            occurrence_start=occurrence_start,
            status=Registration.Status.CONFIRMED,
        ):
            came = str(registration.pk) in present_registrations
            result.present += came
            result.absent += not came
            if registration.attended != came:
                event_services.mark_attendance(
                    actor=actor, registration=registration, attended=came
                )
    for walk_in in walk_ins:
        if not walk_in.name.strip():
            continue
        result.added.append(
            add_participant(
                actor=actor,
                name=walk_in.name,
                birth_year=walk_in.birth_year,
                municipality=walk_in.municipality,
                meeting=meeting,
                event=event,
                occurrence_start=occurrence_start,
                via=via,
            )
        )
    result.present += len(result.added)
    if meeting is not None:
        if meeting.anonymous_count != anonymous_count:
            set_anonymous_count(actor=actor, meeting=meeting, count=anonymous_count, via=via)
        if meeting.status == Meeting.Status.PLANNED and meeting.held_at <= now:
            # A signed sheet of a meeting that has begun: it took place.
            Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD, updated_at=now)
            meeting.refresh_from_db()
            audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=meeting, via=via)
    else:
        set_event_headcount(
            actor=actor,
            event=event,
            occurrence_start=occurrence_start,
            count=anonymous_count,
            via=via,
        )
    return result


# --- follow-up actions -----------------------------------------------------------------------


@transaction.atomic
def add_follow_up(
    *,
    actor,
    meeting: Meeting,
    description: str,
    due_on: date | None,
    owner=None,
    owner_text: str = "",
) -> FollowUpAction:
    """What was agreed: who does it (a user of the organisation, or someone named by their
    role) and by when."""
    _require_manage(actor, meeting.organization_id)
    errors: dict[str, str] = {}
    description = (description or "").strip()
    owner_text = " ".join((owner_text or "").split())
    if not description:
        errors["description"] = _("Napište, co se má udělat.")
    if owner is None and not owner_text:
        errors["owner"] = _("Vyberte, kdo úkol udělá, nebo ho napište.")
    if (
        owner is not None
        and not Membership.objects.filter(
            user=owner, organization_id=meeting.organization_id
        ).exists()
    ):
        errors["owner"] = _("Úkol může dostat jen člověk z organizace setkání.")
    if due_on is None:
        errors["due_on"] = _("Vyplňte, do kdy má být úkol hotový.")
    if errors:
        raise ValidationError(errors)
    return FollowUpAction.objects.create(
        meeting=meeting,
        description=description,
        owner=owner,
        owner_text=owner_text[:200],
        due_on=due_on,
        created_by=actor,
    )


@transaction.atomic
def complete_follow_up(*, actor, action: FollowUpAction) -> FollowUpAction:
    _require_manage(actor, action.meeting.organization_id)
    FollowUpAction.objects.filter(pk=action.pk, done_at__isnull=True).update(
        done_at=timezone.now(), done_by=actor
    )
    action.refresh_from_db()
    return action


@transaction.atomic
def reopen_follow_up(*, actor, action: FollowUpAction) -> FollowUpAction:
    _require_manage(actor, action.meeting.organization_id)
    FollowUpAction.objects.filter(pk=action.pk).update(done_at=None, done_by=None)
    action.refresh_from_db()
    return action


# --- community leaders -----------------------------------------------------------------------


@transaction.atomic
def add_leader(
    *,
    actor,
    person: Person,
    territory: Territory,
    since: date,
    activities=(),
    activity_note: str = "",
    note: str = "",
    via: str = "web",
) -> CommunityLeader:
    """A person of the organisation, with a valid consent to community activities, becomes
    a community leader who guarantees an activity."""
    _require_manage(actor, person.organization_id)
    _check_participant(person, person.organization_id)
    errors: dict[str, str] = {}
    if since is None:
        errors["since"] = _("Vyplňte, odkdy je osoba lídrem.")
    elif since > timezone.localdate():
        errors["since"] = _("Datum „od“ nemůže být v budoucnosti.")
    activities = list(activities)
    if any(event.organization_id != person.organization_id for event in activities):
        errors["activities"] = _("Vyberte jen aktivity organizace, která osobu eviduje.")
    if not activities and not activity_note.strip():
        errors["activity_note"] = _("Napište, jakou aktivitu lídr garantuje, nebo ji vyberte.")
    if (
        since is not None
        and CommunityLeader.objects.filter(person=person, until__isnull=True).exists()
    ):
        errors["person"] = _("Osoba už je lídrem; nejdřív ukončete předchozí období.")
    if errors:
        raise ValidationError(errors)
    leader = CommunityLeader.objects.create(
        person=person,
        organization_id=person.organization_id,
        territory=territory,
        since=since,
        activity_note=activity_note.strip()[:300],
        note=note.strip(),
        created_by=actor,
    )
    leader.activities.set(activities)
    audit.record(actor=actor, action=AuditEntry.Action.CREATE, obj=leader, via=via)
    return leader


@transaction.atomic
def end_leader(*, actor, leader: CommunityLeader, until: date, via: str = "web") -> CommunityLeader:
    _require_manage(actor, leader.organization_id)
    if until is None:
        raise ValidationError({"until": _("Vyplňte, kdy lídr skončil.")})
    if until < leader.since:
        raise ValidationError({"until": _("Konec nemůže být dřív než začátek.")})
    CommunityLeader.objects.filter(pk=leader.pk).update(until=until, ended_by=actor)
    leader.refresh_from_db()
    audit.record(actor=actor, action=AuditEntry.Action.UPDATE, obj=leader, via=via)
    return leader
