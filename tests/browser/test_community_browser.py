"""Community work in a real browser: a community worker records a meeting with a topic whose
status changes, attendance (a registered person and the unregistered count) and a
follow-up action; axe on the meeting page, the topic board, the leaders page and the
attendance sheet."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Attendance, CommunityCentre, FollowUpAction, Meeting, Topic
from referrals import services as referral_services
from tests.browser.conftest import MISSING, REASON, format_violations, run_axe
from tests.factories import TYN_NAD_VLTAVOU, make_organization, make_territory, make_user
from tests.test_events import make_location

if MISSING:
    pytest.skip(REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

PASSWORD = "heslo-pro-testy-1"  # the factories' password


@pytest.fixture
def centre(portal_reference_data, settings):
    settings.SPOJKA_REQUIRE_2FA = False  # community work, not the second factor, is tested
    territory = make_territory("vltavotynsko", (TYN_NAD_VLTAVOU,), name="Vltavotýnsko")
    mas = make_organization("MAS VLTAVA, z.s.")
    location = make_location(mas, municipality=TYN_NAD_VLTAVOU)
    CommunityCentre.objects.create(
        name="Komunitní centrum Vltavotýnska",
        territory=territory,
        organization=mas,
        location=location,
    )
    worker = make_user("komunitni", organization=mas, role="community_worker")
    worker.first_name, worker.last_name = "Alena", "Komunitní"
    worker.save()
    vera = referral_services.record_person(
        actor=worker, organization=mas, name="Věra Nováková", birth_year=1948
    )
    for purpose in ("community", "referral"):
        referral_services.record_consent(
            actor=worker, person=vera, purpose=purpose, given_by="self", scope=["name"]
        )
    topic = services.create_topic(
        actor=worker,
        organization=mas,
        territory=territory,
        title="Doprava seniorů k lékaři",
        description="Z menších obcí nejezdí autobus k lékaři.",
    )
    karel = referral_services.record_person(actor=worker, organization=mas, name="Karel Lídr")
    referral_services.record_consent(
        actor=worker, person=karel, purpose="community", given_by="self", scope=[]
    )
    services.add_leader(
        actor=worker,
        person=karel,
        territory=territory,
        since=date(2024, 3, 1),
        activity_note="vede kavárnu pro seniory",
    )
    return {"territory": territory, "worker": worker, "vera": vera, "topic": topic}


def url(live_server, name: str, **kwargs) -> str:
    return live_server.url + reverse(name, kwargs=kwargs or None)


def assert_accessible(page, axe_source: str, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"axe found on {where}:\n{format_violations(violations)}"
    assert page.errors == [], f"console errors on {where} (CSP?): {page.errors}"
    assert page.get_by_role("heading", level=1).count() == 1, where


def sign_in(page, live_server, username: str) -> None:
    page.goto(url(live_server, "accounts:login") + "?next=" + reverse("community:home"))
    page.get_by_label("Uživatelské jméno").fill(username)
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Přihlásit se").click()
    page.wait_for_url(re.compile(r"/komunita/$"))


def test_worker_records_a_meeting_with_attendance_and_a_follow_up(
    page, live_server, centre, axe_source
):
    sign_in(page, live_server, "komunitni")
    assert_accessible(page, axe_source, "community home")

    # --- a meeting that took place yesterday ----------------------------------------------
    page.get_by_role("link", name="Naplánovat nebo zapsat setkání").click()
    page.wait_for_url(re.compile(r"/komunita/setkani/nove/$"))
    assert_accessible(page, axe_source, "the meeting form")
    yesterday = timezone.localdate() - timedelta(days=1)
    page.get_by_label("Název setkání").fill("Setkání k dopravě seniorů")
    page.get_by_label("proběhlo").check()
    page.get_by_label("Datum").fill(yesterday.isoformat())
    page.get_by_label("Začátek").fill("17:00")
    page.get_by_label("Místo (jiné nebo upřesnění)").fill("velký sál")
    page.get_by_label("Alena Komunitní").check()
    page.get_by_label("Zápis").fill("Lidé z Hosína nemají jak se dostat k lékaři.")
    page.get_by_role("button", name="Uložit setkání").click()
    page.wait_for_url(re.compile(r"/komunita/setkani/[0-9a-f-]{36}/$"))
    meeting = Meeting.objects.get()
    assert (meeting.status, meeting.held_at.date()) == ("held", yesterday)
    assert (
        "Setkání „Setkání k dopravě seniorů“ je uložené." in page.locator(".messages").inner_text()
    )

    # --- the topic of the board goes on the meeting and starts being solved ----------------
    page.get_by_label("Téma z nástěnky").select_option(label="Doprava seniorů k lékaři (otevřené)")
    page.get_by_label("Co k tématu zaznělo").fill("Čtyři lidé nabídli, že budou vozit sousedy.")
    page.get_by_role("button", name="Přidat téma na setkání").click()
    page.wait_for_url(re.compile(r"#temata$"))
    topic_item = page.locator(".topic-item").filter(has_text="Doprava seniorů k lékaři")
    assert "otevřené" in topic_item.locator(".status").inner_text()
    topic_item.locator("summary").click()
    topic_item.get_by_label("řeší se").check()
    topic_item.get_by_label("Poznámka ke změně").fill("Vzniká skupina dobrovolných řidičů.")
    topic_item.get_by_role("button", name="Uložit stav").click()
    page.wait_for_url(re.compile(r"#temata$"))
    topic_item = page.locator(".topic-item").filter(has_text="Doprava seniorů k lékaři")
    assert topic_item.locator(".status").inner_text() == "řeší se"
    assert "Na tomto setkání: otevřené → řeší se" in topic_item.inner_text()
    assert Topic.objects.get().status == "in_progress"

    # --- attendance: a registered person and the unregistered count ------------------------
    page.get_by_label("Registrovaná osoba").select_option(label="Věra Nováková, 1948")
    page.get_by_role("button", name="Zapsat účast").click()
    page.wait_for_url(re.compile(r"#ucastnici$"))
    page.get_by_label("Účastníci bez registrace (počet)").fill("5")
    page.get_by_role("button", name="Uložit počet").click()
    page.wait_for_url(re.compile(r"#ucastnici$"))
    attendance = page.locator("table.attendance")
    assert "Věra Nováková" in attendance.inner_text()
    refer = attendance.get_by_role("link", name="Předat do služby – Věra Nováková")
    assert refer.get_attribute("href") == reverse(
        "referrals:referral_create", kwargs={"pk": centre["vera"].pk}
    )
    facts = page.locator("dl.facts").inner_text()
    assert "6 celkem: 1 registrovaných a 5 bez registrace" in facts
    assert list(Attendance.objects.values_list("person__name", "attended")) == [
        ("Věra Nováková", True)
    ]

    # --- a follow-up action with an owner and a deadline -----------------------------------
    due = timezone.localdate() + timedelta(days=14)
    page.get_by_label("Co se má udělat").fill("Zjistit pojištění dobrovolných řidičů.")
    page.get_by_label("Kdo (z vaší organizace)").select_option(label="Alena Komunitní")
    page.get_by_label("Do kdy").fill(due.isoformat())
    page.get_by_role("button", name="Uložit úkol").click()
    page.wait_for_url(re.compile(r"#ukoly$"))
    row = page.locator("table.follow-ups tbody tr")
    assert row.count() == 1
    assert "Zjistit pojištění dobrovolných řidičů." in row.inner_text()
    assert "Alena Komunitní" in row.inner_text()
    task = FollowUpAction.objects.get()
    assert (task.owner, task.due_on, task.done_at) == (centre["worker"], due, None)
    assert_accessible(page, axe_source, "the meeting page")

    # --- the topic board shows the change --------------------------------------------------
    page.get_by_role("link", name="Témata", exact=True).click()
    page.wait_for_url(re.compile(r"/komunita/temata/$"))
    solving = page.locator(".topic-board__column--in_progress")
    assert "Doprava seniorů k lékaři" in solving.inner_text()
    assert "Doprava seniorů k lékaři" not in page.locator(".topic-board__column--open").inner_text()
    assert_accessible(page, axe_source, "the topic board")
    solving.get_by_role("link", name="Doprava seniorů k lékaři").click()
    page.wait_for_url(re.compile(r"/komunita/temata/[0-9a-f-]{36}/$"))
    history = page.locator("table").first.inner_text()
    assert "otevřené → řeší se" in history
    assert "Vzniká skupina dobrovolných řidičů." in history
    assert_accessible(page, axe_source, "the topic's history")

    # --- leaders ----------------------------------------------------------------------------
    page.get_by_role("link", name="Komunitní lídři", exact=True).click()
    page.wait_for_url(re.compile(r"/komunita/lidri/$"))
    assert "Karel Lídr" in page.locator("table.leaders").first.inner_text()
    assert page.locator("table.leaders-over-time caption").count() == 1
    assert_accessible(page, axe_source, "the leaders page")

    # --- the attendance sheet, printed and recorded back ------------------------------------
    page.goto(url(live_server, "community:meeting_detail", pk=meeting.pk))
    page.get_by_role("link", name="Prezenční listina k tisku").click()
    page.wait_for_url(re.compile(r"/prezencni-listina/$"))
    assert page.get_by_role("button", name="Vytisknout").is_visible()
    sheet = page.locator("table.sheet__table")
    assert sheet.locator("thead th").all_inner_texts() == [
        "Č.",
        "Jméno a příjmení",
        "Obec",
        "Podpis",
    ]
    assert sheet.locator("tbody tr").first.inner_text().split("\t")[:2] == ["1.", "Věra Nováková"]
    assert sheet.locator("tbody tr").count() == 1 + 12
    assert_accessible(page, axe_source, "the attendance sheet")
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.locator(".sheet__toolbar").is_visible()
    assert sheet.is_visible()
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Zapsat účast z podepsané listiny").click()
    page.wait_for_url(re.compile(r"/prezencni-listina/zapsat/$"))
    assert_accessible(page, axe_source, "recording the sheet")
    page.get_by_label("Nový účastník 1: jméno").fill("Jana Nová")
    page.get_by_label("Nový účastník 1: podpisem dal/a souhlas").check()
    page.get_by_label("Účastníci bez registrace (počet)").fill("6")
    page.get_by_role("button", name="Uložit účast").click()
    page.wait_for_url(re.compile(r"#ucastnici$"))
    assert "Jana Nová" in page.locator("table.attendance").inner_text()
    assert "8 celkem: 2 registrovaných a 6 bez registrace" in page.locator("dl.facts").inner_text()
