"""Events: recurrence, registration with capacity and waitlist, the public calendar, search,
the organiser's area with its access rules and audit, reminders."""

from __future__ import annotations

import json
import re
import threading
from datetime import date, datetime, timedelta
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from catalog.models import LifeSituation, TargetGroup
from directory.models import Location
from events import queries, recurrence, services
from events.forms import EventForm
from events.models import Event, Registration
from events.recurrence import PRAGUE, Frequency
from tests.browser.conftest import load_reference_data
from tests.factories import KYJOV, make_organization, make_territory, make_user
from tests.test_meta import assert_page_structure

pytestmark = pytest.mark.django_db

VRACOV = 586765
SECRET_STREET = "Tajná 13"


# --- helpers (also used by test_ical and the browser test) ----------------------------------


def make_location(org, *, hidden: bool = False, municipality: int = KYJOV) -> Location:
    return Location.objects.create(
        organization=org,
        name="Azylový dům" if hidden else "Klubovna Kyjov",
        street=SECRET_STREET if hidden else "Masarykovo nám. 1",
        city="Kyjov",
        postal_code="69701",
        municipality_id=municipality,
        latitude=49.01,
        longitude=17.12,
        address_hidden=hidden,
    )


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PRAGUE)


def next_week() -> date:
    return timezone.localdate() + timedelta(days=7)


def make_event(org, territory, *, location=None, **kw) -> Event:
    day = kw.pop("day", next_week())
    start = kw.pop("start", at(day, 16))
    end = kw.pop("end", start + timedelta(hours=1, minutes=30))
    groups = kw.pop("target_groups", ())
    situations = kw.pop("life_situations", ())
    fields = {
        "kind": Event.Kind.CLUB,
        "title": "Klub pro pečující",
        "description": "Setkání u kávy pro ty, kdo pečují o blízké.",
        "territory": territory,
        "place_kind": Event.PlaceKind.LOCATION,
        "location": location or make_location(org),
        "registration": Event.RegistrationMode.OPEN,
        "start": start,
        "end": end,
        **kw,
    }
    event = Event(organization=org, **fields)
    return services.store_event(event, target_groups=groups, life_situations=situations)


def signup(event, name: str = "Jana Nováková", email: str = "", phone: str = "", start=None):
    if not email and not phone:
        email = f"{name.split()[0].lower()}@example.cz"
    return services.register(
        event=event,
        occurrence_start=start or event.start,
        name=name,
        email=email,
        phone=phone,
        consent=True,
    )


@pytest.fixture
def kyjovsko():
    return make_territory("kyjovsko", (KYJOV, VRACOV), name="Kyjovsko")


@pytest.fixture
def org():
    return make_organization("Charita Kyjov", email="charita@example.cz")


@pytest.fixture
def event(org, kyjovsko):
    return make_event(org, kyjovsko, capacity=2)


def url(name: str, territory, **kwargs) -> str:
    return reverse(f"events:{name}", kwargs={"territory": territory.slug, **kwargs})


def json_ld(response) -> dict:
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert len(found) == 1
    return json.loads(found[0])


# --- recurrence -----------------------------------------------------------------------------


def test_weekly_rule_is_built_with_until_in_utc():
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY,
        start=at(date(2026, 9, 1), 16),
        until=date(2027, 6, 30),
        weekdays=[1],
    )
    # 30 June 23:59:59 in Prague (summer time) is 21:59:59 UTC.
    assert rule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z"


def test_biweekly_and_monthly_rules():
    start = at(date(2026, 9, 1), 16)  # the first Tuesday of September
    assert (
        recurrence.build_rrule(
            frequency=Frequency.BIWEEKLY, start=start, until=date(2026, 12, 31), weekdays=[1, 3]
        )
        == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;UNTIL=20261231T225959Z"
    )
    monthly = recurrence.build_rrule(
        frequency=Frequency.MONTHLY, start=start, until=date(2026, 12, 31)
    )
    assert monthly == "FREQ=MONTHLY;BYDAY=+1TU;UNTIL=20261231T225959Z"
    starts = recurrence.expand(
        start=start, rule=monthly, after=start, before=at(date(2027, 1, 1), 0)
    )
    assert [s.date() for s in starts] == [
        date(2026, 9, 1),
        date(2026, 10, 6),
        date(2026, 11, 3),
        date(2026, 12, 1),
    ]


