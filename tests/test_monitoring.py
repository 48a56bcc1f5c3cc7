"""Project monitoring: registration numbers, computed indicators per period and partner,
period locking, the pace check, participant cards and their export, service statistics
of a funded network, the unmet-demand report, access and the API's project list."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEntry
from api.v1_projects import projects_for_user
from catalog.models import CapacityType, ProvisionForm
from community.models import Attendance, CommunityCentre, CommunityLeader, Meeting
from directory.models import CapacityReport, Location, RegisteredCapacity
from events.models import Event, Registration
from monitoring import reports, services
from monitoring.indicators import Status, compute_project, pace_status
from monitoring.models import (
    Indicator,
    IndicatorValue,
    KeyActivity,
    Participant,
    PeriodEvent,
    Project,
    ProjectPartner,
    ProjectService,
)
from monitoring.validators import programme_of, validate_registration_number
from referrals import services as referral_services
from referrals.models import ReferralEvent
from territory.models import Municipality
from tests.factories import (
    KYJOV,
    make_organization,
    make_service,
    make_territory,
    make_user,
)

PRAGUE = timezone.get_default_timezone()


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), PRAGUE)


# --- registration numbers -------------------------------------------------------------------------

SEED_NUMBERS = [
    "CZ.03.02.01/00/22_008/0000060",  # Kyjovské Slovácko (OPZ+)
    "CZ.03.02.01/00/22_008/0000024",  # Bohdanečsko (OPZ+)
    "CZ.03.02.01/00/22_008/0000016",  # Vltavotýnsko (OPZ+)
]


@pytest.mark.parametrize("number", SEED_NUMBERS)
def test_registration_number_of_the_seed_projects_is_valid_opz_plus(number):
    validate_registration_number(number)
    assert programme_of(number) == "opz_plus"


@pytest.mark.parametrize(
    "number", ["CZ.03.2.63/0.0/0.0/15_007/0001234", "CZ.03.2.X/0.0/0.0/15_005/0000001"]
)
def test_registration_number_in_the_opz_form_is_valid(number):
    validate_registration_number(number)
    assert programme_of(number) == "opz"


def test_registration_number_with_spaces_is_normalised():
    assert programme_of(" cz.03.02.01/00/22_008/0000060 ") == "opz_plus"


@pytest.mark.parametrize(
    "number",
    [
        "CZ.03.02.01/00/22_008/000006",  # a digit short
        "CZ.06.02.01/00/22_008/0000060",  # another programme (IROP)
        "CZ.03.2.63/0.0/0.0/15_007",  # the project number missing
        "0000060",
        "",
    ],
)
def test_registration_number_in_another_form_is_refused_with_examples(number):
    with pytest.raises(ValidationError) as error:
        validate_registration_number(number)
    message = error.value.messages[0]
    assert "CZ.03.02.01/00/22_008/0000060" in message
    assert "CZ.03.2.63/0.0/0.0/15_007/0001234" in message


def test_registration_number_that_does_not_match_the_programme_is_refused():
    with pytest.raises(ValidationError) as error:
        services.check_registration_number(number="CZ.03.02.01/00/22_008/0000060", programme="opz")
    assert "registration_number" in error.value.message_dict


# --- a crafted world ---------------------------------------------------------------------------


@pytest.fixture
def world(db):
    territory = make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")
    other_territory = make_territory("jinde", (KYJOV,), name="Jinde")
    mas = make_organization("MAS Kyjovsko", ico="")
    # A seat in the territory makes the MAS one of the territory's organisations.
    kyjov = Municipality.objects.get(code=KYJOV)
    Location.objects.create(
        organization=mas,
        name="Kancelář MAS",
        municipality=kyjov,
        latitude=kyjov.latitude,
        longitude=kyjov.longitude,
    )
    partner = make_organization("Charita Kyjov")
    outsider_org = make_organization("Jiná organizace")
    provider = make_organization("Azylový dům, z.ú.")
    shelter = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=0)
    coordinator = make_user("koordinator", coordinates=territory)
    worker = make_user("mas-pracovnice", organization=mas, role="social_worker")
    manager = make_user("mas-spravce", organization=mas, role="provider_admin")
    partner_worker = make_user("charita", organization=partner, role="social_worker")
    outsider = make_user("cizi", organization=outsider_org, role="social_worker")
    receiver = make_user("azyl", organization=provider, role="provider_staff")
    project = Project.objects.create(
        registration_number="CZ.03.02.01/00/22_008/0000060",
        name="Budujeme komunitu",
        programme=Project.Programme.OPZ_PLUS,
        implementer=mas,
        territory=territory,
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
    )
    ProjectPartner.objects.create(
        project=project, organization=partner, role=ProjectPartner.Role.PARTNER
    )
    services.generate_periods(project=project)
    ka1 = KeyActivity.objects.create(project=project, code="KA1", name="Sociální práce")
    ka2 = KeyActivity.objects.create(project=project, code="KA2", name="Komunitní práce")
    return {
        "territory": territory,
        "other_territory": other_territory,
        "mas": mas,
        "partner": partner,
        "outsider_org": outsider_org,
        "provider": provider,
        "shelter": shelter,
        "coordinator": coordinator,
        "worker": worker,
        "manager": manager,
        "partner_worker": partner_worker,
        "outsider": outsider,
        "receiver": receiver,
        "project": project,
        "ka1": ka1,
        "ka2": ka2,
    }


def person(world, name, *, org="mas", actor="worker", birth_year=1980, consent=True, **kw):
    code = kw.pop("municipality_id", None)
    found = referral_services.record_person(
        actor=world[actor],
        organization=world[org],
        name=name,
        birth_year=birth_year,
        municipality=Municipality.objects.get(code=code) if code else None,
        **kw,
    )
    if consent:
        referral_services.record_consent(
            actor=world[actor], person=found, purpose="project", given_by="self"
        )
    return found


FULL_CARD = {
    "gender": "female",
    "labour_status": "unemployed",
    "education": "isced_3",
    "disability": "no",
    "third_country_national": "no",
    "foreign_background": "no",
    "minority": "refused",
    "homeless": "no",
    "rural_area": "no",
}


def enter(world, who, day, *, actor="worker", **card):
    return services.enter_participant(
        actor=world[actor],
        project=world["project"],
        person=who,
        entered_on=day,
        **({**FULL_CARD, **card}),
    )


def result_of(results, source_or_code):
    for result in results:
        if source_or_code in (result.indicator.source, result.indicator.code):
            return result
    raise AssertionError(source_or_code)


def indicator(world, code, source="", *, kind="computed", aggregation="sum", target=None):
    return Indicator.objects.create(
        project=world["project"],
        code=code,
        name=code,
        unit="osoby",
        kind=kind,
        source=source,
        aggregation=aggregation,
        target=target,
    )


# --- periods -------------------------------------------------------------------------------------


def test_periods_are_half_years_from_the_start(world):
    periods = list(world["project"].periods.order_by("number"))
    assert [(p.start, p.end) for p in periods] == [
        (date(2023, 1, 1), date(2023, 6, 30)),
        (date(2023, 7, 1), date(2023, 12, 31)),
        (date(2024, 1, 1), date(2024, 6, 30)),
        (date(2024, 7, 1), date(2024, 12, 31)),
        (date(2025, 1, 1), date(2025, 6, 30)),
        (date(2025, 7, 1), date(2025, 12, 31)),
    ]


def test_periods_of_an_odd_project_end_with_a_short_one():
    bounds = services.period_bounds(date(2016, 4, 1), date(2019, 4, 30), 6)
    assert bounds[0] == (date(2016, 4, 1), date(2016, 9, 30))
    assert bounds[-1] == (date(2019, 4, 1), date(2019, 4, 30))
    assert len(bounds) == 7


# --- computed indicators ------------------------------------------------------------------------


@pytest.fixture
def crafted(world):
    """Three participants of the MAS and one of the partner, with support, referrals,
    meetings, leaders and events spread over the first three periods."""
    p = world
    anna = person(p, "Anna", municipality_id=KYJOV)
    bedrich = person(p, "Bedřich", birth_year=1950)
    cecilie = person(p, "Cecílie", birth_year=2010)
    dana = person(p, "Dana", org="partner", actor="partner_worker")
    a = enter(p, anna, date(2023, 2, 1))
    b = enter(p, bedrich, date(2023, 8, 15), gender="male")
    c = enter(p, cecilie, date(2024, 3, 1))
    d = enter(p, dana, date(2023, 3, 1), actor="partner_worker")
    # Anna takes part in many activities of both key activities and both partners:
    # she is still one participant.
    for day, ka, hours, org in [
        (date(2023, 2, 1), "ka1", "2", "mas"),
        (date(2023, 2, 8), "ka1", "1.5", "mas"),
        (date(2023, 5, 3), "ka2", "3", "mas"),
        (date(2023, 9, 1), "ka2", "2", "partner"),
    ]:
        services.record_activity(
            actor=p["worker"],
            participant=a,
            day=day,
            kind="individual",
            hours=hours,
            key_activity=p[ka],
            organization=p[org],
        )
    services.record_activity(
        actor=p["worker"], participant=b, day=date(2023, 9, 2), kind="group", hours="1"
    )
    services.record_activity(
        actor=p["partner_worker"], participant=d, day=date(2023, 3, 2), kind="field", hours="4"
    )
    # Referrals: one completed in period 2, one declined for capacity, one still open.
    referral_services.record_consent(
        actor=p["worker"], person=anna, purpose="referral", given_by="self"
    )
    done = referral_services.create_referral(
        actor=p["worker"], person=anna, service=p["shelter"], territory=p["territory"]
    )
    for to in ("accepted", "in_progress"):
        done = referral_services.transition_referral(actor=p["receiver"], referral=done, to=to)
    done = referral_services.transition_referral(
        actor=p["receiver"], referral=done, to="completed", outcome="helped"
    )
    ReferralEvent.objects.filter(referral=done).update(at=at(date(2023, 10, 5)))
    declined = referral_services.create_referral(
        actor=p["worker"], person=anna, service=p["shelter"], territory=p["territory"]
    )
    referral_services.transition_referral(
        actor=p["receiver"], referral=declined, to="declined", reason="no_capacity"
    )
    ReferralEvent.objects.filter(referral=declined).update(at=at(date(2024, 2, 10)))
    referral_services.create_referral(
        actor=p["worker"], person=anna, service=p["shelter"], territory=p["territory"]
    )
    # Community: two meetings held (one in another territory), one cancelled.
    held = Meeting.objects.create(
        organization=p["mas"],
        territory=p["territory"],
        title="Setkání v Kyjově",
        status="held",
        held_at=at(date(2023, 4, 20), 17),
        anonymous_count=5,
    )
    Attendance.objects.create(organization=p["mas"], meeting=held, person=anna)
    Attendance.objects.create(organization=p["mas"], meeting=held, person=bedrich)
    Attendance.objects.create(organization=p["mas"], meeting=held, person=cecilie, attended=False)
    Meeting.objects.create(
        organization=p["partner"],
        territory=p["territory"],
        title="Druhé setkání",
        status="held",
        held_at=at(date(2024, 1, 15), 17),
    )
    Meeting.objects.create(
        organization=p["mas"],
        territory=p["territory"],
        title="Zrušené",
        status="cancelled",
        held_at=at(date(2023, 5, 20), 17),
    )
    Meeting.objects.create(
        organization=p["mas"],
        territory=p["other_territory"],
        title="Jinde",
        status="held",
        held_at=at(date(2023, 5, 21), 17),
    )
    CommunityLeader.objects.create(
        person=anna, organization=p["mas"], territory=p["territory"], since=date(2023, 5, 1)
    )
    CommunityLeader.objects.create(
        person=dana, organization=p["partner"], territory=p["territory"], since=date(2024, 2, 1)
    )
    CommunityCentre.objects.create(
        name="Komunitní centrum Kyjov",
        organization=p["mas"],
        territory=p["territory"],
        opened_on=date(2023, 9, 1),
    )
    # An event with one attended and one absent registration.
    event = Event.objects.create(
        kind="club",
        title="Klub",
        organization=p["partner"],
        territory=p["territory"],
        place_kind="online",
        start=at(date(2023, 6, 1), 16),
        end=at(date(2023, 6, 1), 18),
        series_end=at(date(2023, 6, 1), 18),
    )
    for name, attended in (("X", True), ("Y", False)):
        Registration.objects.create(
            event=event,
            organization=p["partner"],
            occurrence_start=event.start,
            name=name,
            status="confirmed",
            token_hash=name * 64,
            consent_text_version="1",
            consent_given_at=event.start,
            attended=attended,
        )
    return {"anna": a, "bedrich": b, "cecilie": c, "dana": d}


ALL_SOURCES = [
    ("60000", "participants"),
    ("REC", "support_records"),
    ("HRS", "support_hours"),
    ("REF", "referrals_completed"),
    ("MEET", "meetings_held"),
    ("ATT", "meeting_attendance"),
    ("LEAD", "community_leaders"),
    ("EVT", "events_held"),
    ("EVA", "event_attendance"),
]


def test_computed_indicators_are_exact_per_period(world, crafted):
    for code, source in ALL_SOURCES:
        indicator(world, code, source)
    indicator(world, "KC", "community_centres", aggregation="last")
    results = compute_project(world["project"], today=date(2024, 6, 30))
    by_period = {r.indicator.code: [r.period_value(i) for i in range(6)] for r in results}
    assert by_period["60000"] == [2, 1, 1, 0, 0, 0]
    assert by_period["REC"] == [4, 2, 0, 0, 0, 0]
    assert by_period["HRS"] == [Decimal("10.5"), 3, 0, 0, 0, 0]
    assert by_period["REF"] == [0, 1, 0, 0, 0, 0]
    assert by_period["MEET"] == [1, 0, 1, 0, 0, 0]
    assert by_period["ATT"] == [7, 0, 0, 0, 0, 0]
    assert by_period["LEAD"] == [1, 0, 1, 0, 0, 0]
    assert by_period["EVT"] == [1, 0, 0, 0, 0, 0]
    assert by_period["EVA"] == [1, 0, 0, 0, 0, 0]
    assert by_period["KC"] == [0, 1, 1, 1, 1, 1]
    totals = {r.indicator.code: r.value for r in results}
    # A person is counted once however many activities, meetings and referrals.
    assert totals["60000"] == 4
    assert totals["REC"] == 6
    assert totals["KC"] == 1  # state in the current (third) period


def test_computed_indicators_are_split_by_partner(world, crafted):
    indicator(world, "60000", "participants")
    indicator(world, "REC", "support_records")
    results = compute_project(world["project"], today=date(2025, 1, 1))
    mas, partner = world["mas"].pk, world["partner"].pk
    participants = result_of(results, "60000")
    assert participants.by_partner == {mas: 3, partner: 1}
    assert participants.cell(partner, 0) == 1
    records = result_of(results, "REC")
    # The record of support the partner gave to the MAS's participant is the partner's.
    assert records.by_partner == {mas: 4, partner: 2}
    assert records.cell(partner, 1) == 1


def test_value_to_date_counts_only_periods_that_began(world, crafted):
    indicator(world, "60000", "participants")
    results = compute_project(world["project"], today=date(2023, 7, 1))
    assert result_of(results, "60000").value == 3  # periods 1 and 2 (entries 2 + 1)


def test_indicators_without_the_community_app_count_nothing(world, crafted, monkeypatch):
    indicator(world, "MEET", "meetings_held")
    monkeypatch.setattr("monitoring.indicators.community_installed", lambda: False)
    results = compute_project(world["project"], today=date(2025, 1, 1))
    assert result_of(results, "MEET").value == 0


def test_help_requests_handled_count_taken_and_closed_requests(world):
    from referrals.models import HelpRequest

    indicator(world, "HR", "help_requests")
    for status, day in (
        ("new", date(2023, 3, 1)),
        ("in_progress", date(2023, 3, 2)),
        ("closed", date(2023, 8, 1)),
    ):
        HelpRequest.objects.create(
            territory=world["territory"],
            organization=world["mas"],
            situation="Potřebuji pomoc",
            name="X",
            contact_method="phone",
            consent_text_version="1",
            consent_given_at=at(day),
            status=status,
            created_at=at(day),
        )
    result = result_of(compute_project(world["project"], today=date(2024, 1, 1)), "HR")
    assert [result.period_value(i) for i in range(2)] == [1, 1]


def test_supported_services_and_their_capacity_are_a_state_per_period(world):
    shelter = world["shelter"]
    RegisteredCapacity.objects.create(
        service=shelter,
        form=ProvisionForm.objects.get(code="pob"),
        capacity_type=CapacityType.objects.get(code="luzka"),
        count=12,
    )
    ProjectService.objects.create(
        project=world["project"], service=shelter, since=date(2023, 7, 1), until=date(2024, 6, 30)
    )
    indicator(world, "SVC", "services_supported", aggregation="last")
    indicator(world, "CAP", "services_capacity", aggregation="last")
    results = compute_project(world["project"], today=date(2025, 2, 1))
    services_supported = result_of(results, "SVC")
    capacity = result_of(results, "CAP")
    assert [services_supported.period_value(i) for i in range(6)] == [0, 1, 1, 0, 0, 0]
    assert [capacity.period_value(i) for i in range(6)] == [0, 12, 12, 0, 0, 0]
    assert services_supported.value == 0  # the state now (period 5)
    assert services_supported.by_partner == {}


# --- manual values with evidence and approval --------------------------------------------------


def test_manual_value_needs_evidence_and_counts_once_approved(world):
    centres = indicator(world, "KC", kind="manual", aggregation="last", target=1)
    period = world["project"].periods.get(number=1)
    with pytest.raises(ValidationError) as error:
        services.submit_value(
            actor=world["worker"],
            indicator=centres,
            period=period,
            value=1,
            organization=world["mas"],
        )
    assert "evidence_file" in error.value.message_dict
    value = services.submit_value(
        actor=world["worker"],
        indicator=centres,
        period=period,
        value="1",
        organization=world["mas"],
        evidence_url="https://example.cz/kolaudace.pdf",
    )
    results = compute_project(world["project"], today=date(2023, 3, 1))
    assert result_of(results, "KC").value == 0
    assert result_of(results, "KC").pending == 1
    services.decide_value(actor=world["manager"], value=value, approve=True)
    results = compute_project(world["project"], today=date(2023, 3, 1))
    assert result_of(results, "KC").value == 1
    assert result_of(results, "KC").status == Status.ACHIEVED


def test_partner_cannot_enter_values_of_another_partner_nor_approve(world):
    centres = indicator(world, "KC", kind="manual")
    period = world["project"].periods.get(number=1)
    with pytest.raises(PermissionDenied):
        services.submit_value(
            actor=world["partner_worker"],
            indicator=centres,
            period=period,
            value=1,
            organization=world["mas"],
            note="zápis",
        )
    value = services.submit_value(
        actor=world["partner_worker"],
        indicator=centres,
        period=period,
        value=1,
        organization=world["partner"],
        note="prezenční listina je v kanceláři",
    )
    with pytest.raises(PermissionDenied):
        services.decide_value(actor=world["partner_worker"], value=value, approve=True)
    with pytest.raises(ValidationError):
        services.decide_value(actor=world["manager"], value=value, approve=False)
    returned = services.decide_value(
        actor=world["coordinator"], value=value, approve=False, reason="Chybí podpis."
    )
    assert returned.status == IndicatorValue.Status.RETURNED


def test_computed_indicator_refuses_manual_values(world):
    participants = indicator(world, "60000", "participants")
    with pytest.raises(ValidationError):
        services.submit_value(
            actor=world["manager"],
            indicator=participants,
            period=world["project"].periods.get(number=1),
            value=3,
            note="x",
        )


# --- locking ------------------------------------------------------------------------------------


def test_locked_period_freezes_values_and_refuses_edits(world, crafted):
    indicator(world, "60000", "participants")
    centres = indicator(world, "KC", kind="manual")
    first = world["project"].periods.get(number=1)
    services.lock_period(actor=world["manager"], period=first)
    # A participant entered late into the locked period is refused …
    late = person(world, "Pozdní")
    with pytest.raises(services.PeriodLocked, match="uzamčené"):
        enter(world, late, date(2023, 6, 1))
    # … and so are corrections of cards, records of support and manual values in it.
    with pytest.raises(services.PeriodLocked):
        services.update_card(actor=world["worker"], participant=crafted["anna"], gender="male")
    with pytest.raises(services.PeriodLocked):
        services.record_activity(
            actor=world["worker"],
            participant=crafted["anna"],
            day=date(2023, 6, 2),
            kind="group",
            hours=1,
        )
    with pytest.raises(services.PeriodLocked):
        services.submit_value(
            actor=world["manager"], indicator=centres, period=first, value=1, note="x"
        )
    # Data changed behind the period's back does not change what was reported.
    Participant.objects.filter(pk=crafted["cecilie"].pk).update(entered_on=date(2023, 6, 10))
    result = result_of(compute_project(world["project"], today=date(2024, 1, 1)), "60000")
    assert result.period_value(0) == 2
    assert 0 in result.frozen
    event = PeriodEvent.objects.get(period=first)
    assert event.action == "lock"
    assert event.snapshot["60000"] == "2"


def test_reopening_needs_a_reason_and_is_kept_in_history(world, crafted):
    indicator(world, "60000", "participants")
    first = world["project"].periods.get(number=1)
    services.lock_period(actor=world["manager"], period=first)
    with pytest.raises(ValidationError) as error:
        services.reopen_period(actor=world["manager"], period=first, reason="  ")
    assert "reason" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        services.reopen_period(actor=world["worker"], period=first, reason="Oprava karty osoby")
    reopened = services.reopen_period(
        actor=world["manager"], period=first, reason="Oprava karty osoby po kontrole"
    )
    assert not reopened.is_locked
    services.update_card(actor=world["worker"], participant=crafted["anna"], gender="male")
    history = list(first.events.values_list("action", "reason"))
    assert history == [("lock", ""), ("reopen", "Oprava karty osoby po kontrole")]
    assert not IndicatorValue.objects.filter(period=first, is_snapshot=True).exists()


def test_lock_is_for_managers_only(world):
    first = world["project"].periods.get(number=1)
    with pytest.raises(PermissionDenied):
        services.lock_period(actor=world["partner_worker"], period=first)
    services.lock_period(actor=world["coordinator"], period=first)
    with pytest.raises(ValidationError, match="už je uzamčené"):
        services.lock_period(actor=world["coordinator"], period=first)


def test_periods_cannot_be_rebuilt_once_one_is_locked(world):
    services.lock_period(actor=world["manager"], period=world["project"].periods.get(number=1))
    with pytest.raises(ValidationError):
        services.generate_periods(project=world["project"], months=3)


# --- pace ---------------------------------------------------------------------------------------


PACE = {"baseline": Decimal(0), "start": date(2023, 1, 1), "end": date(2025, 12, 31)}


@pytest.mark.parametrize(
    ("value", "today", "expected"),
    [
        (5, date(2024, 7, 1), Status.AT_RISK),  # half the time, a third of the way
        (8, date(2024, 7, 1), Status.ON_TRACK),  # more than half of 15 at half the time
        (15, date(2024, 7, 1), Status.ACHIEVED),
        (0, date(2022, 12, 1), Status.NOT_STARTED),
        (14, date(2026, 1, 5), Status.MISSED),
        (0, date(2023, 1, 10), Status.AT_RISK),  # nothing yet: no pace at all
    ],
)
def test_pace_check(value, today, expected):
    assert pace_status(value=Decimal(value), target=Decimal(15), today=today, **PACE) == expected


def test_pace_without_target_is_not_judged():
    assert pace_status(value=Decimal(3), target=None, today=date(2024, 1, 1), **PACE) == (
        Status.NO_TARGET
    )


# --- participants -------------------------------------------------------------------------------


def test_participant_card_records_refused_items_and_age_at_entry(world):
    who = person(world, "Eva", birth_year=1990)
    card = enter(world, who, date(2024, 5, 1), disability="refused", minority="refused")
    assert card.age_at_entry == 34
    assert sorted(card.refused_items()) == ["disability", "minority"]
    assert card.is_complete  # refused is an answer


def test_participant_is_counted_once_per_project(world):
    who = person(world, "Eva")
    enter(world, who, date(2024, 5, 1))
    with pytest.raises(ValidationError, match="jen jednou"):
        enter(world, who, date(2024, 6, 1))
    assert Participant.objects.filter(person=who).count() == 1


def test_participant_needs_a_project_consent(world):
    who = person(world, "Eva", consent=False)
    with pytest.raises(ValidationError, match="účast v projektu"):
        enter(world, who, date(2024, 5, 1))


def test_participant_of_another_organisation_cannot_be_entered(world):
    who = person(world, "Eva")
    with pytest.raises(PermissionDenied):
        enter(world, who, date(2024, 5, 1), actor="partner_worker")


def test_rural_area_is_derived_from_the_obec_or_left_to_the_worker(world):
    town = Municipality.objects.select_related("orp").get(code=KYJOV)
    assert services.derive_rural(town) == "no"  # Kyjov is an ORP seat
    village = next(
        m
        for m in Municipality.objects.select_related("orp").filter(orp=town.orp).order_by("code")
        if m.name not in (m.pou_name, m.orp.name)
    )
    assert services.derive_rural(village) == "yes"
    assert services.derive_rural(None) == ""
    who = person(world, "Eva", municipality_id=village.code)
    card = services.enter_participant(
        actor=world["worker"], project=world["project"], person=who, entered_on=date(2024, 1, 2)
    )
    assert (card.rural_area, card.rural_area_source) == ("yes", "derived")
    card = services.update_card(actor=world["worker"], participant=card, rural_area="no")
    assert (card.rural_area, card.rural_area_source) == ("no", "worker")


def test_completeness_check_names_the_missing_items(world):
    full = enter(world, person(world, "Úplná"), date(2024, 1, 2))
    partial = services.enter_participant(
        actor=world["worker"],
        project=world["project"],
        person=person(world, "Neúplná", birth_year=None),
        entered_on=date(2024, 1, 3),
        gender="male",
        homeless="refused",
    )
    check = services.completeness(Participant.objects.filter(project=world["project"]))
    assert (check.total, check.complete) == (2, 1)
    [(card, missing)] = check.incomplete
    assert card == partial
    assert missing == [
        "rok narození",
        "postavení na trhu práce",
        "nejvyšší dosažené vzdělání (ISCED)",
        "z venkovské oblasti",
        "osoba se zdravotním postižením",
        "státní příslušník třetí země",
        "osoba cizího původu",
        "příslušník menšiny (včetně marginalizovaných komunit, např. Romů)",
    ]
    assert check.refused == {
        "disability": 0,
        "third_country_national": 0,
        "foreign_background": 0,
        "minority": 1,
        "homeless": 1,
    }
    assert full.is_complete


def test_entering_and_correcting_a_card_is_audited(world):
    card = enter(world, person(world, "Eva"), date(2024, 1, 2))
    services.update_card(actor=world["worker"], participant=card, education="isced_2")
    actions = list(
        AuditEntry.objects.filter(object_type="monitoring.participant").values_list(
            "action", "organization_id"
        )
    )
    assert sorted(actions) == [("create", world["mas"].pk), ("update", world["mas"].pk)]


def test_participant_summary_counts_esf_categories(world, crafted):
    summary = reports.participant_summary(world["project"])
    assert summary["total"] == 4
    assert summary["female"] == 3
    assert summary["male"] == 1
    assert summary["age_under_18"] == 1  # Cecílie, born 2010, entered 2024
    assert summary["age_55_plus"] == 1  # Bedřich, born 1950
    assert summary["age_30_54"] == 2
    assert summary["unemployed"] == 4
    assert summary["minority_refused"] == 4
    assert summary["incomplete"] == 0


# --- export -------------------------------------------------------------------------------------


def _documented_columns() -> list[str]:
    from pathlib import Path

    from django.conf import settings

    text = (Path(settings.BASE_DIR) / "docs" / "participants-export.md").read_text("utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "`" in line]
    return [row.split("`")[1] for row in rows]


def test_export_columns_are_the_documented_ones():
    assert _documented_columns() == reports.PARTICIPANT_HEADER


def test_participant_xlsx_has_the_documented_columns(world, crafted):
    from openpyxl import load_workbook

    buffer = io.BytesIO()
    count = reports.write_participants_xlsx(
        Participant.objects.filter(project=world["project"]), buffer
    )
    assert count == 4
    book = load_workbook(io.BytesIO(buffer.getvalue()), read_only=True)
    rows = list(book["ucastnici"].iter_rows(values_only=True))
    assert list(rows[0]) == _documented_columns()
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["person_name"] == "Anna"
    assert first["entered_on"] == "2023-02-01"
    assert first["minority"] == "refused"
    assert first["age_band"] == "30_54"
    assert first["support_records"] == 4
    assert Decimal(str(first["support_hours"])) == Decimal("8.5")
    assert first["municipality_code"] == KYJOV
    assert [r[0] for r in book["sloupce"].iter_rows(values_only=True)][1:] == (
        _documented_columns()
    )


def test_participant_csv_has_the_documented_columns(world, crafted):
    out = io.StringIO()
    reports.write_participants_csv(Participant.objects.filter(project=world["project"]), out)
    text = out.getvalue()
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows[0] == _documented_columns()
    assert len(rows) == 5
    assert dict(zip(rows[0], rows[2], strict=True))["gender"] == "female"


def test_export_never_turns_a_name_into_a_formula(world):
    enter(world, person(world, '=HYPERLINK("http://x")'), date(2024, 1, 2))
    out = io.StringIO()
    reports.write_participants_csv(Participant.objects.filter(project=world["project"]), out)
    assert "'=HYPERLINK" in out.getvalue()


def test_export_command_writes_the_file_with_progress_and_audits(world, crafted, tmp_path):
    target = tmp_path / "ucastnici.xlsx"
    out = io.StringIO()
    call_command(
        "export_participants",
        world["project"].registration_number,
        "--output",
        str(target),
        stdout=out,
        stderr=out,
    )
    assert target.stat().st_size > 0
    assert "4 participant cards" in out.getvalue()
    # One entry per organisation whose cards left the system.
    entries = AuditEntry.objects.filter(action="export", object_type="monitoring.participant")
    assert sorted((e.organization_id == world["mas"].pk, e.count, e.via) for e in entries) == [
        (False, 1, "command"),
        (True, 3, "command"),
    ]


# --- service statistics ---------------------------------------------------------------------


@pytest.fixture
def network(world):
    shelter = world["shelter"]
    project = world["project"]
    RegisteredCapacity.objects.create(
        service=shelter,
        form=ProvisionForm.objects.get(code="pob"),
        capacity_type=CapacityType.objects.get(code="luzka"),
        count=10,
    )
    shelter.forms.set(ProvisionForm.objects.filter(code="pob"))
    ProjectService.objects.create(project=project, service=shelter, since=project.start_date)
    ProjectPartner.objects.create(
        project=project, organization=world["provider"], role="funded_provider"
    )
    return {"shelter": shelter, "period": project.periods.get(number=1)}


def test_statistics_over_registered_capacity_are_refused_naming_the_field(world, network):
    with pytest.raises(ValidationError) as error:
        services.save_statistics(
            actor=world["receiver"],
            project=world["project"],
            service=network["shelter"],
            period=network["period"],
            data={"clients_total": 20, "clients_pob": 20, "bed_days": 1900, "contacts_ter": 3},
        )
    errors = error.value.message_dict
    assert sorted(errors) == ["bed_days", "contacts_ter"]
    assert errors["bed_days"] == [
        "„obsazené lůžkodny – pobytová forma“ (1900) převyšují registrovanou kapacitu: "
        "10 lůžek × 181 dní období = 1810."
    ]
    assert "terénní formu" in errors["contacts_ter"][0]


def test_statistics_within_capacity_are_saved_and_submitted(world, network):
    row = services.save_statistics(
        actor=world["receiver"],
        project=world["project"],
        service=network["shelter"],
        period=network["period"],
        data={"clients_total": 14, "clients_pob": 14, "bed_days": 1500, "refused_capacity": 3},
        submit=True,
    )
    assert (row.status, row.bed_days) == ("submitted", 1500)
    with pytest.raises(PermissionDenied):
        services.save_statistics(
            actor=world["outsider"],
            project=world["project"],
            service=network["shelter"],
            period=network["period"],
            data={},
        )


def test_statistics_form_is_prefilled_from_referrals_and_capacity_reports(world, network):
    anna = person(world, "Anna")
    referral_services.record_consent(
        actor=world["worker"], person=anna, purpose="referral", given_by="self"
    )
    accepted = referral_services.create_referral(
        actor=world["worker"], person=anna, service=network["shelter"]
    )
    referral_services.transition_referral(actor=world["receiver"], referral=accepted, to="accepted")
    declined = referral_services.create_referral(
        actor=world["worker"], person=anna, service=network["shelter"]
    )
    referral_services.transition_referral(
        actor=world["receiver"], referral=declined, to="declined", reason="waiting_list"
    )
    ReferralEvent.objects.update(at=at(date(2023, 3, 3)))
    CapacityReport.objects.filter(service=network["shelter"]).update(
        reported_at=at(date(2023, 6, 1))
    )
    CapacityReport.objects.create(
        service=network["shelter"], free_places=0, waiting_list=6, reported_at=at(date(2023, 6, 20))
    )
    CapacityReport.objects.create(
        service=network["shelter"], free_places=0, waiting_list=9, reported_at=at(date(2023, 7, 2))
    )
    data = services.prefill_statistics(service=network["shelter"], period=network["period"])
    assert (data["clients_total"], data["clients_pob"]) == (1, 1)
    assert data["refused_capacity"] == 1
    assert data["waiting_list_end"] == 6


def test_network_view_shows_utilisation_of_registered_capacity(world, network):
    services.save_statistics(
        actor=world["receiver"],
        project=world["project"],
        service=network["shelter"],
        period=network["period"],
        data={"clients_total": 14, "clients_pob": 14, "bed_days": 905},
    )
    [row] = reports.network_view(world["project"])
    assert (row.service_type, row.district, row.clients) == ("azylové domy", "Hodonín", 14)
    assert row.bed_capacity_days == 1810
    assert row.utilisation == 50


# --- unmet demand -------------------------------------------------------------------------------


def test_unmet_demand_by_service_type_obec_and_quarter(world):
    anna = person(world, "Anna", municipality_id=KYJOV)
    referral_services.record_consent(
        actor=world["worker"], person=anna, purpose="referral", given_by="self"
    )
    for reason, day in (
        ("no_capacity", date(2025, 2, 1)),
        ("waiting_list", date(2025, 5, 1)),
        ("not_target_group", date(2025, 5, 2)),  # not unmet demand
    ):
        referral = referral_services.create_referral(
            actor=world["worker"],
            person=anna,
            service=world["shelter"],
            territory=world["territory"],
        )
        referral_services.transition_referral(
            actor=world["receiver"], referral=referral, to="declined", reason=reason
        )
        ReferralEvent.objects.filter(referral=referral, to_status="declined").update(at=at(day))
    CapacityReport.objects.filter(service=world["shelter"]).delete()
    CapacityReport.objects.create(
        service=world["shelter"], free_places=0, waiting_list=4, reported_at=at(date(2025, 3, 1))
    )
    report = reports.unmet_demand(world["territory"], start=date(2025, 1, 1), end=date(2025, 6, 30))
    assert report.bucket_labels == ["1. čtvrtletí 2025", "2. čtvrtletí 2025"]
    [row] = report.declines
    assert (row.service_type, row.municipality, row.values) == ("azylové domy", "Kyjov", [1, 1])
    [waiting] = report.waiting
    assert (waiting.municipality, waiting.values) == ("Kyjov", [4, 4])
    assert report.by_type == [("azylové domy", 2, 4)]


# --- access -------------------------------------------------------------------------------------


def test_project_is_seen_by_coordinator_and_partners_not_by_others(world, client):
    project = world["project"]
    url = reverse("monitoring:project", kwargs={"pk": project.pk})
    for username, status in (
        ("koordinator", 200),
        ("mas-pracovnice", 200),
        ("charita", 200),
        ("cizi", 404),
        ("azyl", 404),
    ):
        client.force_login(world[_user_key(world, username)])
        assert client.get(url).status_code == status, username


def _user_key(world, username):
    return next(k for k, v in world.items() if getattr(v, "username", None) == username)


def test_participant_cards_are_seen_only_by_their_organisation(world, crafted, client):
    card = crafted["anna"]
    url = reverse(
        "monitoring:participant", kwargs={"pk": world["project"].pk, "participant": card.pk}
    )
    client.force_login(world["worker"])
    assert client.get(url).status_code == 200
    for who in ("partner_worker", "coordinator", "outsider"):
        client.force_login(world[who])
        assert client.get(url).status_code == 404, who


def test_participant_list_shows_own_cards_and_is_audited(world, crafted, client):
    client.force_login(world["partner_worker"])
    response = client.get(reverse("monitoring:participants", kwargs={"pk": world["project"].pk}))
    assert response.status_code == 200
    assert [p.pk for p in response.context["participants"]] == [crafted["dana"].pk]
    entry = AuditEntry.objects.get(action="list", object_type="monitoring.participant")
    assert (entry.actor, entry.count) == (world["partner_worker"], 1)


def test_participant_export_over_the_web_contains_own_cards_only(world, crafted, client):
    client.force_login(world["worker"])
    response = client.get(
        reverse("monitoring:participants_export", kwargs={"pk": world["project"].pk, "fmt": "csv"})
    )
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(r[4] for r in rows[1:]) == ["Anna", "Bedřich", "Cecílie"]
    entry = AuditEntry.objects.get(action="export", object_type="monitoring.participant")
    assert entry.count == 3


def test_lock_over_the_web_needs_a_manager(world, client):
    period = world["project"].periods.get(number=1)
    url = reverse("monitoring:period_lock", kwargs={"pk": world["project"].pk, "period": period.pk})
    client.force_login(world["partner_worker"])
    assert client.post(url).status_code == 403
    client.force_login(world["coordinator"])
    assert client.post(url).status_code == 302
    period.refresh_from_db()
    assert period.is_locked


def test_zor_annex_xlsx_has_its_four_sheets(world, crafted, client):
    from openpyxl import load_workbook

    indicator(world, "60000", "participants", target=10)
    period = world["project"].periods.get(number=1)
    client.force_login(world["coordinator"])
    response = client.get(
        reverse("monitoring:zor_xlsx", kwargs={"pk": world["project"].pk, "period": period.pk})
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Indikátory", "Účastníci", "Aktivity", "Setkání"]
    indicator_row = [r for r in book["Indikátory"].iter_rows(values_only=True) if r[0] == "60000"]
    assert indicator_row[0][6:8] == (2, 2)  # in the period, cumulative
    summary = {r[0]: r[1:] for r in book["Účastníci"].iter_rows(values_only=True)}
    assert summary["Celkový počet účastníků (6 00 00)"] == (2, 2)
    meetings = list(book["Setkání"].iter_rows(values_only=True))
    assert meetings[1][1:] == ("Setkání v Kyjově", "MAS Kyjovsko", 2, 5, 7)


def test_dashboard_renders_charts_with_a_text_table(world, crafted, client):
    indicator(world, "60000", "participants", target=10)
    client.force_login(world["coordinator"])
    response = client.get(reverse("monitoring:project", kwargs={"pk": world["project"].pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in html and 'role="img"' in html
    assert "<table" in html


def test_planning_report_is_for_the_territory_only(world, client):
    url = reverse("monitoring:planning", kwargs={"territory": world["territory"].slug})
    client.force_login(world["coordinator"])
    assert client.get(url).status_code == 200
    client.force_login(world["outsider"])
    assert client.get(url).status_code == 404


# --- the API's project list -----------------------------------------------------------------


def test_projects_for_user_has_the_contract_shape(world, crafted):
    indicator(world, "60000", "participants", target=40)
    listed = projects_for_user(world["coordinator"])
    assert listed == [
        {
            "registration_number": "CZ.03.02.01/00/22_008/0000060",
            "name": "Budujeme komunitu",
            "indicators": [
                {
                    "code": "60000",
                    "name": "60000",
                    "unit": "osoby",
                    "target": 40,
                    "value": 4,
                }
            ],
        }
    ]
    assert projects_for_user(world["outsider"]) == []


# --- pages --------------------------------------------------------------------------------------


def test_every_monitoring_page_has_one_h1_and_a_title(world, crafted, network, client):
    from tests.test_meta import assert_page_structure

    project = world["project"]
    manual = indicator(world, "KC", kind="manual", target=1)
    period = project.periods.get(number=1)
    kw = {"pk": project.pk}
    pages = {
        "coordinator": [
            reverse("monitoring:index"),
            reverse("monitoring:project_create"),
            reverse("monitoring:project", kwargs=kw),
            reverse("monitoring:project_edit", kwargs=kw),
            reverse("monitoring:indicator_create", kwargs=kw),
            reverse("monitoring:indicator", kwargs={**kw, "indicator": manual.pk}),
            reverse("monitoring:indicator_edit", kwargs={**kw, "indicator": manual.pk}),
            reverse("monitoring:periods", kwargs=kw),
            reverse("monitoring:statistics", kwargs=kw),
            reverse(
                "monitoring:statistics_form",
                kwargs={**kw, "service": network["shelter"].pk, "period": period.pk},
            ),
            reverse("monitoring:network", kwargs=kw),
            reverse("monitoring:zor", kwargs={**kw, "period": period.pk}),
            reverse("monitoring:planning", kwargs={"territory": "kyjovsko"}),
        ],
        "worker": [
            reverse("monitoring:participants", kwargs=kw),
            reverse("monitoring:participant_create", kwargs=kw),
            reverse("monitoring:participant", kwargs={**kw, "participant": crafted["anna"].pk}),
        ],
    }
    for who, urls in pages.items():
        client.force_login(world[who])
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert_page_structure(response, url)


def test_statistics_form_shows_the_capacity_error_at_its_field(world, network, client):
    url = reverse(
        "monitoring:statistics_form",
        kwargs={
            "pk": world["project"].pk,
            "service": network["shelter"].pk,
            "period": network["period"].pk,
        },
    )
    client.force_login(world["receiver"])
    page = client.get(url)
    assert page.status_code == 200
    assert "peak_amb" not in page.context["form"].fields  # not a registered form
    data = dict.fromkeys(page.context["form"].fields, 0) | {
        "refused_note": "",
        "clients_total": 10,
        "clients_pob": 10,
        "bed_days": 5000,
        "submit": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["bed_days"]
    assert not world["project"].periods.get(number=1).service_statistics.exists()
    data["bed_days"] = 1500
    assert client.post(url, data).status_code == 302
    assert network["shelter"].statistics.get().status == "submitted"


def test_manual_value_with_an_uploaded_evidence_file_is_served_to_the_project_only(
    world, client, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.SPOJKA_EVIDENCE_ROOT = str(tmp_path)
    centres = indicator(world, "KC", kind="manual", aggregation="last", target=1)
    period = world["project"].periods.get(number=1)
    url = reverse(
        "monitoring:indicator", kwargs={"pk": world["project"].pk, "indicator": centres.pk}
    )
    client.force_login(world["partner_worker"])
    response = client.post(
        url,
        {
            "form": "value",
            "hodnota-period": period.pk,
            "hodnota-organization": world["partner"].pk,
            "hodnota-value": "1",
            "hodnota-evidence_file": SimpleUploadedFile(
                "kolaudace.pdf", b"%PDF-1.4 test", content_type="application/pdf"
            ),
        },
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=centres)
    assert (value.organization, value.status) == (world["partner"], "submitted")
    download = reverse("monitoring:evidence", kwargs={"pk": world["project"].pk, "value": value.pk})
    answer = client.get(download)
    assert b"".join(answer.streaming_content) == b"%PDF-1.4 test"
    client.force_login(world["outsider"])
    assert client.get(download).status_code == 404


def test_evidence_of_a_forbidden_type_is_refused(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    centres = indicator(world, "KC", kind="manual")
    period = world["project"].periods.get(number=1)
    client.force_login(world["manager"])
    response = client.post(
        reverse(
            "monitoring:indicator", kwargs={"pk": world["project"].pk, "indicator": centres.pk}
        ),
        {
            "form": "value",
            "hodnota-period": period.pk,
            "hodnota-value": "1",
            "hodnota-evidence_file": SimpleUploadedFile("x.exe", b"MZ"),
        },
    )
    assert response.status_code == 200
    assert list(response.context["value_form"].errors) == ["evidence_file"]


def test_erasing_a_person_keeps_the_indicators(world, crafted):
    indicator(world, "60000", "participants")
    before = result_of(compute_project(world["project"], today=date(2025, 1, 1)), "60000").value
    referral_services.anonymise_person(actor=world["worker"], person=crafted["anna"].person)
    after = result_of(compute_project(world["project"], today=date(2025, 1, 1)), "60000").value
    assert before == after == 4
    summary = reports.participant_summary(world["project"])
    assert summary["total"] == 4


def test_project_form_refuses_a_malformed_registration_number(world, client):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("monitoring:project_create"),
        {
            "registration_number": "CZ.03.2.63/0.0/0.0/15_007",
            "name": "Nový projekt",
            "programme": "opz",
            "territory": world["territory"].pk,
            "implementer": world["mas"].pk,
            "start_date": "2024-01-01",
            "end_date": "2026-12-31",
            "period_months": 6,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["registration_number"]
    assert "CZ.03.02.01/00/22_008/0000060" in errors["registration_number"][0]
    assert Project.objects.count() == 1
