"""iCalendar feeds, parsed back with the `icalendar` library."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from dateutil.rrule import rrulestr
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from events import recurrence, services
from events.recurrence import PRAGUE, Frequency
from tests.factories import KYJOV, make_organization, make_territory, make_user
from tests.test_events import SECRET_STREET, at, make_event, make_location, signup

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events.ics"


@pytest.fixture
def kyjovsko():
    return make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")


@pytest.fixture
def org():
    return make_organization("Charita Kyjov", email="charita@example.cz")


@pytest.fixture
def weekly(org, kyjovsko):
    start = timezone.now().astimezone(PRAGUE).replace(
        hour=16, minute=0, second=0, microsecond=0
    ) + timedelta(days=3)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=(start + timedelta(days=60)).date()
    )
    return make_event(org, kyjovsko, title="Klub pro pečující", start=start, rrule=rule)


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def vevents(calendar: Calendar) -> dict:
    return {str(c["UID"]): c for c in calendar.walk("VEVENT")}


def test_feed_path_is_the_contract():
    assert reverse("events_feed") == FEED


def test_territory_feed_has_stable_uids_prague_time_and_the_rule(client, weekly, org, kyjovsko):
    one_off = make_event(org, kyjovsko, title="Kurz první pomoci")
    first = client.get(FEED, {"territory": "kyjovsko"})
    second = client.get(FEED, {"territory": "kyjovsko"})
    assert first.content == second.content

    events = vevents(parse(first))
    assert set(events) == {f"{weekly.pk}@spojka", f"{one_off.pk}@spojka"}
    assert set(events) == set(vevents(parse(second)))

    club = events[f"{weekly.pk}@spojka"]
    assert str(club["SUMMARY"]) == "Klub pro pečující"
    assert club["DTSTART"].params["TZID"] == "Europe/Prague"
    assert club["DTSTART"].dt == recurrence.local(weekly.start)
    assert str(club["DTSTART"].dt.tzinfo) == "Europe/Prague"
    assert club["DTEND"].params["TZID"] == "Europe/Prague"
    rule = club["RRULE"]
    assert rule["FREQ"] == ["WEEKLY"]
    assert rule["UNTIL"][0] == recurrence.end_of_day_utc(weekly.start.date() + timedelta(days=60))
    assert "RRULE" not in events[f"{one_off.pk}@spojka"]
    assert str(club["STATUS"]) == "CONFIRMED"
    assert str(club["URL"]).endswith(f"/kyjovsko/akce/{weekly.pk}/")

    timezones = parse(first).walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Prague"]


def test_dst_change_is_in_the_vtimezone_and_the_rule_keeps_local_time(client, org, kyjovsko):
    start = at(date(2030, 10, 15), 16)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=date(2030, 11, 5), weekdays=[1]
    )
    event = make_event(org, kyjovsko, start=start, rrule=rule)
    response = client.get(reverse("events:ics", kwargs={"territory": "kyjovsko", "pk": event.pk}))
    component = vevents(parse(response))[f"{event.pk}@spojka"]
    dtstart = component["DTSTART"].dt
    occurrences = list(rrulestr(component["RRULE"].to_ical().decode(), dtstart=dtstart))
    assert [(o.hour, o.utcoffset()) for o in occurrences] == [
        (16, timedelta(hours=2)),
        (16, timedelta(hours=2)),
        (16, timedelta(hours=1)),
        (16, timedelta(hours=1)),
    ]


def test_cancelled_occurrence_is_an_exdate_and_cancelled_event_says_so(
    client, weekly, org, kyjovsko
):
    organiser = make_user("o", organization=org)
    second = recurrence.expand(
        start=weekly.start,
        rule=weekly.rrule,
        after=weekly.start + timedelta(days=1),
        before=weekly.start + timedelta(days=8),
    )[0]
    services.cancel_occurrence(actor=organiser, event=weekly, occurrence_start=second)
    club = vevents(parse(client.get(FEED, {"territory": "kyjovsko"})))[f"{weekly.pk}@spojka"]
    exdates = [d.dt for d in club["EXDATE"].dts]
    assert exdates == [second]
    assert club["EXDATE"].params["TZID"] == "Europe/Prague"

    services.cancel_event(actor=organiser, event=weekly)
    club = vevents(parse(client.get(FEED, {"territory": "kyjovsko"})))[f"{weekly.pk}@spojka"]
    assert str(club["STATUS"]) == "CANCELLED"


def test_feeds_hold_no_personal_data_and_no_hidden_address(client, org, kyjovsko):
    event = make_event(org, kyjovsko, location=make_location(org, hidden=True), capacity=3)
    signup(event, "Jana Nováková", email="jana.novakova@example.cz", phone="777 123 456")
    for response in (
        client.get(FEED, {"territory": "kyjovsko"}),
        client.get(FEED, {"organization": str(org.pk)}),
        client.get(reverse("events:ics", kwargs={"territory": "kyjovsko", "pk": event.pk})),
    ):
        text = response.content.decode()
        for secret in (SECRET_STREET, "Azylový dům", "Nováková", "jana.novakova", "777 123 456"):
            assert secret not in text
        component = vevents(parse(response))[f"{event.pk}@spojka"]
        assert str(component["LOCATION"]) == "Kyjov"


def test_organization_feed_lists_only_its_events(client, weekly, kyjovsko):
    other = make_organization("Jiná organizace")
    theirs = make_event(other, kyjovsko, title="Cizí akce")
    uids = set(vevents(parse(client.get(FEED, {"organization": str(weekly.organization_id)}))))
    assert uids == {f"{weekly.pk}@spojka"}
    assert f"{theirs.pk}@spojka" in vevents(parse(client.get(FEED, {"organization": other.pk})))


def test_per_event_feed_has_one_event(client, weekly, kyjovsko):
    response = client.get(reverse("events:ics", kwargs={"territory": "kyjovsko", "pk": weekly.pk}))
    assert list(vevents(parse(response))) == [f"{weekly.pk}@spojka"]


def test_bad_feed_requests(client, kyjovsko):
    assert client.get(FEED).status_code == 400
    assert client.get(FEED, {"territory": "neexistuje"}).status_code == 404
    assert client.get(FEED, {"organization": "nesmysl"}).status_code == 404
    assert (
        client.get(FEED, {"organization": "00000000-0000-0000-0000-000000000000"}).status_code
        == 404
    )
    empty = parse(client.get(FEED, {"territory": "kyjovsko"}))
    assert empty.walk("VEVENT") == []
    assert str(empty["VERSION"]) == "2.0"