def test_last_weekday_of_the_month_stays_the_last():
    start = at(date(2026, 9, 29), 10)  # the fifth (and last) Tuesday of September
    rule = recurrence.build_rrule(
        frequency=Frequency.MONTHLY, start=start, until=date(2026, 11, 30)
    )
    assert "BYDAY=-1TU" in rule
    starts = recurrence.expand(start=start, rule=rule, after=start, before=at(date(2026, 12, 1), 0))
    assert [s.date() for s in starts] == [date(2026, 9, 29), date(2026, 10, 27), date(2026, 11, 24)]


def test_every_tuesday_stays_at_16_local_across_the_october_dst_change():
    start = at(date(2026, 10, 13), 16)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=date(2026, 11, 10), weekdays=[1]
    )
    starts = recurrence.expand(start=start, rule=rule, after=start, before=at(date(2026, 12, 1), 0))
    assert [s.date() for s in starts] == [
        date(2026, 10, 13),
        date(2026, 10, 20),
        date(2026, 10, 27),
        date(2026, 11, 3),
        date(2026, 11, 10),
    ]
    assert {(s.hour, s.minute) for s in starts} == {(16, 0)}
    # Summer time (UTC+2) before 25 October, winter time (UTC+1) after it.
    assert [s.utcoffset() for s in starts] == [timedelta(hours=2)] * 2 + [timedelta(hours=1)] * 3
    end = recurrence.occurrence_end(starts[2], start, start + timedelta(minutes=90))
    assert (end.hour, end.minute) == (17, 30)


def test_dst_safe_occurrences_of_a_stored_event(org, kyjovsko):
    start = at(date(2026, 10, 20), 16)
    event = make_event(
        org,
        kyjovsko,
        start=start,
        rrule=recurrence.build_rrule(
            frequency=Frequency.WEEKLY, start=start, until=date(2026, 11, 3), weekdays=[1]
        ),
    )
    found = queries.expand_occurrences(
        [event], after=at(date(2026, 10, 1), 0), before=at(date(2026, 12, 1), 0)
    )
    assert [(recurrence.local(o.start).hour, recurrence.local(o.end).hour) for o in found] == [
        (16, 17)
    ] * 3
    assert event.series_end == at(date(2026, 11, 3), 17, 30)


def test_rule_round_trips_through_the_form_values():
    rule = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20270630T215959Z"
    assert recurrence.form_values(rule) == {
        "frequency": Frequency.BIWEEKLY,
        "weekdays": [0, 3],
        "until": date(2027, 6, 30),
    }
    assert recurrence.describe(rule) == (
        "Opakuje se každý druhý týden (pondělí, čtvrtek) do 30. června 2027."
    )


def _event_form_data(org, kyjovsko, location, **overrides) -> dict:
    data = {
        "organization": str(org.pk),
        "kind": "club",
        "title": "Klub",
        "description": "",
        "territory": str(kyjovsko.pk),
        "place_kind": "location",
        "location": str(location.pk),
        "is_free": "on",
        "registration": "open",
        "capacity": "10",
        "day": "2026-09-07",  # a Monday
        "start_time": "16:00",
        "end_time": "17:30",
        "frequency": "weekly",
        "weekdays": ["1"],
        "until": "2027-06-30",
    }
    data.update(overrides)
    return data


def test_event_form_builds_the_rule_and_starts_on_the_first_matching_day(org, kyjovsko):
    location = make_location(org)
    form = EventForm(
        _event_form_data(org, kyjovsko, location),
        organizations=org.__class__.objects.filter(pk=org.pk),
    )
    assert form.is_valid(), form.errors
    fields = form.event_fields()
    assert fields["rrule"] == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z"
    assert fields["start"] == at(date(2026, 9, 8), 16)  # the first Tuesday
    assert fields["end"] == at(date(2026, 9, 8), 17, 30)


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"end_time": "15:00"}, "end_time", "Konec musí být po začátku"),
        ({"until": ""}, "until", "Napište, do kdy se akce opakuje."),
        ({"until": "2029-01-01"}, "until", "nejvýš dva roky"),
        ({"place_kind": "online"}, "online_url", "Vložte odkaz"),
        ({"is_free": ""}, "price_text", "Napište, kolik akce stojí"),
    ],
)
def test_event_form_names_the_wrong_field(org, kyjovsko, overrides, field, message):
    location = make_location(org)
    form = EventForm(
        _event_form_data(org, kyjovsko, location, **overrides),
        organizations=org.__class__.objects.filter(pk=org.pk),
    )
    assert not form.is_valid()
    assert message in " ".join(form.errors[field])


