"""The referral loop in HTML: the resident's request, the worker area, audit and GDPR.

Personas (see `world`): a resident without an account; `worker` (social worker of the
MAS, which takes the territory's requests); `receiver` (staff of the provider that runs
the shelter) and `provider_admin` (its admin); `outsider` (a social worker of an unrelated
organisation); `coordinator` of the territory and `far_coordinator` of another one.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEntry, Membership
from referrals import permissions, services
from referrals.context_processors import inbox as inbox_context
from referrals.models import (
    Consent,
    HelpRequest,
    Notification,
    Person,
    Referral,
    ReferralMessage,
    ReferralSettings,
)
from territory.models import Municipality
from tests.factories import (
    KYJOV,
    TYN_NAD_VLTAVOU,
    make_organization,
    make_service,
    make_territory,
    make_user,
)
from tests.test_meta import assert_page_structure

pytestmark = pytest.mark.django_db

SITUATION = "Mám dluhy, hrozí mi exekuce a vystěhování z bytu."
PHONE = "+420 777 123 456"


@pytest.fixture(autouse=True)
def _no_second_factor_and_fresh_cache(settings):
    settings.SPOJKA_REQUIRE_2FA = False
    cache.clear()  # the rate limit of help requests lives in the cache
    yield
    cache.clear()


@pytest.fixture
def world():
    territory = make_territory(
        "kyjovsko",
        (KYJOV,),
        name="Kyjovsko",
        contact_name="Jana Vzorová",
        contact_phone="+420 518 000 111",
    )
    far = make_territory("tynsko", (TYN_NAD_VLTAVOU,), name="Týnsko")
    mas = make_organization("MAS Kyjovsko")
    provider = make_organization("Azylový dům, z.ú.", phone="+420 518 222 333")
    other = make_organization("Jiná organizace")
    ReferralSettings.objects.create(territory=territory, intake_organization=mas)
    shelter = make_service(provider, type_code="57", name="Azylový dům Kyjov", free_places=2)
    return SimpleNamespace(
        territory=territory,
        far=far,
        mas=mas,
        provider=provider,
        other=other,
        shelter=shelter,
        worker=make_user("worker", organization=mas, role="social_worker"),
        receiver=make_user("receiver", organization=provider, role="provider_staff"),
        provider_admin=make_user("provider_admin", organization=provider, role="provider_admin"),
        outsider=make_user("outsider", organization=other, role="social_worker"),
        coordinator=make_user("coordinator", coordinates=territory),
        far_coordinator=make_user("far_coordinator", coordinates=far),
    )


def login(client, user):
    client.force_login(user)
    return client


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def help_request_data(**changes) -> dict:
    data = {
        "situation": SITUATION,
        "municipality": str(KYJOV),
        "municipality_other": "",
        "name": "Květoslava",
        "contact_method": "phone",
        "contact": PHONE,
        "consent": "on",
        "web_adresa": "",
    }
    data.update(changes)
    return data


def help_request_url(world, service=None) -> str:
    url = reverse("portal:help_request", kwargs={"territory": world.territory.slug})
    return f"{url}?sluzba={service.pk}" if service else url


def sent_url(world) -> str:
    return reverse("portal:help_request_sent", kwargs={"territory": world.territory.slug})


def make_request(world) -> HelpRequest:
    return services.create_help_request(
        territory=world.territory,
        situation=SITUATION,
        name="Jana Testová",
        contact_method="phone",
        contact=PHONE,
    )


def make_person(world, *, scope=("name", "birth_year"), help_request=None) -> Person:
    person = services.record_person(
        actor=world.worker,
        organization=world.mas,
        name="Jana Testová",
        birth_year=1980,
        phone=PHONE,
        email="jana@example.cz",
        help_request=help_request,
    )
    if scope is not None:
        services.record_consent(
            actor=world.worker,
            person=person,
            purpose="referral",
            given_by="self",
            scope=list(scope),
        )
    return person


def make_referral(world, **kw) -> Referral:
    person = make_person(world, **kw)
    return services.create_referral(
        actor=world.worker, person=person, service=world.shelter, note="Potřebuje bydlení."
    )


def audit_entries(**filters) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(**filters).order_by("at"))


# --- the resident's request ------------------------------------------------------------------


def test_help_request_form_has_consent_privacy_link_and_hidden_honeypot(client, world):
    response = client.get(help_request_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert_page_structure(response, "help request form")
    privacy = reverse("portal:privacy", kwargs={"territory": "kyjovsko"})
    assert f'href="{privacy}"' in html
    assert "MAS Kyjovsko" in html  # who receives the request is said up front
    honeypot = re.search(r'<div class="hp-field" aria-hidden="true">(.*?)</div>', html, re.S)
    assert honeypot is not None
    assert 'tabindex="-1"' in honeypot.group(1)
    assert 'name="web_adresa"' in honeypot.group(1)


def test_help_request_lands_in_intake_queue_and_notifies_workers(
    client, world, django_capture_on_commit_callbacks
):
    world.worker.email = "worker@mas.example"
    world.worker.save(update_fields=["email"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(help_request_url(world), help_request_data())
    assert response.status_code == 302
    assert response["Location"] == sent_url(world)
    request = HelpRequest.objects.get()
    assert request.organization == world.mas
    assert request.territory == world.territory
    assert request.situation == SITUATION
    assert request.municipality_id == KYJOV
    assert (request.name, request.contact_method, request.contact) == ("Květoslava", "phone", PHONE)
    assert request.status == "new"
    notifications = Notification.objects.filter(kind="help_request")
    assert [n.user for n in notifications] == [world.worker]
    assert notifications.get().help_request == request
    # The e-mail says only that something happened: nothing of the request travels.
    assert [m.to for m in mail.outbox] == [["worker@mas.example"]]
    assert "Květoslava" not in mail.outbox[0].body
    assert "dluhy" not in mail.outbox[0].body
    assert reverse("referrals:inbox") in mail.outbox[0].body


def test_help_request_confirmation_reveals_nothing(client, world):
    response = client.post(help_request_url(world), help_request_data(), follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [(sent_url(world), 302)]
    assert_page_structure(response, "confirmation")
    for secret in ("Květoslava", "777 123 456", "dluhy", "exekuce"):
        assert secret not in html
    assert "+420 518 000 111" in html  # the territory's contact instead


def test_help_request_for_a_service_goes_to_its_organization(client, world):
    response = client.post(help_request_url(world, world.shelter), help_request_data())
    assert response["Location"] == sent_url(world)
    request = HelpRequest.objects.get()
    assert (request.organization, request.service) == (world.provider, world.shelter)
    # Provider staff do not take requests; the provider's admin does.
    assert [n.user for n in Notification.objects.filter(kind="help_request")] == [
        world.provider_admin
    ]


def test_help_request_with_unknown_service_goes_to_the_intake(client, world):
    url = help_request_url(world) + "?sluzba=neni-to-uuid"
    client.post(url, help_request_data())
    assert HelpRequest.objects.get().organization == world.mas


def test_help_request_typed_municipality_is_kept_in_the_situation(client, world):
    client.post(
        help_request_url(world),
        help_request_data(municipality="", municipality_other="Mouchnice"),
    )
    request = HelpRequest.objects.get()
    assert request.municipality is None
    assert request.situation == f"{SITUATION}\n\nObec: Mouchnice"


def test_help_request_honeypot_thanks_the_bot_and_stores_nothing(client, world):
    response = client.post(
        help_request_url(world), help_request_data(web_adresa="http://spam.example")
    )
    assert response.status_code == 302
    assert response["Location"] == sent_url(world)
    assert HelpRequest.objects.count() == 0
    assert Notification.objects.count() == 0


def test_help_request_rate_limit_refuses_the_sixth_in_an_hour(client, world):
    for _ in range(5):
        assert client.post(help_request_url(world), help_request_data()).status_code == 302
    response = client.post(help_request_url(world), help_request_data())
    assert response.status_code == 429
    assert "za poslední hodinu přijali už několik žádostí" in response.content.decode()
    assert "+420 518 000 111" in response.content.decode()
    assert HelpRequest.objects.count() == 5
    # Another address is not affected, and no address is stored in the cache key.
    other = client.post(help_request_url(world), help_request_data(), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
    assert not any("127.0.0.1" in str(key) for key in getattr(cache, "_cache", {}))


def test_help_request_invalid_form_explains_and_stores_nothing(client, world):
    response = client.post(
        help_request_url(world), help_request_data(consent="", contact="", name="")
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Bez vašeho souhlasu vám nemůžeme odpovědět." in html
    assert "Napište prosím telefonní číslo, na kterém vás zastihneme." in html
    assert "Napište prosím, jak vás máme oslovit." in html
    assert HelpRequest.objects.count() == 0


def test_help_request_e_mail_contact_is_checked(client, world):
    response = client.post(
        help_request_url(world), help_request_data(contact_method="email", contact="jana@")
    )
    assert response.status_code == 400
    assert HelpRequest.objects.count() == 0


def test_help_request_without_intake_shows_territory_contact(client, world):
    ReferralSettings.objects.filter(territory=world.territory).update(intake_organization=None)
    response = client.get(help_request_url(world))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="situation"' not in html
    assert "+420 518 000 111" in html
    assert client.post(help_request_url(world), help_request_data()).status_code == 200
    assert HelpRequest.objects.count() == 0


def test_privacy_notice_and_portal_links(client, world):
    privacy = client.get(reverse("portal:privacy", kwargs={"territory": "kyjovsko"}))
    assert privacy.status_code == 200
    assert_page_structure(privacy, "privacy")
    assert "MAS Kyjovsko" in privacy.content.decode()
    home = client.get(reverse("portal:home", kwargs={"territory": "kyjovsko"}))
    assert f'href="{help_request_url(world)}"' in home.content.decode()
    service = client.get(
        reverse("portal:service", kwargs={"territory": "kyjovsko", "pk": world.shelter.pk})
    )
    assert f'href="{help_request_url(world, world.shelter)}"' in service.content.decode()


# --- intake queue ------------------------------------------------------------------------------


def test_intake_queue_lists_requests_and_audits_the_list(client, world):
    request = make_request(world)
    response = login(client, world.worker).get(reverse("referrals:help_request_list"))
    assert response.status_code == 200
    assert_page_structure(response, "queue")
    assert "Jana Testová" in response.content.decode()
    entry = AuditEntry.objects.get(action="list", object_type="referrals.helprequest")
    assert (entry.actor, entry.object_ids, entry.organization_id) == (
        world.worker,
        [str(request.pk)],
        world.mas.pk,
    )


def test_help_request_detail_is_read_audited_and_take_and_close_work(client, world):
    request = make_request(world)
    login(client, world.worker)
    url = reverse("referrals:help_request_detail", kwargs={"pk": request.pk})
    response = client.get(url)
    assert response.status_code == 200
    assert_page_structure(response, "request detail")
    assert SITUATION in response.content.decode()
    assert [(e.action, e.object_id) for e in audit_entries(actor=world.worker)] == [
        ("read", str(request.pk))
    ]
    assert Notification.objects.get(user=world.worker).read_at is not None
    client.post(reverse("referrals:help_request_take", kwargs={"pk": request.pk}))
    request.refresh_from_db()
    assert (request.status, request.assigned_to) == ("in_progress", world.worker)
    client.post(reverse("referrals:help_request_close", kwargs={"pk": request.pk}))
    request.refresh_from_db()
    assert request.status == "closed"


def test_provider_staff_have_no_intake_queue(client, world):
    response = login(client, world.receiver).get(reverse("referrals:help_request_list"))
    assert response.status_code == 403


# --- persons and consent -----------------------------------------------------------------------


def test_worker_records_person_from_request_prefilled(client, world):
    request = make_request(world)
    login(client, world.worker)
    url = reverse("referrals:person_create") + f"?zadost={request.pk}"
    response = client.get(url)
    assert response.status_code == 200
    assert_page_structure(response, "person form")
    form = response.context["form"]
    assert form["name"].value() == "Jana Testová"
    assert form["phone"].value() == PHONE
    assert audit_entries(actor=world.worker, action="read")[0].object_id == str(request.pk)
    response = client.post(
        reverse("referrals:person_create"),
        {
            "zadost": str(request.pk),
            "organization": str(world.mas.pk),
            "name": "Jana Testová",
            "birth_year": "1980",
            "municipality": str(KYJOV),
            "phone": PHONE,
            "email": "",
        },
    )
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:consent_create", kwargs={"pk": person.pk})
    assert (person.organization, person.birth_year, person.municipality_id) == (
        world.mas,
        1980,
        KYJOV,
    )
    request.refresh_from_db()
    assert (request.person, request.status) == (person, "in_progress")


def test_person_form_rejects_impossible_birth_year(client, world):
    login(client, world.worker)
    response = client.post(
        reverse("referrals:person_create"),
        {"organization": str(world.mas.pk), "name": "X", "birth_year": "1700"},
    )
    assert response.status_code == 400
    assert Person.objects.count() == 0


def test_provider_staff_cannot_record_persons(client, world):
    response = login(client, world.receiver).get(reverse("referrals:person_create"))
    assert response.status_code == 403


def test_consent_form_records_scope_and_receipt_is_plain_czech(client, world):
    person = make_person(world, scope=None)
    login(client, world.worker)
    response = client.get(reverse("referrals:consent_create", kwargs={"pk": person.pk}))
    assert response.status_code == 200
    assert_page_structure(response, "consent form")
    response = client.post(
        reverse("referrals:consent_create", kwargs={"pk": person.pk}),
        {
            "purpose": "referral",
            "scope": ["name", "situation"],
            "legal_basis": "consent",
            "given_by": "verbal_witnessed",
            "witness": "Petr Svědek, sociální pracovník",
            "expires_on": "2099-12-31",
        },
    )
    consent = Consent.objects.get(person=person)
    assert response.status_code == 302
    receipt_url = reverse(
        "referrals:consent_receipt", kwargs={"pk": person.pk, "consent": consent.pk}
    )
    assert response["Location"] == receipt_url
    assert consent.scope == ["name", "situation"]
    assert consent.witness == "Petr Svědek, sociální pracovník"
    # Valid through 31 December 2099, local time.
    assert consent.expires_at == datetime(2100, 1, 1, tzinfo=ZoneInfo("Europe/Prague"))
    receipt = client.get(receipt_url)
    html = receipt.content.decode()
    assert receipt.status_code == 200
    assert_page_structure(receipt, "receipt")
    assert "Potvrzení o vašem souhlasu" in html
    assert "jméno nebo pseudonym, popis situace z žádosti o pomoc" in html
    assert "Jak souhlas odvolat" in html
    assert AuditEntry.objects.filter(
        action="read", object_type="referrals.consent", object_id=str(consent.pk)
    ).exists()


def test_verbal_consent_without_witness_is_refused(client, world):
    person = make_person(world, scope=None)
    response = login(client, world.worker).post(
        reverse("referrals:consent_create", kwargs={"pk": person.pk}),
        {"purpose": "referral", "legal_basis": "consent", "given_by": "verbal_witnessed"},
    )
    assert response.status_code == 400
    assert "U ústního souhlasu uveďte svědka." in response.content.decode()
    assert person.consents.count() == 0


def test_person_list_is_audited_and_search_is_a_post_without_diacritics(client, world):
    person = make_person(world)
    services.record_person(actor=world.worker, organization=world.mas, name="Karel Novák")
    login(client, world.worker)
    response = client.get(reverse("referrals:person_list"))
    assert response.status_code == 200
    assert_page_structure(response, "persons")
    listed = AuditEntry.objects.get(action="list", object_type="referrals.person")
    assert listed.count == 2
    response = client.post(reverse("referrals:person_list"), {"q": "testova"})
    assert response.status_code == 200
    assert [p.name for p in response.context["persons"]] == ["Jana Testová"]
    searched = AuditEntry.objects.filter(action="list", object_type="referrals.person").first()
    assert searched.object_ids == [str(person.pk)]


def test_person_search_by_get_is_not_a_search(client, world):
    make_person(world)
    response = login(client, world.worker).get(reverse("referrals:person_list") + "?q=Jana")
    assert response.context["found_total"] is None


def _queries(client, url) -> int:
    client.get(url)  # warm up (session, content types)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return len(queries)


@pytest.mark.parametrize(
    "url",
    ["referrals:person_list", "referrals:help_request_list", "referrals:inbox"],
)
def test_list_query_count_does_not_grow_with_rows(client, world, url):
    login(client, world.worker)
    counts = []
    for batch in (1, 2):  # 1 row, then 3
        for _ in range(batch):
            request = make_request(world)
            person = make_person(world, help_request=request)
            services.create_referral(actor=world.worker, person=person, service=world.shelter)
        counts.append(_queries(client, reverse(url)))
    assert counts[0] == counts[1]


def test_person_detail_is_read_audited_and_shows_consents_and_notes(client, world):
    person = make_person(world)
    services.add_note(actor=world.worker, person=person, text="Důvěrná věc.")
    login(client, world.worker)
    before = AuditEntry.objects.count()
    response = client.get(reverse("referrals:person_detail", kwargs={"pk": person.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert_page_structure(response, "person")
    assert "no-store" in response["Cache-Control"]  # personal data stays out of caches
    assert "Důvěrná věc." in html
    assert "předání do jiné služby" in html
    read = AuditEntry.objects.order_by("at")[before:]
    assert [(e.action, e.object_type, e.object_id) for e in read] == [
        ("read", "referrals.person", str(person.pk))
    ]


def test_note_and_correction_forms(client, world):
    person = make_person(world)
    login(client, world.worker)
    client.post(reverse("referrals:note_add", kwargs={"pk": person.pk}), {"text": "Volat ráno."})
    assert list(person.notes.values_list("text", flat=True)) == ["Volat ráno."]
    edit = reverse("referrals:person_edit", kwargs={"pk": person.pk})
    assert client.get(edit).status_code == 200
    response = client.post(
        edit,
        {"name": "Jana Nová", "birth_year": "1981", "phone": PHONE, "email": "jana@example.cz"},
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.birth_year) == ("Jana Nová", 1981)
    assert AuditEntry.objects.filter(
        action="update", object_type="referrals.person", object_id=str(person.pk)
    ).exists()


def test_export_is_a_json_download_with_the_persons_data_and_audited(client, world):
    referral = make_referral(world)
    person = referral.person
    response = login(client, world.worker).get(
        reverse("referrals:person_export", kwargs={"pk": person.pk})
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="osoba-{person.pk}.json"'
    data = json.loads(response.content)
    assert data["person"]["name"] == "Jana Testová"
    assert data["person"]["phone"] == PHONE
    assert [c["purpose"] for c in data["consents"]] == ["předání do jiné služby"]
    assert [r["service"] for r in data["referrals"]] == ["Azylový dům Kyjov"]
    assert (
        AuditEntry.objects.filter(
            action="export", object_type="referrals.person", object_id=str(person.pk)
        ).count()
        == 1
    )


def test_anonymise_asks_first_then_erases(client, world):
    referral = make_referral(world)
    person = referral.person
    login(client, world.worker)
    url = reverse("referrals:person_anonymise", kwargs={"pk": person.pk})
    confirm = client.get(url)
    assert confirm.status_code == 200
    assert_page_structure(confirm, "anonymise")
    person.refresh_from_db()
    assert person.anonymised_at is None
    response = client.post(url)
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.name, person.phone, person.email) == (services.ANONYMISED, "", "")
    assert Referral.objects.filter(person=person).count() == 1
    assert AuditEntry.objects.filter(action="delete", object_id=str(person.pk)).count() == 1


def test_withdrawn_consent_hides_the_person_from_the_receiver(client, world):
    referral = make_referral(world, scope=("name", "contact"))
    consent = referral.consent
    login(client, world.worker).post(
        reverse(
            "referrals:consent_withdraw",
            kwargs={"pk": referral.person.pk, "consent": consent.pk},
        )
    )
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    response = login(client, world.receiver).get(
        reverse("referrals:referral_detail", kwargs={"pk": referral.pk})
    )
    assert "Jana Testová" not in response.content.decode()


# --- referrals ---------------------------------------------------------------------------------


def test_referral_create_without_consent_explains_and_links_to_the_form(client, world):
    person = make_person(world, scope=None)
    login(client, world.worker)
    url = reverse("referrals:referral_create", kwargs={"pk": person.pk})
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert_page_structure(response, "refer")
    assert "nedala platný souhlas s předáním" in html
    assert reverse("referrals:consent_create", kwargs={"pk": person.pk}) in html
    response = client.post(url, {"krok": "predat", "service": str(world.shelter.pk)})
    assert response.status_code == 400
    assert "nedala platný souhlas s předáním do služby Azylový dům Kyjov" in (
        response.content.decode()
    )
    assert Referral.objects.count() == 0


def test_referral_suggestions_match_the_situation_with_free_places_first(client, world):
    full = make_service(world.provider, type_code="37", name="Dluhová poradna Plná", free_places=0)
    free = make_service(world.provider, type_code="37", name="Dluhová poradna Volná", free_places=3)
    request = make_request(world)
    person = make_person(world, help_request=request)
    response = login(client, world.worker).get(
        reverse("referrals:referral_create", kwargs={"pk": person.pk})
    )
    names = [hit.service.name for hit in response.context["hits"]]
    assert names.index(free.name) < names.index(full.name)
    html = response.content.decode()
    assert "3 volná místa" in html
    # The search itself never leaves the page: no query string, no name in any URL.
    assert "?q=" not in html


def test_worker_refers_and_receiver_sees_only_shared_fields(client, world):
    person = make_person(world, scope=("name", "birth_year"))
    login(client, world.worker)
    response = client.post(
        reverse("referrals:referral_create", kwargs={"pk": person.pk}),
        {"krok": "predat", "service": str(world.shelter.pk), "note": "Potřebuje bydlení."},
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referrals:referral_detail", kwargs={"pk": referral.pk})
    assert (referral.status, referral.note) == ("sent", "Potřebuje bydlení.")
    sender_view = client.get(response["Location"]).content.decode()
    assert "777 123 456" in sender_view  # the sender sees the whole person
    response = login(client, world.receiver).get(response["Location"])
    html = response.content.decode()
    assert response.status_code == 200
    assert_page_structure(response, "referral")
    assert [(str(label), value) for label, value in response.context["shared"]] == [
        ("Jméno", "Jana Testová"),
        ("Rok narození", 1980),
    ]
    assert "777 123 456" not in html
    assert "jana@example.cz" not in html
    assert "Potřebuje bydlení." in html
    assert AuditEntry.objects.filter(
        actor=world.receiver,
        action="read",
        object_type="referrals.referral",
        object_id=str(referral.pk),
        organization_id=world.mas.pk,
    ).exists()


def test_receiver_never_sees_confidential_notes(client, world):
    referral = make_referral(world, scope=Consent.SHAREABLE)
    services.add_note(actor=world.worker, person=referral.person, text="Jen pro nás.")
    response = login(client, world.receiver).get(
        reverse("referrals:referral_detail", kwargs={"pk": referral.pk})
    )
    assert "Jen pro nás." not in response.content.decode()
    assert "777 123 456" in response.content.decode()  # contact is in this scope


def transition(client, referral, to, version, **extra):
    return client.post(
        reverse("referrals:referral_transition", kwargs={"pk": referral.pk}),
        {"to": to, "version": str(version), **extra},
    )


def test_transitions_by_post_and_stale_version_shows_a_conflict(client, world):
    referral = make_referral(world)
    seen = referral.version
    login(client, world.receiver)
    response = transition(client, referral, "accepted", seen)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "accepted"
    # A colleague's page still shows the old version and offers "decline".
    response = transition(client, referral, "declined", seen, reason="no_capacity")
    html = response.content.decode()
    assert response.status_code == 409
    assert "Předání mezitím změnil někdo jiný" in html
    assert f'name="version" value="{referral.version}"' in html
    referral.refresh_from_db()
    assert referral.status == "accepted"
    for to, extra in (("in_progress", {}), ("completed", {"outcome": "helped"})):
        assert transition(client, referral, to, referral.version, **extra).status_code == 302
        referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "helped")
    history = list(referral.events.values_list("to_status", "actor__username"))
    assert history[-3:] == [
        ("accepted", "receiver"),
        ("in_progress", "receiver"),
        ("completed", "receiver"),
    ]


def test_decline_needs_a_reason_and_sender_cannot_accept(client, world):
    referral = make_referral(world)
    response = transition(login(client, world.receiver), referral, "declined", referral.version)
    assert response.status_code == 400
    assert "Vyberte důvod odmítnutí ze seznamu." in response.content.decode()
    response = transition(login(client, world.worker), referral, "accepted", referral.version)
    assert response.status_code == 400
    referral.refresh_from_db()
    assert referral.status == "sent"
    detail = client.get(reverse("referrals:referral_detail", kwargs={"pk": referral.pk}))
    assert [t["to"] for t in detail.context["transitions"]] == ["cancelled"]


def test_messages_between_organisations(client, world):
    referral = make_referral(world)
    login(client, world.receiver)
    url = reverse("referrals:referral_message", kwargs={"pk": referral.pk})
    response = client.post(url, {"text": "Máme volno ve čtvrtek."})
    assert response.status_code == 302
    assert response["Location"].endswith("#zpravy")
    message = ReferralMessage.objects.get()
    assert (message.organization, message.author) == (world.provider, world.receiver)
    assert Notification.objects.filter(user=world.worker, kind="message").count() == 1
    sender_view = login(client, world.worker).get(
        reverse("referrals:referral_detail", kwargs={"pk": referral.pk})
    )
    assert "Máme volno ve čtvrtek." in sender_view.content.decode()
    assert client.post(url, {"text": "  "}).status_code == 400


def test_inbox_counts_and_mark_read(client, world):
    referral = make_referral(world)
    login(client, world.receiver)
    response = client.get(reverse("referrals:inbox"))
    assert response.status_code == 200
    assert_page_structure(response, "inbox")
    assert response.context["inbox_unread"] == 1
    assert [(c, str(label), n) for c, label, n in response.context["received_counts"]] == [
        ("sent", "odeslané", 1)
    ]
    assert [row["referral"] for row in response.context["received_rows"]] == [referral]
    assert AuditEntry.objects.filter(
        actor=world.receiver, action="list", object_type="referrals.referral"
    ).exists()
    notification = Notification.objects.get(user=world.receiver)
    client.post(reverse("referrals:notification_read", kwargs={"pk": notification.pk}))
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert client.get(reverse("referrals:inbox")).context["inbox_unread"] == 0


def test_inbox_count_in_the_header_and_context_processor(client, world, rf):
    make_referral(world)
    request = rf.get("/")
    request.user = world.receiver
    assert inbox_context(request) == {"inbox_unread": 1}
    response = login(client, world.receiver).get(reverse("referrals:referral_list"))
    assert "(1 nepřečtené oznámení)" in response.content.decode()


def _refer_from(world, actor, organization, *, name: str, scope: list[str]) -> Referral:
    """A referral to the shelter from `organization`, of a person in Kyjov (with the help
    request that brought them, when the organisation takes the territory's requests)."""
    request = make_request(world) if organization == world.mas else None
    person = services.record_person(
        actor=actor,
        organization=organization,
        name=name,
        birth_year=1980,
        municipality=Municipality.objects.get(code=KYJOV),
        help_request=request,
    )
    services.record_consent(
        actor=actor, person=person, purpose="referral", given_by="self", scope=scope
    )
    return services.create_referral(actor=actor, person=person, service=world.shelter)


def _list_entry(e: AuditEntry) -> tuple:
    return (
        e.actor,
        e.actor_username,
        e.object_type,
        tuple(e.object_ids),
        e.count,
        e.organization_id,
    )


def test_inbox_audits_each_owner_of_the_listed_referrals_in_one_insert(client, world):
    ours = _refer_from(world, world.worker, world.mas, name="Jana Testová", scope=["name"])
    theirs = _refer_from(world, world.outsider, world.other, name="Karel Novák", scope=[])
    login(client, world.receiver)
    client.get(reverse("referrals:inbox"))  # warm up (session, content types)
    before = set(AuditEntry.objects.values_list("id", flat=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("referrals:inbox"))
    html = response.content.decode()
    assert "Jana Testová" in html and "Karel Novák" not in html  # shared by consent only
    entries = AuditEntry.objects.exclude(id__in=before)
    # One entry per owning organisation of the listed referrals, as when written one by one.
    assert {_list_entry(e) for e in entries} == {
        (world.receiver, "receiver", "referrals.referral", (str(r.pk),), 1, r.from_organization_id)
        for r in (ours, theirs)
    }
    assert {(e.action, e.via) for e in entries} == {("list", "web")}
    inserts = [
        q for q in queries.captured_queries if 'INSERT INTO "accounts_auditentry"' in q["sql"]
    ]
    assert len(inserts) == 1


@pytest.mark.parametrize("url", ["referrals:inbox", "referrals:referral_list"])
def test_receiver_list_query_count_does_not_grow_with_shared_rows(client, world, url):
    """The receiver's rows name the person through the consent (`shared_person`, which
    also reads the obec and the situation): no query per row or per notification."""
    login(client, world.receiver)
    counts = []
    referrals = []
    for batch in (1, 2):  # 1 row, then 3
        for _ in range(batch):
            referrals.append(
                _refer_from(
                    world,
                    world.worker,
                    world.mas,
                    name="Jana Testová",
                    scope=["name", "municipality", "situation"],
                )
            )
        counts.append(_queries(client, reverse(url)))
    assert counts[0] == counts[1]
    response = client.get(reverse(url))
    rows = response.context["received_rows" if url == "referrals:inbox" else "rows"]
    assert [row["name"] for row in rows] == ["Jana Testová"] * 3
    assert {row["url"] for row in rows} == {
        reverse("referrals:referral_detail", kwargs={"pk": r.pk}) for r in referrals
    }
    html = response.content.decode()
    for notification in response.context.get("notifications", []):
        read = reverse("referrals:notification_read", kwargs={"pk": notification.pk})
        assert f'action="{read}"' in html


def test_memberships_are_read_once_per_request_and_forgotten_after_it(world):
    referral = make_referral(world)
    person = Person.objects.get(pk=referral.person_id)
    user = world.worker
    with permissions.remembered_roles(user):
        with CaptureQueriesContext(connection) as queries:
            assert permissions.is_sender(user, referral)
            assert not permissions.is_receiver(user, referral)
            assert permissions.can_refer(user, person)
            assert permissions.roles_in(user, str(world.mas.pk)) == {"social_worker"}
            assert list(Referral.objects.sent_by(user)) == [referral]
        # Only the list of referrals asked the database, with the ids in it.
        assert len(queries) == 1
        assert "accounts_membership" not in queries.captured_queries[0]["sql"]
    Membership.objects.filter(user=user).delete()
    assert not permissions.is_sender(user, referral)
    assert list(Referral.objects.sent_by(user)) == []


def test_referral_list_filters_by_status(client, world):
    referral = make_referral(world)
    login(client, world.worker)
    response = client.get(reverse("referrals:referral_list") + "?smer=odeslane&stav=sent")
    assert response.status_code == 200
    assert_page_structure(response, "referral list")
    assert [row["referral"] for row in response.context["rows"]] == [referral]
    response = client.get(reverse("referrals:referral_list") + "?smer=odeslane&stav=declined")
    assert response.context["rows"] == []


# --- access --------------------------------------------------------------------------------------


def test_outsider_gets_404_on_every_personal_record(client, world):
    request = make_request(world)
    referral = make_referral(world)
    person = referral.person
    consent = referral.consent
    login(client, world.outsider)
    urls = [
        reverse("referrals:person_detail", kwargs={"pk": person.pk}),
        reverse("referrals:person_edit", kwargs={"pk": person.pk}),
        reverse("referrals:person_export", kwargs={"pk": person.pk}),
        reverse("referrals:person_anonymise", kwargs={"pk": person.pk}),
        reverse("referrals:consent_create", kwargs={"pk": person.pk}),
        reverse("referrals:consent_receipt", kwargs={"pk": person.pk, "consent": consent.pk}),
        reverse("referrals:referral_create", kwargs={"pk": person.pk}),
        reverse("referrals:referral_detail", kwargs={"pk": referral.pk}),
        reverse("referrals:help_request_detail", kwargs={"pk": request.pk}),
        reverse("referrals:person_create") + f"?zadost={request.pk}",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("referrals:referral_transition", kwargs={"pk": referral.pk}),
        reverse("referrals:referral_message", kwargs={"pk": referral.pk}),
        reverse("referrals:help_request_take", kwargs={"pk": request.pk}),
        reverse("referrals:note_add", kwargs={"pk": person.pk}),
        reverse("referrals:person_anonymise", kwargs={"pk": person.pk}),
    ]
    for url in posts:
        assert client.post(url, {"to": "accepted", "version": "1", "text": "x"}).status_code == 404
    assert Referral.objects.get().status == "sent"
    assert not AuditEntry.objects.filter(actor=world.outsider).exists()


def test_receiver_cannot_open_the_person_card(client, world):
    referral = make_referral(world)
    response = login(client, world.receiver).get(
        reverse("referrals:person_detail", kwargs={"pk": referral.person.pk})
    )
    assert response.status_code == 404


def test_anonymous_is_sent_to_log_in(client, world):
    response = client.get(reverse("referrals:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_account_without_role_gets_403_in_the_worker_area(client, world):
    nobody = make_user("nobody")
    login(client, nobody)
    assert client.get(reverse("referrals:inbox")).status_code == 200
    assert client.get(reverse("referrals:person_list")).status_code == 403
    assert client.get(reverse("referrals:audit")).status_code == 403


# --- coordinator's audit search ------------------------------------------------------------------


def test_coordinator_searches_the_audit_of_the_territorys_organisations(client, world):
    referral = make_referral(world)
    login(client, world.worker).get(
        reverse("referrals:person_detail", kwargs={"pk": referral.person.pk})
    )
    AuditEntry.objects.create(action="read", object_type="referrals.person", organization_id=None)
    login(client, world.coordinator)
    response = client.get(reverse("referrals:audit") + "?akce=read&uzivatel=worker")
    assert response.status_code == 200
    assert_page_structure(response, "audit")
    entries = list(response.context["page"].object_list)
    assert [(e.action, e.object_id) for e in entries] == [("read", str(referral.person.pk))]
    everything = client.get(reverse("referrals:audit")).context["page"].paginator.count
    assert everything == AuditEntry.objects.exclude(organization_id=None).count()
    far = login(client, world.far_coordinator).get(reverse("referrals:audit"))
    assert far.context["page"].paginator.count == 0


def test_audit_csv_export_is_filtered_and_itself_audited(client, world):
    make_referral(world)
    login(client, world.coordinator)
    response = client.get(reverse("referrals:audit_export") + "?akce=create")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["at", "actor", "action"]
    assert {row[2] for row in rows[1:]} == {"create"}
    assert {row[3] for row in rows[1:]} == {
        "referrals.person",
        "referrals.consent",
        "referrals.referral",
    }
    export = AuditEntry.objects.get(action="export", object_type="accounts.auditentry")
    assert (export.actor, export.count) == (world.coordinator, len(rows) - 1)


def test_workers_cannot_search_the_audit(client, world):
    response = login(client, world.worker).get(reverse("referrals:audit"))
    assert response.status_code == 403
    assert client.get(reverse("referrals:audit_export")).status_code == 403


# --- languages -----------------------------------------------------------------------------------


def test_worker_area_in_english_and_czech_plurals(client, world, settings):
    for _ in range(2):
        make_request(world)
    login(client, world.worker)
    response = client.get(reverse("referrals:inbox"))
    assert "Ve frontě čekají 2 nové žádosti o pomoc." in response.content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("referrals:inbox"))
    html = response.content.decode()
    assert "<h1>Inbox</h1>" in html
    assert "2 new help requests are waiting in the queue." in html
    form = client.get(help_request_url(world)).content.decode()
    assert "What do you need help with?" in form


def test_coordinator_is_told_of_an_escalation_without_seeing_the_referral(client, world):
    person = make_person(world)
    referral = services.create_referral(
        actor=world.worker, person=person, service=world.shelter, territory=world.territory
    )
    services.process_deadlines(now=referral.respond_by + timedelta(hours=1))
    response = login(client, world.coordinator).get(reverse("referrals:inbox"))
    html = response.content.decode()
    [notification] = response.context["notifications"]
    assert (notification.kind, notification.url) == ("escalation", "")
    assert "Azylový dům, z.ú." in html
    assert reverse("referrals:referral_detail", kwargs={"pk": referral.pk}) not in html
    assert "Jana" not in html
    # The provider, who may open the referral, gets a working link.
    provider_inbox = login(client, world.receiver).get(reverse("referrals:inbox"))
    links = {n.url for n in provider_inbox.context["notifications"]}
    assert links == {reverse("referrals:referral_detail", kwargs={"pk": referral.pk})}
