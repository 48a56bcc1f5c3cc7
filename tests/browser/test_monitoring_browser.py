"""Project monitoring in a real browser: the dashboard with its SVG charts, an indicator
with manual values, the periods, participant cards and the printable ZoR annex, each
checked with axe (WCAG 2.2 AA) and for CSP violations; a period is locked by the button."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse

from monitoring import services
from monitoring.models import Indicator, KeyActivity, Project, ProjectPartner, ReportingPeriod
from referrals import services as referral_services
from tests.browser.conftest import MISSING, REASON, format_violations, run_axe
from tests.factories import KYJOV, make_organization, make_territory, make_user

if MISSING:
    pytest.skip(REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

PASSWORD = "heslo-pro-testy-1"  # the factories' password


@pytest.fixture
def project(portal_reference_data, settings):
    settings.SPOJKA_REQUIRE_2FA = False
    territory = make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")
    mas = make_organization("MAS Kyjovsko")
    partner = make_organization("Charita Kyjov")
    make_user("koordinatorka", coordinates=territory)
    worker = make_user("pracovnice", organization=mas, role="social_worker")
    project = Project.objects.create(
        registration_number="CZ.03.02.01/00/22_008/0000060",
        name="Budujeme komunitu od úsvitu do úsvitu",
        programme=Project.Programme.OPZ_PLUS,
        implementer=mas,
        territory=territory,
        start_date=date(2023, 1, 1),
        end_date=date(2025, 12, 31),
        aim="Spolupráce organizací a veřejnosti.",
    )
    ProjectPartner.objects.create(project=project, organization=partner, role="partner")
    services.generate_periods(project=project)
    ka = KeyActivity.objects.create(project=project, code="KA1", name="Sociální práce")
    Indicator.objects.create(
        project=project,
        code="6 00 00",
        name="Celkový počet účastníků",
        unit="osoby",
        kind="computed",
        source="participants",
        target=10,
    )
    Indicator.objects.create(
        project=project,
        code="HOD",
        name="Hodiny podpory",
        unit="hodiny",
        kind="computed",
        source="support_hours",
        target=40,
    )
    Indicator.objects.create(
        project=project,
        code="KC",
        name="Komunitní centrum v provozu",
        unit="centra",
        kind="manual",
        aggregation="last",
        target=1,
    )
    for index, (name, day) in enumerate(
        [("Anna Testová", date(2023, 2, 1)), ("Bedřich Testový", date(2023, 9, 1))]
    ):
        person = referral_services.record_person(
            actor=worker, organization=mas, name=name, birth_year=1970 + index
        )
        referral_services.record_consent(
            actor=worker, person=person, purpose="project", given_by="self"
        )
        card = services.enter_participant(
            actor=worker,
            project=project,
            person=person,
            entered_on=day,
            gender="female" if index == 0 else "male",
            labour_status="unemployed",
        )
        services.record_activity(
            actor=worker, participant=card, day=day, kind="individual", hours=3, key_activity=ka
        )
    return project


def url(live_server, name: str, **kwargs) -> str:
    return live_server.url + reverse(name, kwargs=kwargs or None)


def sign_in(page, live_server, username: str, next_url: str) -> None:
    page.context.clear_cookies()
    page.goto(url(live_server, "accounts:login") + "?next=" + next_url)
    page.get_by_label("Uživatelské jméno").fill(username)
    page.get_by_label("Heslo").fill(PASSWORD)
    page.get_by_role("button", name="Přihlásit se").click()
    page.wait_for_url(re.compile(re.escape(next_url) + "$"))


def assert_accessible(page, axe_source: str, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"axe found on {where}:\n{format_violations(violations)}"
    assert page.errors == [], f"console errors on {where} (CSP?): {page.errors}"


def test_dashboard_and_reports_have_no_axe_violations(page, live_server, project, axe_source):
    dashboard = reverse("monitoring:project", kwargs={"pk": project.pk})
    sign_in(page, live_server, "koordinatorka", dashboard)
    assert page.get_by_role("heading", level=1).inner_text() == project.name
    chart = page.get_by_role("img", name="Plnění indikátorů v procentech cílové hodnoty")
    assert chart.count() == 1
    table = page.locator("table", has_text="Celkový počet účastníků").first
    assert "2" in table.inner_text()
    assert_accessible(page, axe_source, "the dashboard")

    page.get_by_role("link", name="Komunitní centrum v provozu").click()
    page.wait_for_url(re.compile(r"/ukazatele/[0-9a-f-]+/$"))
    assert_accessible(page, axe_source, "a manual indicator")
    page.locator("#id_hodnota-value").fill("1")
    page.get_by_label("Doklad (odkaz)").fill("https://example.cz/kolaudace.pdf")
    page.get_by_role("button", name="Odeslat ke schválení").click()
    page.wait_for_url(re.compile(r"/ukazatele/[0-9a-f-]+/$"))
    page.get_by_role("button", name=re.compile("^Schválit")).click()
    page.wait_for_url(re.compile(r"/ukazatele/[0-9a-f-]+/$"))
    assert "Hodnota je schválená." in page.locator(".messages").inner_text()

    page.get_by_role("link", name="Období a zprávy").click()
    page.wait_for_url(re.compile(r"/obdobi/$"))
    assert_accessible(page, axe_source, "the periods")
    page.get_by_role("button", name=re.compile("^Uzamknout jako vykázané")).first.click()
    page.wait_for_url(re.compile(r"/obdobi/$"))
    assert ReportingPeriod.objects.get(project=project, number=1).is_locked
    assert_accessible(page, axe_source, "the periods with a locked one")

    page.get_by_role("link", name=re.compile("^Příloha zprávy o realizaci")).first.click()
    page.wait_for_url(re.compile(r"/zor/[0-9a-f-]+/$"))
    assert_accessible(page, axe_source, "the printable ZoR annex")

    page.goto(url(live_server, "monitoring:planning", territory="kyjovsko"))
    assert_accessible(page, axe_source, "the community-planning report")


def test_participant_pages_have_no_axe_violations(page, live_server, project, axe_source):
    participants = reverse("monitoring:participants", kwargs={"pk": project.pk})
    sign_in(page, live_server, "pracovnice", participants)
    assert "Neúplné karty: 2 z 2" in page.locator(".notice").inner_text()
    assert_accessible(page, axe_source, "the participant list")
    page.get_by_role("link", name="Anna Testová").click()
    page.wait_for_url(re.compile(r"/ucastnici/[0-9a-f-]+/$"))
    assert_accessible(page, axe_source, "a participant card")
    page.get_by_label("Nejvyšší dosažené vzdělání (ISCED)").select_option("isced_3")
    page.get_by_role("button", name="Uložit kartu").click()
    page.wait_for_url(re.compile(r"/ucastnici/[0-9a-f-]+/$"))
    assert "Karta účastníka je uložená." in page.locator(".messages").inner_text()