# --- registration, capacity, waitlist -------------------------------------------------------


def test_registrations_fill_the_capacity_then_go_to_the_waitlist(
    event, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = signup(event, "Jana Nováková")
        second = signup(event, "Petr Svoboda")
        third = signup(event, "Eva Dvořáková")
    assert [r.status for r in (first, second, third)] == ["confirmed", "confirmed", "waitlisted"]
    assert queries.waitlist_position(third.registration) == 1
    assert [m.to for m in mail.outbox] == [
        ["jana@example.cz"],
        ["petr@example.cz"],
        ["eva@example.cz"],
    ]
    assert mail.outbox[2].subject == "Jste na čekací listině akce Klub pro pečující"
    assert third.token in mail.outbox[2].body


def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(
    event, django_capture_on_commit_callbacks
):
    first = signup(event, "Jana Nováková")
    signup(event, "Petr Svoboda")
    waiting = [signup(event, "Eva Dvořáková"), signup(event, "Karel Novák", phone="777 123 456")]
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        result = services.cancel_registration(registration=first.registration)

    assert result.registration.status == "cancelled"
    assert [r.pk for r in result.promoted] == [waiting[0].registration.pk]
    statuses = dict(Registration.objects.values_list("name", "status"))
    assert statuses == {
        "Jana Nováková": "cancelled",
        "Petr Svoboda": "confirmed",
        "Eva Dvořáková": "confirmed",
        "Karel Novák": "waitlisted",
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["eva@example.cz"]
    assert mail.outbox[0].subject == "Uvolnilo se místo: jste přihlášeni na akci Klub pro pečující"
    # The promoted person gets their own link again (derived, not stored).
    assert waiting[0].token in mail.outbox[0].body
    assert queries.waitlist_position(Registration.objects.get(name="Karel Novák")) == 1


def test_cancelling_twice_changes_nothing(event):
    first = signup(event)
    services.cancel_registration(registration=first.registration)
    again = services.cancel_registration(registration=first.registration)
    assert again.promoted == []
    assert again.registration.status == "cancelled"


def test_cancelling_a_waitlisted_place_promotes_nobody(event):
    signup(event, "Jana Nováková")
    signup(event, "Petr Svoboda")
    waiting = signup(event, "Eva Dvořáková")
    result = services.cancel_registration(registration=waiting.registration)
    assert result.promoted == []
    assert Registration.objects.filter(status="confirmed").count() == 2


def test_same_contact_cannot_register_twice_for_one_occurrence(event):
    signup(event, "Jana Nováková", email="jana@example.cz")
    with pytest.raises(services.AlreadyRegistered):
        signup(event, "Jana N.", email="JANA@example.cz")


def test_registration_needs_consent_and_a_contact(event):
    with pytest.raises(services.ValidationError):
        services.register(
            event=event,
            occurrence_start=event.start,
            name="Jana",
            email="jana@example.cz",
            consent=False,
        )
    with pytest.raises(services.ValidationError):
        services.register(event=event, occurrence_start=event.start, name="Jana", consent=True)


def test_registration_is_closed_for_wrong_past_or_cancelled_dates(org, kyjovsko):
    start = timezone.now().astimezone(PRAGUE).replace(second=0, microsecond=0) + timedelta(days=1)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=(start + timedelta(days=30)).date()
    )
    event = make_event(org, kyjovsko, start=start, rrule=rule)
    with pytest.raises(services.RegistrationClosed):
        signup(event, start=start + timedelta(days=1))  # not a date of the event
    services.cancel_occurrence(
        actor=make_user("o", organization=org), event=event, occurrence_start=start
    )
    with pytest.raises(services.RegistrationClosed):
        signup(event, start=start)
    assert signup(event, start=start + timedelta(days=7)).status == "confirmed"
    past = make_event(org, kyjovsko, day=timezone.localdate() - timedelta(days=2))
    with pytest.raises(services.RegistrationClosed):
        signup(past)
    no_registration = make_event(org, kyjovsko, registration=Event.RegistrationMode.NONE)
    with pytest.raises(services.RegistrationClosed):
        signup(no_registration)


def test_approval_mode_keeps_registrations_pending_until_the_organiser_decides(
    org, kyjovsko, django_capture_on_commit_callbacks
):
    organiser = make_user("organizatorka", organization=org, role="provider_staff")
    organiser.email = "organizatorka@example.cz"
    organiser.save(update_fields=["email"])
    event = make_event(org, kyjovsko, capacity=1, registration=Event.RegistrationMode.APPROVAL)
    with django_capture_on_commit_callbacks(execute=True):
        first = signup(event, "Jana Nováková")
        second = signup(event, "Petr Svoboda")
    assert (first.status, second.status) == ("pending", "pending")
    to_organiser = [m for m in mail.outbox if m.to == ["organizatorka@example.cz"]]
    assert len(to_organiser) == 2
    assert "Jana" not in to_organiser[0].body  # no personal data to the organiser's inbox
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        approved = services.approve_registration(actor=organiser, registration=first.registration)
        later = services.approve_registration(actor=organiser, registration=second.registration)
    assert (approved.status, later.status) == ("confirmed", "waitlisted")
    assert [m.subject for m in mail.outbox] == [
        "Přihláška na akci Klub pro pečující je schválená",
        "Jste na čekací listině akce Klub pro pečující",
    ]
    with pytest.raises(services.ValidationError):
        services.approve_registration(actor=organiser, registration=first.registration)
    declined = services.decline_registration(actor=organiser, registration=later)
    assert declined.status == "declined"


def test_the_organiser_of_another_organisation_may_not_decide(event):
    stranger = make_user("cizi", organization=make_organization("Jiná organizace"))
    registration = signup(event).registration
    with pytest.raises(services.PermissionDenied):
        services.approve_registration(actor=stranger, registration=registration)
    with pytest.raises(services.PermissionDenied):
        services.cancel_registration(registration=registration, actor=stranger)


def test_growing_the_capacity_moves_the_waitlist_up(event, org):
    organiser = make_user("o", organization=org)
    for name in ("Jana A", "Petr B", "Eva C", "Karel D"):
        signup(event, name)
    services.update_event(actor=organiser, event=event, capacity=3)
    assert list(Registration.objects.order_by("created_at").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "confirmed",
        "waitlisted",
    ]


def test_moving_dates_away_from_registrations_is_refused(event, org):
    organiser = make_user("o", organization=org)
    signup(event)
    with pytest.raises(services.ValidationError, match="na tyto termíny jsou přihlášení lidé"):
        services.update_event(
            actor=organiser,
            event=event,
            start=event.start + timedelta(hours=1),
            end=event.end + timedelta(hours=1),
        )
    # Extending a series keeps every registered date: allowed.
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=event.start, until=event.start.date() + timedelta(days=60)
    )
    assert services.update_event(actor=organiser, event=event, rrule=rule).rrule == rule


