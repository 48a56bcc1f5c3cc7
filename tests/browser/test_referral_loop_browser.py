"""The whole referral loop in a real browser, with axe on the pages people work on.

A resident asks for help on the portal → the MAS worker signs in, records the person from
the request with consent → refers them to the shelter → the shelter's worker signs in,
accepts and completes the referral.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from referrals.models import HelpRequest, Person, Referral, ReferralSettings
from tests.browser.conftest import MISSING, REASON, format_violations, run_axe
from tests.factories import KYJOV, make_organization, make_service, make_territory, make_user

if MISSING:
    pytest.skip(REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

PASSWORD = "heslo-pro-testy-1"  # the factories' password
SITUATION = "Bydlím s dětmi u známých a musíme do týdne odejít. Nemáme kam jít."


@pytest.fixture
def loop(portal_reference_data, settings):
    settings.SPOJKA_REQUIRE_2FA = False  # the loop, not the second factor, is tested here
    territory = make_territory(
        "kyjovsko",
        (KYJOV,),
        name="Kyjovsko",
        contact_name="Jana Vzorová",
        contact_phone="+420 518 000 111",
    )
    mas = make_organization("MAS Kyjovsko")
    shelter_org = make_organization("Azylový dům Kyjov, z.ú.")
    ReferralSettings.objects.create(territory=territory, intake_organization=mas)
    shelter = make_service(
        shelter_org,
        type_code="57",
        name="Azylový dům pro matky s dětmi",
        description="Ubytování a podpora pro matky s dětmi bez domova.",
        free_places=1,
    )
    make_user("pracovnice", organization=mas, role="social_worker")
    make_user("azyl", organization=shelter_org, role="provider_staff")
    return {"territory": territory, "shelter": shelter}


def url(live_server, name: str, **kwargs) -> str:
    return live_server.url + reverse(name, kwargs=kwargs or None)


def assert_accessible(page, axe_source: str, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"axe found on {where}:\n{format_violations(violations)}"
    assert page.errors == [], f"console errors on {where} (CSP?): {page.errors}"


def sign_in(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(url(live_server, "accounts:login") + "?next=" + reverse("referrals:inbox"))
    page.get_by_label("Uživatelské jméno").fill(username)
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Přihlásit se").click()
    page.wait_for_url(re.compile(r"/prace/$"))


def test_resident_asks_worker_refers_provider_accepts_and_completes(
    page, live_server, loop, axe_source
):
    # --- the resident, without an account --------------------------------------------------
    page.goto(url(live_server, "portal:home", territory="kyjovsko"))
    page.get_by_role("link", name="Požádat o pomoc").first.click()
    page.wait_for_url(re.compile(r"/kyjovsko/pozadat-o-pomoc/$"))
    assert_accessible(page, axe_source, "the help-request form")

    page.get_by_label("S čím potřebujete pomoci?").fill(SITUATION)
    page.get_by_label("Vaše obec").select_option(str(KYJOV))
    page.get_by_label("Jméno nebo přezdívka").fill("Lenka")
    page.get_by_label("telefonem").check()
    page.get_by_label("Telefon, e-mail nebo kde vás zastihneme").fill("777 123 456")
    page.get_by_label(re.compile("^Souhlasím, aby organizace MAS Kyjovsko")).check()
    page.get_by_role("button", name="Odeslat žádost").click()

    page.wait_for_url(re.compile(r"/kyjovsko/pozadat-o-pomoc/odeslano/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Děkujeme, žádost je odeslaná"
    assert "Lenka" not in page.content()
    request = HelpRequest.objects.get()
    assert request.situation == SITUATION

    # --- the MAS worker records the person with consent and refers ---------------------------
    sign_in(page, live_server, "pracovnice")
    assert_accessible(page, axe_source, "the inbox")
    page.get_by_role("link", name=re.compile("Nová žádost o pomoc")).click()
    page.wait_for_url(re.compile(rf"/prace/zadosti/{request.pk}/$"))
    assert SITUATION in page.locator("blockquote").inner_text()
    page.get_by_role("link", name="Zaznamenat osobu z žádosti").click()

    assert page.get_by_label("Jméno nebo pseudonym").input_value() == "Lenka"
    assert page.get_by_label("Telefon").input_value() == "777 123 456"
    page.get_by_label("Rok narození").fill("1991")
    page.get_by_role("button", name="Zaznamenat osobu").click()

    page.wait_for_url(re.compile(r"/prace/osoby/[0-9a-f-]+/souhlas/$"))
    page.get_by_label("sám/sama").check()
    page.get_by_role("button", name="Zaznamenat souhlas").click()

    page.wait_for_url(re.compile(r"/souhlas/[0-9a-f-]+/potvrzeni/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Potvrzení o vašem souhlasu"
    person = Person.objects.get()
    page.goto(url(live_server, "referrals:person_detail", pk=person.pk))
    assert_accessible(page, axe_source, "the person page")
    page.get_by_role("link", name="Předat do služby").click()

    page.wait_for_url(re.compile(r"/predat/$"))
    page.get_by_label(re.compile("Azylový dům pro matky s dětmi")).check()
    page.get_by_label("Zpráva pro přijímající službu").fill("Potřebují ubytování od pondělí.")
    page.get_by_role("button", name="Předat do vybrané služby").click()

    page.wait_for_url(re.compile(r"/prace/predani/[0-9a-f-]+/$"))
    referral = Referral.objects.get()
    assert referral.status == "sent"
    assert "odeslané" in page.locator(".lead").inner_text()
    assert_accessible(page, axe_source, "the referral page (sender)")

    # --- the shelter accepts and completes ------------------------------------------------
    sign_in(page, live_server, "azyl")
    page.get_by_role("link", name=re.compile("Nové předání")).first.click()
    page.wait_for_url(re.compile(rf"/prace/predani/{referral.pk}/$"))
    shared = page.locator("section[aria-labelledby=person-heading]").inner_text()
    assert "Lenka" in shared
    assert "777 123 456" in shared  # the default scope shares the contact
    assert_accessible(page, axe_source, "the referral page (receiver)")

    page.get_by_role("button", name="Přijmout").click()
    page.wait_for_load_state()
    assert "přijaté" in page.locator(".lead").inner_text()
    page.get_by_role("button", name="Zahájit spolupráci").click()
    page.wait_for_load_state()
    assert "probíhá" in page.locator(".lead").inner_text()
    page.get_by_label("Výsledek").select_option("helped")
    page.get_by_role("button", name="Dokončit").click()
    page.wait_for_load_state()
    assert "dokončené" in page.locator(".lead").inner_text()

    referral.refresh_from_db()
    assert (referral.status, referral.outcome) == ("completed", "helped")
    assert list(referral.events.values_list("to_status", flat=True)) == [
        "draft",
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert page.errors == []


def test_help_request_form_works_without_javascript(browser, live_server, loop):
    context = browser.new_context(locale="cs-CZ", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(
            url(live_server, "portal:help_request", territory="kyjovsko")
            + f"?sluzba={loop['shelter'].pk}"
        )
        page.get_by_label("S čím potřebujete pomoci?").fill(SITUATION)
        page.get_by_label("Jméno nebo přezdívka").fill("Lenka")
        page.get_by_label("osobně").check()
        page.get_by_label(re.compile("^Souhlasím")).check()
        page.get_by_role("button", name="Odeslat žádost").click()
        page.wait_for_url(re.compile(r"/odeslano/$"))
        request = HelpRequest.objects.get()
        assert (request.service, request.contact_method) == (loop["shelter"], "visit")
    finally:
        context.close()
