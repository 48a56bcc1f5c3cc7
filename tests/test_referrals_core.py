"""The referral loop's business rules: consent, statuses, concurrency, audit, erasure."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import audit
from accounts.models import AuditEntry
from referrals import services
from referrals.models import Referral, ReferralEvent
from tests.factories import make_organization, make_service, make_territory, make_user


@pytest.fixture
def world(db):
    territory = make_territory("kyjovsko")
    mas = make_organization("MAS Kyjovsko")
    provider = make_organization("Azylový dům, z.ú.")
    other = make_organization("Jiný poskytovatel")
    service = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=2)
    worker = make_user("worker", organization=mas, role="social_worker")
    receiver = make_user("receiver", organization=provider, role="provider_staff")
    outsider = make_user("outsider", organization=other, role="social_worker")
    return {
        "territory": territory,
        "mas": mas,
        "provider": provider,
        "service": service,
        "worker": worker,
        "receiver": receiver,
        "outsider": outsider,
    }


def _person_with_consent(world, scope=("name", "contact")):
    person = services.record_person(
        actor=world["worker"],
        organization=world["mas"],
        name="Jana Testová",
        birth_year=1980,
        phone="+420 777 000 111",
    )
    services.record_consent(
        actor=world["worker"],
        person=person,
        purpose="referral",
        given_by="self",
        scope=list(scope),
    )
    return person


def test_referral_without_consent_is_refused_with_a_clear_message(world):
    person = services.record_person(actor=world["worker"], organization=world["mas"], name="X")
    with pytest.raises(ValidationError, match="nedala platný souhlas s předáním"):
        services.create_referral(actor=world["worker"], person=person, service=world["service"])
    assert Referral.objects.count() == 0


def test_referral_loop_to_completion_keeps_history(world):
    person = _person_with_consent(world)
    referral = services.create_referral(
        actor=world["worker"], person=person, service=world["service"], note="Potřebuje bydlení"
    )
    assert referral.status == "sent"
    assert referral.respond_by is not None
    referral = services.transition_referral(
        actor=world["receiver"], referral=referral, to="accepted"
    )
    referral = services.transition_referral(
        actor=world["receiver"], referral=referral, to="in_progress"
    )
    referral = services.transition_referral(
        actor=world["receiver"], referral=referral, to="completed", outcome="helped"
    )
    history = list(
        ReferralEvent.objects.filter(referral=referral).values_list("from_status", "to_status")
    )
    assert history == [
        ("", "draft"),
        ("draft", "sent"),
        ("sent", "accepted"),
        ("accepted", "in_progress"),
        ("in_progress", "completed"),
    ]
    assert referral.outcome == "helped"


def test_sender_cannot_accept_and_outsider_cannot_touch(world):
    person = _person_with_consent(world)
    referral = services.create_referral(
        actor=world["worker"], person=person, service=world["service"]
    )
    with pytest.raises(ValidationError, match="nelze změnit"):
        services.transition_referral(actor=world["worker"], referral=referral, to="accepted")
    with pytest.raises(PermissionDenied):
        services.transition_referral(actor=world["outsider"], referral=referral, to="accepted")
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_receiver_sees_only_what_consent_shares(world):
    person = _person_with_consent(world, scope=("name",))
    referral = services.create_referral(
        actor=world["worker"], person=person, service=world["service"]
    )
    assert referral.shared_person() == {"name": "Jana Testová"}


def test_stale_version_is_refused_not_overwritten(world):
    person = _person_with_consent(world)
    referral = services.create_referral(
        actor=world["worker"], person=person, service=world["service"]
    )
    seen = referral.version
    services.transition_referral(
        actor=world["receiver"], referral=referral, to="accepted", expected_version=seen
    )
    with pytest.raises(services.ReferralConflict):
        services.transition_referral(
            actor=world["receiver"],
            referral=referral,
            to="declined",
            reason="no_capacity",
            expected_version=seen,
        )
    assert Referral.objects.get(pk=referral.pk).status == "accepted"


@pytest.mark.django_db(transaction=True)
def test_two_people_changing_at_once_never_lose_an_update():
    from catalog.loading import load_codelists
    from territory.loading import load_municipalities

    load_municipalities()
    load_codelists()
    territory = make_territory("soubeh")
    mas = make_organization("MAS")
    provider = make_organization("Poskytovatel")
    service = make_service(provider, type_code="57")
    worker = make_user("w", organization=mas, role="social_worker")
    receivers = [make_user(f"r{i}", organization=provider, role="provider_staff") for i in range(2)]
    world = {"territory": territory, "mas": mas, "worker": worker}
    person = _person_with_consent(world)
    referral = services.create_referral(actor=worker, person=person, service=service)
    version = referral.version
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(user, to, reason):
        try:
            barrier.wait()
            services.transition_referral(
                actor=user, referral=referral, to=to, expected_version=version, reason=reason
            )
            results.append(to)
        except services.ReferralConflict:
            results.append("conflict")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(receivers[0], "accepted", "")),
        threading.Thread(target=act, args=(receivers[1], "declined", "no_capacity")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    final = Referral.objects.get(pk=referral.pk)
    assert sorted(results).count("conflict") == 1
    winner = next(r for r in results if r != "conflict")
    assert final.status == winner
    assert final.version == version + 1
    assert ReferralEvent.objects.filter(referral=final, from_status="sent").count() == 1


def test_every_change_of_personal_data_is_audited(world):
    before = AuditEntry.objects.count()
    person = _person_with_consent(world)
    services.create_referral(actor=world["worker"], person=person, service=world["service"])
    actions = list(AuditEntry.objects.order_by("at").values_list("action", "object_type"))[before:]
    assert actions == [
        ("create", "referrals.person"),
        ("create", "referrals.consent"),
        ("create", "referrals.referral"),
        ("update", "referrals.referral"),
    ]
    entry = AuditEntry.objects.first()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().update(reason="x")


def _audit_row(entry: AuditEntry) -> tuple:
    entry = AuditEntry.objects.get(pk=entry.pk)  # as stored
    return (
        entry.actor,
        entry.actor_username,
        entry.action,
        entry.object_type,
        entry.object_id,
        entry.object_ids,
        entry.organization_id,
        entry.count,
        entry.reason,
        entry.via,
    )


def test_record_many_writes_the_rows_of_record_in_one_insert(world):
    person = _person_with_consent(world)
    entries = [
        {
            "action": AuditEntry.Action.LIST,
            "object_type": "referrals.referral",
            "object_ids": ["a", "b"],
            "organization_id": world["mas"].pk,
            "count": 2,
        },
        {"action": AuditEntry.Action.READ, "obj": person, "reason": "x" * 600},
    ]
    with CaptureQueriesContext(connection) as queries:
        many = audit.record_many(actor=world["worker"], entries=entries, via="api")
    inserts = [q for q in queries.captured_queries if q["sql"].startswith("INSERT")]
    assert len(inserts) == 1
    one_by_one = [audit.record(actor=world["worker"], via="api", **fields) for fields in entries]
    assert [_audit_row(e) for e in many] == [_audit_row(e) for e in one_by_one]
    assert all(e.at is not None for e in many)
    assert audit.record_many(actor=world["worker"], entries=[]) == []


def test_anonymisation_keeps_counts_and_removes_identity(world):
    person = _person_with_consent(world)
    services.create_referral(actor=world["worker"], person=person, service=world["service"])
    services.add_note(actor=world["worker"], person=person, text="citlivé")
    services.anonymise_person(actor=world["worker"], person=person)
    person.refresh_from_db()
    assert person.name == services.ANONYMISED
    assert person.phone == ""
    assert person.birth_year == 1980
    assert person.notes.count() == 0
    assert Referral.objects.filter(person=person).count() == 1