@pytest.fixture(scope="module")
def reference_data_restored(django_db_setup, django_db_blocker):
    """A transactional test ends with a flushed database: reload what the migrations load,
    for the tests that run after this module."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_the_last_place_at_once_never_overbook(reference_data_restored):
    load_reference_data()
    org = make_organization("Charita")
    event = make_event(org, make_territory("soubeh"), capacity=1)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def take(name: str) -> None:
        try:
            barrier.wait()
            results.append(signup(event, name).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(n,)) for n in ("Jana A", "Petr B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["confirmed", "waitlisted"]
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_cancelling_the_event_tells_everyone_registered(
    event, org, django_capture_on_commit_callbacks
):
    organiser = make_user("o", organization=org)
    signup(event, "Jana Nováková")
    signup(event, "Petr Svoboda", phone="777 000 111")  # no e-mail: the organiser calls
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = services.cancel_event(actor=organiser, event=event, reason="Nemoc lektorky.")
    assert cancelled.status == "cancelled"
    assert [m.to for m in mail.outbox] == [["jana@example.cz"]]
    assert "Nemoc lektorky." in mail.outbox[0].body
    with pytest.raises(services.RegistrationClosed):
        signup(event, "Eva")


def test_reminders_are_sent_once_to_confirmed_people_with_an_e_mail(org, kyjovsko):
    soon = timezone.now().astimezone(PRAGUE).replace(second=0, microsecond=0) + timedelta(hours=5)
    event = make_event(org, kyjovsko, start=soon, end=soon + timedelta(hours=1), capacity=1)
    signup(event, "Jana Nováková")
    signup(event, "Petr Svoboda")  # waitlisted: no reminder
    signup(
        make_event(org, kyjovsko, start=soon, end=soon + timedelta(hours=1)),
        "Eva",
        phone="777 1 2 3 4 5",
    )
    later = make_event(org, kyjovsko, day=timezone.localdate() + timedelta(days=5))
    signup(later, "Karel Novák")  # beyond the window
    mail.outbox.clear()
    out = StringIO()

    call_command("send_event_reminders", hours=24, stdout=out)
    call_command("send_event_reminders", hours=24, stdout=out)

    assert [m.to for m in mail.outbox] == [["jana@example.cz"]]
    assert mail.outbox[0].subject.startswith("Připomínka: Klub pro pečující")
    assert "Event reminders: 1 e-mail(s) sent" in out.getvalue()
    assert "Event reminders: 0 e-mail(s) sent" in out.getvalue()
    assert AuditEntry.objects.filter(reason="reminder", via="command").count() == 1


def test_old_registrations_are_anonymised_and_counts_stay(org, kyjovsko):
    event = make_event(org, kyjovsko)
    registration = signup(event).registration
    Registration.objects.filter(pk=registration.pk).update(
        occurrence_start=timezone.now() - timedelta(days=100)
    )
    assert services.anonymise_old_registrations(days=90) == 1
    registration.refresh_from_db()
    assert (registration.name, registration.email, registration.status) == (
        services.ANONYMISED,
        "",
        "confirmed",
    )
    assert AuditEntry.objects.filter(action="delete", reason="retention").count() == 1


# --- the person's link ----------------------------------------------------------------------


def test_registration_form_redirects_to_the_link_with_only_a_token(client, event, kyjovsko):
    response = client.post(
        url("register", kyjovsko, pk=event.pk),
        {
            "termin": recurrence.occurrence_key(event.start),
            "jmeno": "Jana Nováková",
            "email": "jana@example.cz",
            "telefon": "",
            "souhlas": "on",
        },
    )
    assert response.status_code == 302
    location = response["Location"]
    match = re.fullmatch(r"/kyjovsko/akce/prihlaska/([0-9a-f]{48})/", location)
    assert match, location
    registration = Registration.objects.get()
    assert registration.token_hash == services.hash_token(match.group(1))
    assert match.group(1) not in registration.token_hash
    page = client.get(location)
    assert page.status_code == 200
    assert "Jste přihlášeni." in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert_page_structure(page, location)


def test_registration_form_errors_name_the_fields(client, event, kyjovsko):
    response = client.post(
        url("register", kyjovsko, pk=event.pk),
        {"termin": recurrence.occurrence_key(event.start), "jmeno": "", "email": "spatne"},
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "Napište své jméno." in text
    assert "E-mail zadejte ve tvaru jmeno@example.cz." in text
    assert "Bez souhlasu se přihlásit nejde." in text
    assert Registration.objects.count() == 0


def test_registration_honeypot_stores_nothing(client, event, kyjovsko):
    response = client.post(
        url("register", kyjovsko, pk=event.pk),
        {
            "termin": recurrence.occurrence_key(event.start),
            "jmeno": "Bot",
            "email": "bot@example.cz",
            "souhlas": "on",
            "web_adresa": "http://spam.example",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == url("detail", kyjovsko, pk=event.pk)
    assert Registration.objects.count() == 0


def test_cancel_link_cancels_and_a_wrong_token_is_404(client, event, kyjovsko):
    result = signup(event)
    link = url("registration", kyjovsko, token=result.token)
    response = client.post(url("registration_cancel", kyjovsko, token=result.token))
    assert response.status_code == 302
    assert response["Location"] == link
    assert Registration.objects.get().status == "cancelled"
    assert "Přihláška je zrušená." in client.get(link).content.decode()
    assert client.get(url("registration", kyjovsko, token="0" * 48)).status_code == 404
    assert client.post(url("registration_cancel", kyjovsko, token="x" * 48)).status_code == 404
    assert client.get(url("registration_cancel", kyjovsko, token=result.token)).status_code == 405


# --- public pages ---------------------------------------------------------------------------


def test_calendar_pages_have_one_h1_and_a_title(client, event, kyjovsko):
    day = recurrence.local(event.start).date()
    pages = [
        url("calendar", kyjovsko),
        url("month", kyjovsko, year=day.year, month=day.month),
        url("detail", kyjovsko, pk=event.pk),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert_page_structure(response, page)
        assert "Klub pro pečující" in response.content.decode()


def test_event_page_has_schema_org_event_json_ld(client, event, kyjovsko):
    signup(event, "Jana Nováková")
    data = json_ld(client.get(url("detail", kyjovsko, pk=event.pk)))
    assert data["@type"] == "Event"
    assert data["@context"] == "https://schema.org"
    assert data["name"] == "Klub pro pečující"
    assert data["startDate"] == recurrence.local(event.start).isoformat()
    assert data["location"]["address"]["streetAddress"] == "Masarykovo nám. 1"
    assert data["maximumAttendeeCapacity"] == 2
    assert data["remainingAttendeeCapacity"] == 1
    assert data["offers"]["price"] == "0"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"


def test_json_ld_cannot_break_out_of_its_element(client, org, kyjovsko):
    event = make_event(org, kyjovsko, title="</script><script>alert(1)</script>")
    response = client.get(url("detail", kyjovsko, pk=event.pk))
    assert "<script>alert(1)" not in response.content.decode()
    assert json_ld(response)["name"] == "</script><script>alert(1)</script>"


def test_event_page_shows_free_places_and_waitlist(client, event, kyjovsko):
    for name in ("Jana A", "Petr B", "Eva C"):
        signup(event, name)
    text = client.get(url("detail", kyjovsko, pk=event.pk)).content.decode()
    assert "Obsazeno" in text
    assert "na čekací listině: 1" in text
    assert "Jana A" not in text  # never who registered


def test_hidden_address_never_appears_on_events(client, org, kyjovsko):
    event = make_event(org, kyjovsko, location=make_location(org, hidden=True))
    day = recurrence.local(event.start).date()
    pages = [
        url("calendar", kyjovsko),
        url("month", kyjovsko, year=day.year, month=day.month),
        url("detail", kyjovsko, pk=event.pk),
        url("ics", kyjovsko, pk=event.pk),
        reverse("events_feed") + "?territory=kyjovsko",
        reverse("portal:home", kwargs={"territory": "kyjovsko"}),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert SECRET_STREET not in response.content.decode(), page
        assert "Azylový dům" not in response.content.decode(), page
    data = json_ld(client.get(url("detail", kyjovsko, pk=event.pk)))
    assert data["location"]["address"] == {
        "@type": "PostalAddress",
        "addressCountry": "CZ",
        "addressLocality": "Kyjov",
    }


def test_calendar_filters(client, org, kyjovsko):
    situation = LifeSituation.objects.get(slug="osamelost")
    make_event(org, kyjovsko, title="Kavárna", life_situations=[situation])
    make_event(
        org,
        kyjovsko,
        title="Kurz vaření",
        kind=Event.Kind.COURSE,
        is_free=False,
        price_text="50 Kč",
        target_groups=[TargetGroup.objects.get(code="24")],
    )

    def titles(params) -> list[str]:
        response = client.get(url("calendar", kyjovsko), params)
        return re.findall(
            r'class="event-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode()
        )

    assert sorted(titles({})) == ["Kavárna", "Kurz vaření"]
    assert titles({"druh": "course"}) == ["Kurz vaření"]
    assert titles({"zdarma": "1"}) == ["Kavárna"]
    assert titles({"situace": "osamelost"}) == ["Kavárna"]
    assert titles({"skupina": "24"}) == ["Kurz vaření"]
    # An unknown value is reported and left out; the rest still filters.
    response = client.get(url("calendar", kyjovsko), {"druh": "nesmysl", "zdarma": "1"})
    assert "Některé filtry jsme nepoužili" in response.content.decode()


def test_month_view_lists_occurrences_on_their_days(client, org, kyjovsko):
    start = at(date(2030, 3, 5), 16)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=date(2030, 3, 31), weekdays=[1]
    )
    make_event(org, kyjovsko, start=start, rrule=rule)
    response = client.get(url("month", kyjovsko, year=2030, month=3))
    text = response.content.decode()
    assert "<caption>" in text
    assert text.count("Klub pro pečující</a>") == 4  # 5., 12., 19. and 26. March
    assert "Počet termínů akcí v tomto měsíci: 4" in text
    assert client.get(url("month", kyjovsko, year=2030, month=13)).status_code == 404
    assert client.get(url("month", kyjovsko, year=1999, month=1)).status_code == 404


def test_calendar_query_count_does_not_grow_with_events(client, org, kyjovsko):
    location = make_location(org)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("calendar", kyjovsko)).status_code == 200
        return len(captured)

    make_event(org, kyjovsko, location=location, title="Akce 0")
    client.get(url("calendar", kyjovsko))
    with_one = count()
    for number in (1, 2):
        event = make_event(org, kyjovsko, location=location, title=f"Akce {number}")
        signup(event, f"Jana {number}")
    assert count() == with_one


def test_event_of_another_territory_is_not_found_here(client, org, kyjovsko):
    other = make_territory("jinde", (545201,), name="Jinde")
    elsewhere = make_event(org, other, location=make_location(org, municipality=545201))
    assert client.get(url("detail", kyjovsko, pk=elsewhere.pk)).status_code == 404
    assert client.get(url("detail", other, pk=elsewhere.pk)).status_code == 200
    # An event held in an obec of the territory is shown there too.
    assert client.get(url("detail", kyjovsko, pk=make_event(org, other).pk)).status_code == 200


def test_home_page_shows_the_next_events(client, org, kyjovsko):
    make_event(org, kyjovsko, title="Kavárna pro seniory")
    text = client.get(reverse("portal:home", kwargs={"territory": "kyjovsko"})).content.decode()
    assert "Akce v území" in text
    assert "Kavárna pro seniory" in text
    assert url("calendar", kyjovsko) in text


def test_search_shows_events_for_the_situation_and_the_words(client, org, kyjovsko):
    debts = LifeSituation.objects.get(slug="dluhy-a-exekuce")
    make_event(org, kyjovsko, title="Poradenský den", life_situations=[debts])
    make_event(org, kyjovsko, title="Kavárna pro seniory", description="Posezení pro seniory.")
    search = reverse("portal:search", kwargs={"territory": "kyjovsko"})

    text = client.get(search, {"situace": "dluhy-a-exekuce"}).content.decode()
    assert "Akce, které se hodí" in text
    assert "Poradenský den" in text
    assert "Kavárna pro seniory" not in text

    found = services.events_for_search(territory=kyjovsko, situations=[], query_terms="kavárnu")
    assert [o.event.title for o in found] == ["Kavárna pro seniory"]
    assert services.events_for_search(territory=kyjovsko, situations=[]) == []


# --- the organiser's area -------------------------------------------------------------------


@pytest.fixture
def organiser(org):
    return make_user("organizatorka", organization=org, role="provider_staff")


def test_organiser_pages_need_a_login(client, event):
    for page in (
        reverse("events:manage_list"),
        reverse("events:manage_edit", kwargs={"pk": event.pk}),
    ):
        response = client.get(page)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))


def test_another_organisation_gets_404_everywhere(client, event):
    registration = signup(event).registration
    stranger = make_user("cizi", organization=make_organization("Jiná organizace"))
    client.force_login(stranger)
    for page in ("manage_edit", "manage_cancel", "manage_registrations"):
        assert client.get(reverse(f"events:{page}", kwargs={"pk": event.pk})).status_code == 404
    action = reverse("events:manage_registration_action", kwargs={"pk": registration.pk})
    assert client.post(action, {"action": "cancel"}).status_code == 404
    assert Registration.objects.get().status == "confirmed"
    assert "Klub pro pečující" not in client.get(reverse("events:manage_list")).content.decode()
    assert AuditEntry.objects.filter(action="list").count() == 0


def test_list_of_registrations_is_audited(client, event, organiser):
    signup(event, "Jana Nováková")
    signup(event, "Petr Svoboda")
    client.force_login(organiser)
    response = client.get(reverse("events:manage_registrations", kwargs={"pk": event.pk}))
    text = response.content.decode()
    assert "Jana Nováková" in text
    assert "petr@example.cz" in text
    entry = AuditEntry.objects.get(action="list")
    assert entry.actor == organiser
    assert entry.object_type == "events.registration"
    assert sorted(entry.object_ids) == sorted(str(r.pk) for r in Registration.objects.all())
    assert entry.organization_id == event.organization_id
    assert_page_structure(response, "registrations")


def test_each_change_of_a_registration_is_audited(client, event, organiser):
    registration = signup(event).registration
    client.force_login(organiser)
    action = reverse("events:manage_registration_action", kwargs={"pk": registration.pk})
    response = client.post(action, {"action": "cancel"})
    assert response.status_code == 302
    actions = list(
        AuditEntry.objects.filter(object_id=str(registration.pk))
        .order_by("at")
        .values_list("action", "actor__username")
    )
    assert actions == [("create", None), ("update", "organizatorka")]


def test_organiser_creates_a_recurring_event_through_the_form(client, org, kyjovsko, organiser):
    location = make_location(org)
    client.force_login(organiser)
    page = client.get(reverse("events:manage_create"))
    assert page.status_code == 200
    assert_page_structure(page, "create")
    response = client.post(
        reverse("events:manage_create"),
        _event_form_data(org, kyjovsko, location, title="Klub deskových her"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(title="Klub deskových her")
    assert event.rrule == "FREQ=WEEKLY;BYDAY=TU;UNTIL=20270630T215959Z"
    assert event.created_by == organiser
    assert "Klub deskových her" in client.get(reverse("events:manage_list")).content.decode()
    edit = client.get(reverse("events:manage_edit", kwargs={"pk": event.pk}))
    assert edit.status_code == 200
    assert 'value="2027-06-30"' in edit.content.decode()


def test_organiser_cancels_one_occurrence(client, org, kyjovsko, organiser):
    start = timezone.now().astimezone(PRAGUE).replace(second=0, microsecond=0) + timedelta(days=2)
    rule = recurrence.build_rrule(
        frequency=Frequency.WEEKLY, start=start, until=(start + timedelta(days=20)).date()
    )
    event = make_event(org, kyjovsko, start=start, rrule=rule)
    client.force_login(organiser)
    response = client.post(
        reverse("events:manage_cancel_occurrence", kwargs={"pk": event.pk}),
        {"termin": recurrence.occurrence_key(start)},
    )
    assert response.status_code == 302
    occurrences = queries.next_occurrences(event, count=2)
    assert [o.is_cancelled for o in occurrences] == [True, False]


# --- demo -----------------------------------------------------------------------------------


def test_demo_events_load_twice_without_duplicates_in_every_territory(client):
    from directory.demo import load_demo_data
    from events.demo import TERRITORIES, load_demo_events

    load_demo_data()
    first = load_demo_events()
    ids = set(Event.objects.values_list("id", flat=True))
    registrations = Registration.objects.count()
    out = StringIO()
    second = load_demo_events(stdout=out)

    assert set(Event.objects.values_list("id", flat=True)) == ids
    assert Registration.objects.count() == registrations == first["registrations"]
    assert (first["created"], second["created"], second["updated"]) == (len(ids), 0, len(ids))
    assert "Komunitní centrum Vltavotýnska: 6 demo events" in out.getvalue()
    now = timezone.now()
    for slug in TERRITORIES:
        events = Event.objects.filter(territory__slug=slug)
        assert events.filter(series_end__lt=now).exists(), slug
        assert events.filter(series_end__gte=now).count() >= 3, slug
        assert events.exclude(rrule="").exists(), slug
    assert Registration.objects.filter(status="waitlisted").count() >= 4
    assert Registration.objects.filter(status="pending").exists()
    centre = Event.objects.filter(location__name="Komunitní centrum Vltavotýnska")
    assert centre.count() >= 4
    assert set(Event.objects.values_list("kind", flat=True)) == set(Event.Kind.values)
    hidden = Event.objects.get(location__address_hidden=True)
    page = client.get(url("detail", hidden.territory, pk=hidden.pk)).content.decode()
    assert hidden.location.street not in page
