"""Community work: meetings with topics, attendance and follow-up actions, the topic board
and its history, community leaders over time, attendance sheets of meetings and events.

Personas (see `world`): `worker` (community worker of the MAS, which runs the centre);
`social` (its social worker); `staff` (provider staff of the MAS: reads, does not change);
`outsider` (a community worker of another organisation).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from community import services
from community.models import (
    Attendance,
    CommunityCentre,
    CommunityLeader,
    EventHeadcount,
    FollowUpAction,
    Meeting,
    MeetingTopic,
    Topic,
    TopicStatusChange,
)
from community.queries import LeaderPeriod, leaders_over_time
from events import recurrence
from events.models import Registration
from events.recurrence import PRAGUE
from referrals import services as referral_services
from referrals.models import Consent, Person
from tests.factories import TYN_NAD_VLTAVOU, make_organization, make_territory, make_user
from tests.test_events import make_event, make_location, signup
from tests.test_meta import assert_page_structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.SPOJKA_REQUIRE_2FA = False


def at(day: date, hour: int = 17) -> datetime:
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=PRAGUE)


def participant(world, name: str, *, purposes=("community",), org=None) -> Person:
    """A person of the MAS (or `org`) with consents for `purposes`."""
    org = org or world.mas
    actor = world.worker if org == world.mas else world.outsider
    person = referral_services.record_person(
        actor=actor, organization=org, name=name, birth_year=1950
    )
    for purpose in purposes:
        referral_services.record_consent(
            actor=actor, person=person, purpose=purpose, given_by="self", scope=["name"]
        )
    return person


@pytest.fixture
def world():
    territory = make_territory("vltavotynsko", (TYN_NAD_VLTAVOU,), name="Vltavotýnsko")
    mas = make_organization("MAS VLTAVA, z.s.")
    other = make_organization("Jiná MAS, z.s.")
    location = make_location(mas, municipality=TYN_NAD_VLTAVOU)
    centre = CommunityCentre.objects.create(
        name="Komunitní centrum Vltavotýnska", territory=territory, organization=mas,
        location=location,
    )  # fmt: skip
    return SimpleNamespace(
        territory=territory,
        mas=mas,
        other=other,
        location=location,
        centre=centre,
        worker=make_user("komunitni", organization=mas, role="community_worker"),
        social=make_user("socialni", organization=mas, role="social_worker"),
        staff=make_user("staff", organization=mas, role="provider_staff"),
        outsider=make_user("outsider", organization=other, role="community_worker"),
    )


def make_meeting(world, *, title="Doprava seniorů k lékaři", day=None, **kw) -> Meeting:
    fields = {
        "title": title,
        "status": Meeting.Status.HELD,
        "held_at": at(day or timezone.localdate() - timedelta(days=7)),
        "territory": world.territory,
        "centre": world.centre,
        "place": world.location,
        **kw,
    }
    return services.create_meeting(
        actor=world.worker, organization=world.mas, facilitators=[world.worker], **fields
    )


# --- meetings, topics, attendance, follow-ups --------------------------------------------------


def test_meeting_with_topics_attendance_and_follow_up(world):
    meeting = make_meeting(world)
    vera = participant(world, "Věra Nováková")
    karel = participant(world, "Karel Dvořák")
    topic = services.create_topic(
        actor=world.worker,
        organization=world.mas,
        territory=world.territory,
        title="Doprava seniorů k lékaři",
        meeting=meeting,
        notes="Autobus z Hosína jezdí jen ráno.",
    )
    other_topic = services.create_topic(
        actor=world.worker, organization=world.mas, territory=world.territory, title="Osamělost"
    )
    services.discuss_topic(actor=world.worker, meeting=meeting, topic=other_topic, notes="Kavárna")
    services.record_attendance(actor=world.worker, meeting=meeting, person=vera)
    services.record_attendance(actor=world.worker, meeting=meeting, person=karel, attended=False)
    services.set_anonymous_count(actor=world.worker, meeting=meeting, count=7)
    task = services.add_follow_up(
        actor=world.worker,
        meeting=meeting,
        description="Zjistit, kdo potřebuje dopravu.",
        owner=world.social,
        due_on=timezone.localdate() + timedelta(days=14),
    )

    meeting.refresh_from_db()
    assert list(meeting.facilitators.all()) == [world.worker]
    assert sorted(meeting.topics.values_list("title", flat=True)) == [
        "Doprava seniorů k lékaři",
        "Osamělost",
    ]
    assert MeetingTopic.objects.get(meeting=meeting, topic=topic).notes == (
        "Autobus z Hosína jezdí jen ráno."
    )
    assert Attendance.objects.filter(meeting=meeting).attended().count() == 1
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert meeting.anonymous_count == 7
    assert {a.organization_id for a in Attendance.objects.filter(meeting=meeting)} == {world.mas.pk}
    assert list(meeting.follow_ups.all()) == [task]
    assert task.owner_label == "socialni"
    assert task.is_overdue is False


def test_meeting_page_shows_counts_topics_and_tasks(client, world):
    meeting = make_meeting(world, anonymous_count=5)
    vera = participant(world, "Věra Nováková")
    services.record_attendance(actor=world.worker, meeting=meeting, person=vera)
    services.create_topic(
        actor=world.worker,
        organization=world.mas,
        territory=world.territory,
        title="Dluhy v rodinách",
        meeting=meeting,
    )
    services.add_follow_up(
        actor=world.worker,
        meeting=meeting,
        description="Pozvat dluhovou poradnu.",
        owner_text="kancelář MAS",
        due_on=timezone.localdate() - timedelta(days=1),
    )
    client.force_login(world.worker)
    response = client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert_page_structure(response, "meeting")
    html = response.content.decode()
    assert "6 celkem: 1 registrovaných a 5 bez registrace" in html
    assert "Dluhy v rodinách" in html
    assert "Věra Nováková" in html
    assert "Pozvat dluhovou poradnu." in html
    assert "po termínu" in html


def test_worker_creates_a_meeting_through_the_form(client, world):
    client.force_login(world.worker)
    day = timezone.localdate() + timedelta(days=10)
    response = client.post(
        reverse("community:meeting_create"),
        {
            "organization": world.mas.pk,
            "title": "Mládež a volný čas",
            "status": "planned",
            "day": day.isoformat(),
            "time": "18:00",
            "territory": world.territory.pk,
            "centre": world.centre.pk,
            "place": world.location.pk,
            "place_note": "velký sál",
            "facilitators": [world.worker.pk, world.social.pk],
            "anonymous_count": "",
            "minutes": "",
            "decisions": "",
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:meeting_detail", kwargs={"pk": meeting.pk})
    assert meeting.organization == world.mas
    assert meeting.held_at == at(day, 18)
    assert meeting.status == "planned"
    assert meeting.anonymous_count == 0
    assert set(meeting.facilitators.all()) == {world.worker, world.social}
    entry = AuditEntry.objects.get(object_type="community.meeting", action="create")
    assert entry.object_id == str(meeting.pk)


def test_a_held_meeting_cannot_be_in_the_future(world):
    with pytest.raises(ValidationError) as error:
        make_meeting(world, day=timezone.localdate() + timedelta(days=3))
    assert error.value.message_dict == {
        "status": ["Setkání, které teprve bude, nemůže mít stav „proběhlo“."]
    }


def test_facilitators_come_from_the_meetings_organisation(world):
    with pytest.raises(ValidationError) as error:
        services.create_meeting(
            actor=world.worker,
            organization=world.mas,
            facilitators=[world.outsider],
            title="Setkání",
            status="planned",
            held_at=at(timezone.localdate() + timedelta(days=3)),
            territory=world.territory,
        )
    assert list(error.value.message_dict) == ["facilitators"]


def test_only_a_meeting_that_did_not_take_place_can_be_deleted(client, world):
    held = make_meeting(world)
    planned = make_meeting(
        world, status=Meeting.Status.PLANNED, held_at=at(timezone.localdate() + timedelta(days=5))
    )
    attendance = services.record_attendance(
        actor=world.worker, meeting=planned, person=participant(world, "Věra")
    )
    client.force_login(world.worker)
    response = client.post(reverse("community:meeting_delete", kwargs={"pk": held.pk}))
    assert response.status_code == 302
    assert Meeting.objects.filter(pk=held.pk).exists()
    assert (
        client.get(reverse("community:meeting_delete", kwargs={"pk": planned.pk})).status_code
        == 200
    )
    response = client.post(reverse("community:meeting_delete", kwargs={"pk": planned.pk}))
    assert response["Location"] == reverse("community:home")
    assert list(Meeting.objects.all()) == [held]
    assert Attendance.objects.count() == 0
    deleted = AuditEntry.objects.get(action="delete", object_type="community.attendance")
    assert deleted.object_ids == [str(attendance.pk)]
    client.force_login(world.outsider)
    assert (
        client.post(reverse("community:meeting_delete", kwargs={"pk": held.pk})).status_code == 404
    )


def test_topic_status_history(world):
    first = make_meeting(world, title="Úvodní setkání", day=date(2024, 3, 1))
    second = make_meeting(world, title="Druhé setkání", day=date(2024, 9, 1))
    topic = services.create_topic(
        actor=world.worker,
        organization=world.mas,
        territory=world.territory,
        title="Doprava seniorů k lékaři",
        meeting=first,
    )
    services.change_topic_status(
        actor=world.worker, topic=topic, to="in_progress", meeting=second, note="Řidiči"
    )
    services.change_topic_status(actor=world.social, topic=topic, to="solved")
    topic.refresh_from_db()
    assert topic.status == "solved"
    history = [
        (c.from_status, c.to_status, c.meeting, c.by, c.note)
        for c in TopicStatusChange.objects.filter(topic=topic).order_by("at", "id")
    ]
    assert history == [
        ("", "open", first, world.worker, ""),
        ("open", "in_progress", second, world.worker, "Řidiči"),
        ("in_progress", "solved", None, world.social, ""),
    ]
    # Changing the status at a meeting puts the topic on that meeting's agenda.
    assert set(topic.meetings.all()) == {first, second}
    with pytest.raises(ValidationError):
        services.change_topic_status(actor=world.worker, topic=topic, to="solved")
    # A solved topic may open again.
    services.change_topic_status(actor=world.worker, topic=topic, to="open", note="Znovu")
    assert Topic.objects.get(pk=topic.pk).status == "open"


def test_topic_status_changes_from_the_meeting_page(client, world):
    meeting = make_meeting(world)
    topic = services.create_topic(
        actor=world.worker,
        organization=world.mas,
        territory=world.territory,
        title="Osamělost",
        meeting=meeting,
    )
    client.force_login(world.worker)
    prefix = f"stav-{topic.pk}"
    response = client.post(
        reverse("community:topic_status", kwargs={"pk": topic.pk}),
        {
            "meeting_page": meeting.pk,
            f"{prefix}-to": "in_progress",
            f"{prefix}-meeting": meeting.pk,
            f"{prefix}-note": "Kavárna od července",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("community:meeting_detail", kwargs={"pk": meeting.pk}) + "#temata"
    )
    change = topic.history.order_by("at").last()
    assert (change.from_status, change.to_status, change.meeting, change.note) == (
        "open",
        "in_progress",
        meeting,
        "Kavárna od července",
    )
    board = client.get(reverse("community:topic_board"))
    assert board.status_code == 200
    assert_page_structure(board, "topic board")
    columns = {
        value: [t.title for t in topics] for value, _label, topics in board.context["columns"]
    }
    assert columns == {"open": [], "in_progress": ["Osamělost"], "solved": []}
    page = client.get(reverse("community:topic_detail", kwargs={"pk": topic.pk}))
    assert "Kavárna od července" in page.content.decode()


def test_new_topic_from_the_board(client, world):
    client.force_login(world.worker)
    response = client.post(
        reverse("community:topic_board"),
        {
            "organization": world.mas.pk,
            "territory": world.territory.pk,
            "title": "Dluhy v rodinách",
            "description": "",
        },
    )
    assert response.status_code == 302
    topic = Topic.objects.get()
    assert (topic.title, topic.status, topic.organization) == (
        "Dluhy v rodinách",
        "open",
        world.mas,
    )
    assert topic.history.count() == 1


# --- attendance and consent ---------------------------------------------------------------------


def test_attendance_needs_a_valid_community_consent(world):
    meeting = make_meeting(world)
    no_consent = participant(world, "Bez Souhlasu", purposes=())
    only_referral = participant(world, "Jen Předání", purposes=("referral",))
    withdrawn = participant(world, "Odvolaný Souhlas")
    referral_services.withdraw_consent(actor=world.worker, consent=withdrawn.consents.get())
    for person in (no_consent, only_referral, withdrawn):
        with pytest.raises(ValidationError) as error:
            services.record_attendance(actor=world.worker, meeting=meeting, person=person)
        assert list(error.value.message_dict) == ["person"]
    assert Attendance.objects.count() == 0


def test_attendance_of_another_organisations_person_is_refused(world):
    meeting = make_meeting(world)
    stranger = participant(world, "Cizí Osoba", org=world.other)
    with pytest.raises(PermissionDenied):
        services.record_attendance(actor=world.worker, meeting=meeting, person=stranger)
    with pytest.raises(PermissionDenied):
        services.record_attendance(
            actor=world.outsider, meeting=meeting, person=participant(world, "Věra")
        )


def test_picker_offers_only_persons_with_community_consent(client, world):
    meeting = make_meeting(world)
    with_consent = participant(world, "Věra Souhlasná")
    participant(world, "Karel Nesouhlasný", purposes=("referral",))
    participant(world, "Cizí Osoba", org=world.other)
    client.force_login(world.worker)
    response = client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk}))
    offered = list(response.context["attendance_form"].fields["person"].queryset)
    assert offered == [with_consent]
    # Posting someone not offered is refused by the form.
    other = Person.objects.get(name="Karel Nesouhlasný")
    response = client.post(
        reverse("community:attendance_add", kwargs={"pk": meeting.pk}), {"ucast-person": other.pk}
    )
    assert response.status_code == 400
    assert Attendance.objects.count() == 0
    response = client.post(
        reverse("community:attendance_add", kwargs={"pk": meeting.pk}),
        {"ucast-person": with_consent.pk},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("person__name", "attended")) == [
        ("Věra Souhlasná", True)
    ]


def test_new_participant_gets_a_person_a_community_consent_and_attendance(client, world):
    meeting = make_meeting(world)
    client.force_login(world.worker)
    response = client.post(
        reverse("community:participant_add", kwargs={"pk": meeting.pk}),
        {
            "novy-name": "  Jana   Nová ",
            "novy-birth_year": "1961",
            "novy-municipality": TYN_NAD_VLTAVOU,
            "novy-given_by": "self",
            "novy-witness": "",
            "novy-consent": "on",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert (person.name, person.organization, person.birth_year) == ("Jana Nová", world.mas, 1961)
    consent = person.consents.get()
    assert (consent.purpose, consent.scope, consent.is_valid()) == ("community", [], True)
    assert Attendance.objects.get().person == person
    actions = set(AuditEntry.objects.filter(action="create").values_list("object_type", flat=True))
    assert {"referrals.person", "referrals.consent", "community.attendance"} <= actions


def test_new_participant_without_consent_is_not_recorded(client, world):
    meeting = make_meeting(world)
    client.force_login(world.worker)
    response = client.post(
        reverse("community:participant_add", kwargs={"pk": meeting.pk}),
        {"novy-name": "Jana Nová", "novy-given_by": "self"},
    )
    assert response.status_code == 400
    assert "Bez souhlasu osobu nezapíšeme; jen ji započtěte." in response.content.decode()
    assert Person.objects.count() == 0


# --- the referral link ---------------------------------------------------------------------------


def test_referral_link_only_for_a_person_with_referral_consent(client, world):
    meeting = make_meeting(world)
    ready = participant(world, "Zdeňka Připravená", purposes=("community", "referral"))
    not_ready = participant(world, "Karel Bezsouhlasu")
    for person in (ready, not_ready):
        services.record_attendance(actor=world.worker, meeting=meeting, person=person)
    client.force_login(world.worker)
    html = client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk})).content
    html = html.decode()
    refer_ready = reverse("referrals:referral_create", kwargs={"pk": ready.pk})
    refer_not_ready = reverse("referrals:referral_create", kwargs={"pk": not_ready.pk})
    assert html.count(f'href="{refer_ready}"') == 1
    assert refer_not_ready not in html
    assert reverse("referrals:consent_create", kwargs={"pk": not_ready.pk}) in html
    # The link leads to the referrals UI, which the worker may use for this person.
    assert client.get(refer_ready).status_code == 200


def test_referral_link_not_shown_to_staff_who_cannot_refer(client, world):
    meeting = make_meeting(world)
    ready = participant(world, "Zdeňka Připravená", purposes=("community", "referral"))
    services.record_attendance(actor=world.worker, meeting=meeting, person=ready)
    client.force_login(world.staff)
    response = client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk}))
    assert response.status_code == 200
    assert "Zdeňka Připravená" in response.content.decode()
    assert reverse("referrals:referral_create", kwargs={"pk": ready.pk}) not in (
        response.content.decode()
    )


# --- follow-up actions ---------------------------------------------------------------------------


def test_follow_up_needs_owner_and_deadline(world):
    meeting = make_meeting(world)
    with pytest.raises(ValidationError) as error:
        services.add_follow_up(actor=world.worker, meeting=meeting, description="Něco", due_on=None)
    assert sorted(error.value.message_dict) == ["due_on", "owner"]
    with pytest.raises(ValidationError) as error:
        services.add_follow_up(
            actor=world.worker,
            meeting=meeting,
            description="Něco",
            owner=world.outsider,
            due_on=timezone.localdate(),
        )
    assert list(error.value.message_dict) == ["owner"]


def test_overdue_follow_ups_are_listed_and_can_be_done(client, world):
    meeting = make_meeting(world)
    today = timezone.localdate()
    late = services.add_follow_up(
        actor=world.worker,
        meeting=meeting,
        description="Pozdě",
        owner=world.worker,
        due_on=today - timedelta(days=2),
    )
    services.add_follow_up(
        actor=world.worker,
        meeting=meeting,
        description="Včas",
        owner_text="starosta",
        due_on=today + timedelta(days=2),
    )
    assert list(FollowUpAction.objects.overdue()) == [late]
    client.force_login(world.worker)
    response = client.get(reverse("community:follow_up_list"))
    assert [a.description for a in response.context["overdue"]] == ["Pozdě"]
    assert [a.description for a in response.context["coming"]] == ["Včas"]
    home = client.get(reverse("community:home"))
    assert "1 úkol ze setkání je po termínu." in home.content.decode()
    response = client.post(
        reverse("community:follow_up_done", kwargs={"pk": late.pk}),
        {"action": "done", "next": "https://evil.example/"},
    )
    assert response["Location"] == reverse("community:follow_up_list")
    late.refresh_from_db()
    assert late.done_at is not None
    assert late.done_by == world.worker
    assert list(FollowUpAction.objects.overdue()) == []


# --- leaders -------------------------------------------------------------------------------------


def make_leader(world, name, since, until=None, person=None):
    person = person or participant(world, name)
    leader = services.add_leader(
        actor=world.worker,
        person=person,
        territory=world.territory,
        since=since,
        activity_note="vede kavárnu",
    )
    if until is not None:
        leader = services.end_leader(actor=world.worker, leader=leader, until=until)
    return leader


def test_leaders_over_time_counts_exact(world):
    make_leader(world, "Věra", date(2024, 1, 15))
    make_leader(world, "Karel", date(2024, 2, 1), until=date(2024, 3, 10))
    make_leader(world, "Jitka", date(2024, 3, 31), until=date(2024, 3, 31))
    again = make_leader(world, "Ondřej", date(2024, 1, 1), until=date(2024, 1, 31))
    # The same person a second time counts once.
    make_leader(world, "", date(2024, 3, 1), person=again.person)
    # Another territory's leaders are not counted.
    elsewhere = make_territory("jinde", (TYN_NAD_VLTAVOU,), name="Jinde")
    services.add_leader(
        actor=world.worker,
        person=participant(world, "Jinde"),
        territory=elsewhere,
        since=date(2024, 1, 1),
        activity_note="x",
    )
    months = leaders_over_time(world.territory, date(2023, 12, 5), date(2024, 4, 20), "month")
    assert [(p.start, p.end, p.active, p.started, p.ended, p.total) for p in months] == [
        (date(2023, 12, 1), date(2023, 12, 31), 0, 0, 0, 0),
        (date(2024, 1, 1), date(2024, 1, 31), 2, 2, 1, 2),
        (date(2024, 2, 1), date(2024, 2, 29), 2, 1, 0, 3),
        (date(2024, 3, 1), date(2024, 3, 31), 4, 2, 2, 4),
        (date(2024, 4, 1), date(2024, 4, 30), 2, 0, 0, 4),
    ]
    quarters = leaders_over_time(world.territory, date(2024, 1, 1), date(2024, 6, 30), "quarter")
    assert quarters == [
        LeaderPeriod(date(2024, 1, 1), date(2024, 3, 31), 4, 4, 3, 4),
        LeaderPeriod(date(2024, 4, 1), date(2024, 6, 30), 2, 0, 0, 4),
    ]
    years = leaders_over_time(world.territory, date(2024, 5, 1), date(2025, 1, 1), "year")
    assert [(p.start, p.active, p.total) for p in years] == [
        (date(2024, 1, 1), 4, 4),
        (date(2025, 1, 1), 2, 4),
    ]
    assert services.leaders_active_on(world.territory, date(2024, 3, 31)) == 3  # not Karel
    with pytest.raises(ValueError):
        leaders_over_time(world.territory, date(2024, 1, 1), date(2024, 2, 1), "week")


def test_leader_needs_community_consent_and_one_open_period(world):
    with pytest.raises(ValidationError) as error:
        services.add_leader(
            actor=world.worker,
            person=participant(world, "Jen Předání", purposes=("referral",)),
            territory=world.territory,
            since=date(2024, 1, 1),
            activity_note="kavárna",
        )
    assert list(error.value.message_dict) == ["person"]
    leader = make_leader(world, "Věra", date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        services.add_leader(
            actor=world.worker,
            person=leader.person,
            territory=world.territory,
            since=date(2024, 6, 1),
            activity_note="kavárna",
        )
    assert list(error.value.message_dict) == ["person"]
    with pytest.raises(ValidationError):
        services.end_leader(actor=world.worker, leader=leader, until=date(2023, 12, 31))
    with pytest.raises(PermissionDenied):
        services.end_leader(actor=world.outsider, leader=leader, until=date(2024, 12, 31))


def test_leaders_page_adds_and_ends_a_leader(client, world):
    vera = participant(world, "Věra Kavárenská")
    client.force_login(world.worker)
    form = client.get(reverse("community:leader_create"))
    assert form.status_code == 200
    assert list(form.context["form"].fields["person"].queryset) == [vera]
    response = client.post(
        reverse("community:leader_create"),
        {
            "person": vera.pk,
            "territory": world.territory.pk,
            "since": "2024-06-01",
            "activity_note": "vede kavárnu pro seniory",
            "note": "",
        },
    )
    leader = CommunityLeader.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("community:leader_detail", kwargs={"pk": leader.pk})
    assert (leader.person, leader.organization, leader.since, leader.until) == (
        vera,
        world.mas,
        date(2024, 6, 1),
        None,
    )
    response = client.post(
        reverse("community:leader_end", kwargs={"pk": leader.pk}), {"until": "2025-03-31"}
    )
    assert response.status_code == 302
    leader.refresh_from_db()
    assert leader.until == date(2025, 3, 31)
    page = client.get(
        reverse("community:leader_list")
        + "?uzemi=vltavotynsko&od=2024-05-01&do=2025-04-30&krok=quarter"
    )
    assert page.status_code == 200
    assert_page_structure(page, "leaders")
    rows = [(label, p.active, p.total) for label, p in page.context["rows"]]
    assert rows == [
        ("2. čtvrtletí 2024", 1, 1),
        ("3. čtvrtletí 2024", 1, 1),
        ("4. čtvrtletí 2024", 1, 1),
        ("1. čtvrtletí 2025", 1, 1),
        ("2. čtvrtletí 2025", 0, 1),
    ]
    html = page.content.decode()
    assert '<th scope="row">2. čtvrtletí 2024</th>' in html
    assert [leader.person.name for leader in page.context["ended"]] == ["Věra Kavárenská"]


# --- attendance sheets ---------------------------------------------------------------------------


def sheet_rows(html: str) -> list[list[str]]:
    body = html.split('<table class="sheet__table">')[1].split("</table>")[0]
    body = body.split("<tbody>")[1]
    return [
        [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]
        for cells in (
            re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
        )
    ]


def test_meeting_sheet_renders_numbered_rows_and_a_signature_column(client, world):
    meeting = make_meeting(world, title="Setkání k dopravě")
    for name in ("Věra Nováková", "Adam Bílý"):
        services.record_attendance(
            actor=world.worker, meeting=meeting, person=participant(world, name)
        )
    client.force_login(world.worker)
    response = client.get(
        reverse("community:meeting_sheet", kwargs={"pk": meeting.pk}) + "?prazdne=3"
    )
    assert response.status_code == 200
    assert_page_structure(response, "sheet")
    html = response.content.decode()
    header = html.split('<table class="sheet__table">')[1].split("</thead>")[0]
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', header)
    assert headers == ["Č.", "Jméno a příjmení", "Obec", "Podpis"]
    assert sheet_rows(html) == [
        ["1.", "Adam Bílý", "", ""],
        ["2.", "Věra Nováková", "", ""],
        ["3.", "", "", ""],
        ["4.", "", "", ""],
        ["5.", "", "", ""],
    ]
    assert "Vltavotýnsko · MAS VLTAVA, z.s. · Komunitní centrum Vltavotýnska" in html
    assert "Prezenční listina" in html
    assert "Setkání k dopravě" in html
    assert "Klubovna Kyjov" in html  # the place
    assert "data-print hidden" in html
    # Too many empty rows are capped; nonsense falls back to the default.
    capped = client.get(
        reverse("community:meeting_sheet", kwargs={"pk": meeting.pk}) + "?prazdne=500"
    )
    assert len(sheet_rows(capped.content.decode())) == 2 + 40
    fallback = client.get(
        reverse("community:meeting_sheet", kwargs={"pk": meeting.pk}) + "?prazdne=x"
    )
    assert len(sheet_rows(fallback.content.decode())) == 2 + 12


def test_sheet_records_attendance_back(client, world):
    meeting = make_meeting(
        world, status=Meeting.Status.PLANNED, held_at=timezone.now() - timedelta(hours=2)
    )
    vera = participant(world, "Věra Nováková")
    karel = participant(world, "Karel Dvořák")
    came = services.record_attendance(actor=world.worker, meeting=meeting, person=vera)
    missed = services.record_attendance(actor=world.worker, meeting=meeting, person=karel)
    client.force_login(world.worker)
    url = reverse("community:meeting_sheet_record", kwargs={"pk": meeting.pk})
    page = client.get(url)
    assert page.status_code == 200
    assert_page_structure(page, "sheet record")
    data = {
        f"a_{came.pk}": "on",
        "w1_name": "Jana Nová",
        "w1_birth_year": "1970",
        "w1_consent": "on",
        "w2_name": "Bez Souhlasu",
        "anonymous_count": "4",
    }
    refused = client.post(url, data)
    assert refused.status_code == 400
    assert "Řádek 2 (Bez Souhlasu): bez souhlasu jméno neukládáme." in refused.content.decode()
    assert Person.objects.filter(name="Jana Nová").count() == 0  # all or nothing
    del data["w2_name"]
    response = client.post(url, data)
    assert response.status_code == 302
    assert {a.person.name: a.attended for a in Attendance.objects.filter(meeting=meeting)} == {
        "Věra Nováková": True,
        "Karel Dvořák": False,
        "Jana Nová": True,
    }
    missed.refresh_from_db()
    assert missed.attended is False
    jana = Person.objects.get(name="Jana Nová")
    assert (jana.birth_year, jana.consents.get().purpose) == (1970, Consent.Purpose.COMMUNITY)
    meeting.refresh_from_db()
    assert meeting.anonymous_count == 4
    assert meeting.status == Meeting.Status.HELD  # a signed sheet: it took place


def test_event_sheet_lists_registrations_and_records_back(client, world):
    event = make_event(
        world.mas,
        world.territory,
        title="Kavárna pro seniory",
        location=world.location,
        day=timezone.localdate() + timedelta(days=3),
    )
    jana = signup(event, "Jana Přihlášená").registration
    petr = signup(event, "Petr Přihlášený").registration
    key = recurrence.occurrence_key(event.start)
    client.force_login(world.worker)
    sheet = client.get(
        reverse("community:event_sheet", kwargs={"pk": event.pk, "termin": key}) + "?prazdne=2"
    )
    assert sheet.status_code == 200
    assert [row[:2] for row in sheet_rows(sheet.content.decode())] == [
        ["1.", "Jana Přihlášená"],
        ["2.", "Petr Přihlášený"],
        ["3.", ""],
        ["4.", ""],
    ]
    assert AuditEntry.objects.filter(object_type="events.registration", action="list").exists()
    url = reverse("community:event_sheet_record", kwargs={"pk": event.pk, "termin": key})
    response = client.post(
        url,
        {
            f"r_{jana.pk}": "on",
            "w1_name": "Marie Ručně",
            "w1_consent": "on",
            "anonymous_count": "3",
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get(pk=jana.pk).attended is True
    assert Registration.objects.get(pk=petr.pk).attended is False
    attendance = Attendance.objects.get()
    assert (attendance.event, attendance.occurrence_start, attendance.person.name) == (
        event,
        event.start,
        "Marie Ručně",
    )
    assert attendance.meeting is None
    assert attendance.organization == world.mas
    assert EventHeadcount.objects.get(event=event).anonymous_count == 3
    # A date the event does not have: 404.
    wrong = reverse("community:event_sheet", kwargs={"pk": event.pk, "termin": "20200101T1000"})
    assert client.get(wrong).status_code == 404


# --- access --------------------------------------------------------------------------------------


def test_another_organisations_worker_gets_404(client, world):
    meeting = make_meeting(world)
    vera = participant(world, "Věra")
    attendance = services.record_attendance(actor=world.worker, meeting=meeting, person=vera)
    leader = make_leader(world, "Karel", date(2024, 1, 1))
    topic = services.create_topic(
        actor=world.worker, organization=world.mas, territory=world.territory, title="Téma"
    )
    task = services.add_follow_up(
        actor=world.worker,
        meeting=meeting,
        description="Úkol",
        owner=world.worker,
        due_on=timezone.localdate(),
    )
    event = make_event(world.mas, world.territory, location=world.location)
    key = recurrence.occurrence_key(event.start)
    client.force_login(world.outsider)
    gets = [
        reverse("community:meeting_detail", kwargs={"pk": meeting.pk}),
        reverse("community:meeting_edit", kwargs={"pk": meeting.pk}),
        reverse("community:meeting_sheet", kwargs={"pk": meeting.pk}),
        reverse("community:meeting_sheet_record", kwargs={"pk": meeting.pk}),
        reverse("community:leader_detail", kwargs={"pk": leader.pk}),
        reverse("community:topic_detail", kwargs={"pk": topic.pk}),
        reverse("community:event_sheet", kwargs={"pk": event.pk, "termin": key}),
        reverse("community:event_sheet_record", kwargs={"pk": event.pk, "termin": key}),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("community:attendance_add", kwargs={"pk": meeting.pk}),
        reverse("community:attendance_remove", kwargs={"pk": attendance.pk}),
        reverse("community:leader_end", kwargs={"pk": leader.pk}),
        reverse("community:topic_status", kwargs={"pk": topic.pk}),
        reverse("community:follow_up_done", kwargs={"pk": task.pk}),
        reverse("community:follow_up_add", kwargs={"pk": meeting.pk}),
    ]
    for url in posts:
        assert client.post(url, {"ucast-person": vera.pk}).status_code == 404, url
    # Lists show nothing of the MAS.
    assert list(client.get(reverse("community:leader_list")).context["active"]) == []
    assert list(client.get(reverse("community:home")).context["past"].object_list) == []
    assert Attendance.objects.filter(pk=attendance.pk).exists()


def test_staff_reads_but_does_not_change(client, world):
    meeting = make_meeting(world)
    vera = participant(world, "Věra")
    client.force_login(world.staff)
    assert (
        client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk})).status_code
        == 200
    )
    assert client.get(reverse("community:meeting_create")).status_code == 403
    response = client.post(
        reverse("community:attendance_add", kwargs={"pk": meeting.pk}), {"ucast-person": vera.pk}
    )
    assert response.status_code == 403
    assert (
        client.get(reverse("community:meeting_edit", kwargs={"pk": meeting.pk})).status_code == 403
    )


def test_pages_need_a_login_and_a_membership(client, world):
    meeting = make_meeting(world)
    url = reverse("community:meeting_detail", kwargs={"pk": meeting.pk})
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_user("nikdo"))
    assert client.get(reverse("community:home")).status_code == 403


# --- audit ---------------------------------------------------------------------------------------


def test_reads_and_lists_of_participants_and_leaders_are_audited(client, world):
    meeting = make_meeting(world)
    vera = participant(world, "Věra")
    attendance = services.record_attendance(actor=world.worker, meeting=meeting, person=vera)
    leader = make_leader(world, "Karel", date(2024, 1, 1))
    client.force_login(world.social)
    before = AuditEntry.objects.count()

    client.get(reverse("community:meeting_detail", kwargs={"pk": meeting.pk}))
    read = AuditEntry.objects.get(action="read", object_type="community.meeting")
    assert (read.actor, read.object_id, read.organization_id) == (
        world.social,
        str(meeting.pk),
        world.mas.pk,
    )
    listed = AuditEntry.objects.get(action="list", object_type="community.attendance")
    assert (listed.object_ids, listed.count, listed.organization_id) == (
        [str(attendance.pk)],
        1,
        world.mas.pk,
    )

    client.get(reverse("community:leader_list"))
    leaders = AuditEntry.objects.get(action="list", object_type="community.communityleader")
    assert leaders.object_ids == [str(leader.pk)]

    client.get(reverse("community:leader_detail", kwargs={"pk": leader.pk}))
    assert (
        AuditEntry.objects.filter(
            action="read", object_type="community.communityleader", object_id=str(leader.pk)
        ).count()
        == 1
    )

    client.get(reverse("community:meeting_sheet", kwargs={"pk": meeting.pk}))
    assert (
        AuditEntry.objects.filter(
            action="list", object_type="community.attendance", actor=world.social
        ).count()
        == 2
    )
    assert AuditEntry.objects.count() > before


def test_changes_of_attendance_and_leaders_are_audited(world):
    meeting = make_meeting(world)
    attendance = services.record_attendance(
        actor=world.worker, meeting=meeting, person=participant(world, "Věra")
    )
    leader = make_leader(world, "Karel", date(2024, 1, 1), until=date(2024, 6, 30))
    attendance_id = str(attendance.pk)
    services.remove_attendance(actor=world.worker, attendance=attendance)
    trail = list(
        AuditEntry.objects.filter(object_type__startswith="community.")
        .exclude(object_type="community.meeting")
        .order_by("at")
        .values_list("action", "object_type", "object_id")
    )
    assert trail == [
        ("create", "community.attendance", attendance_id),
        ("create", "community.communityleader", str(leader.pk)),
        ("update", "community.communityleader", str(leader.pk)),
        ("delete", "community.attendance", attendance_id),
    ]


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["community:home", "community:leader_list"])
def test_list_pages_cost_the_same_for_one_and_three_items(client, world, name):
    def count_queries() -> int:
        client.force_login(world.worker)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    make_meeting(world, title="První")
    make_leader(world, "První", date(2024, 1, 1))
    one = count_queries()
    for number in range(2):
        make_meeting(world, title=f"Další {number}")
        make_leader(world, f"Další {number}", date(2024, 2, 1))
    assert count_queries() == one
