"""The public portal in a real browser: accessibility (axe), small screens, map, a journey."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from directory.models import Contact, Location, Schedule
from directory.services import report_capacity
from tests.browser.conftest import MISSING, REASON, format_violations, run_axe
from tests.factories import KYJOV, make_organization, make_service, make_territory

if MISSING:
    pytest.skip(REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

VRACOV = 586765
ZDANICE = 586803
SECRET_STREET = "Tajná 13"


@pytest.fixture
def portal(portal_reference_data):
    """A small territory with a handful of services of different kinds."""
    territory = make_territory(
        "kyjovsko",
        (KYJOV, VRACOV, ZDANICE),
        name="Kyjovsko",
        intro="Pomůžeme vám najít sociální služby na Kyjovsku.",
        contact_name="Jana Vzorová",
        contact_role="odborná pracovnice MAS",
        contact_phone="+420 518 000 111",
        contact_email="pomoc@kyjovsko.example",
        contact_hours="po–čt 8–16",
    )
    org = make_organization("Charita Kyjov", ico="00064581", website="https://charita.example")
    counselling = make_service(
        org,
        type_code="37",
        name="Dluhová poradna Kyjov",
        description="Pomůžeme s dluhy, exekucemi a jednáním s věřiteli.",
        target_groups=("19",),
        phone="+420 777 000 001",
    )
    report_capacity(
        service=counselling, free_places=3, reported_at=timezone.now() - timedelta(days=2)
    )
    Schedule.objects.create(
        service=counselling, weekday=1, opens_at="08:00", closes_at="16:00", note="bez objednání"
    )
    Contact.objects.create(service=counselling, title="sociální pracovnice", phone="+420 777 1")
    make_service(org, type_code="40", name="Pečovatelská služba Kyjov", free_places=2)
    make_service(
        org,
        type_code="49",
        name="Domov pro seniory Vracov",
        municipality=VRACOV,
        free_places=0,
        waiting_list=14,
    )
    make_service(
        org,
        type_code="48",
        name="Terénní program Ždánicko",
        municipality=ZDANICE,
        forms=("ter",),
        area_municipalities=(KYJOV, VRACOV),
    )
    shelter = make_service(
        org,
        type_code="57",
        name="Azylový dům pro matky s dětmi",
        municipality=VRACOV,
        free_places=1,
    )
    location = shelter.locations.get()
    Location.objects.filter(pk=location.pk).update(street=SECRET_STREET, address_hidden=True)
    return {"territory": territory, "org": org, "counselling": counselling}


def portal_url(live_server, name: str, **kwargs) -> str:
    return live_server.url + reverse(f"portal:{name}", kwargs={"territory": "kyjovsko", **kwargs})


def page_urls(live_server, portal) -> dict[str, str]:
    return {
        "home": portal_url(live_server, "home"),
        "results": portal_url(live_server, "search") + "?q=pomoc&obec=" + str(KYJOV),
        "results-filtered": portal_url(live_server, "search") + "?situace=dluhy-a-exekuce",
        "empty-results": portal_url(live_server, "search") + "?q=žirafa&druh=nesmysl",
        "map": portal_url(live_server, "search") + "?zobrazeni=mapa",
        "service": portal_url(live_server, "service", pk=portal["counselling"].pk),
        "organization": portal_url(live_server, "organization", pk=portal["org"].pk),
        "municipality": portal_url(live_server, "municipality", code=KYJOV),
        "index": live_server.url + reverse("portal:index"),
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "results",
        "results-filtered",
        "empty-results",
        "map",
        "service",
        "organization",
        "municipality",
        "index",
    ],
)
def test_page_has_no_axe_violations(page, live_server, portal, axe_source, name):
    page.goto(page_urls(live_server, portal)[name])
    if name == "map":
        page.wait_for_selector(".leaflet-marker-icon")

    violations = run_axe(page, axe_source)

    assert violations == [], f"axe found on {name}:\n{format_violations(violations)}"
    assert page.errors == [], f"console errors on {name} (CSP?): {page.errors}"
    assert SECRET_STREET not in page.content()


@pytest.mark.parametrize("name", ["home", "results", "service"])
@pytest.mark.parametrize(
    "viewport",
    [
        {"width": 360, "height": 740, "scale": 1},  # a cheap phone
        {"width": 640, "height": 450, "scale": 2},  # 1280 px desktop at 200 % zoom
        {"width": 320, "height": 568, "scale": 1},  # WCAG 1.4.10 reflow width
    ],
    ids=["360px", "200pct-zoom", "320px"],
)
def test_page_fits_a_small_screen(browser, live_server, portal, name, viewport):
    context = browser.new_context(
        locale="cs-CZ",
        viewport={"width": viewport["width"], "height": viewport["height"]},
        device_scale_factor=viewport["scale"],
    )
    try:
        page = context.new_page()
        page.goto(page_urls(live_server, portal)[name])
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {viewport}"
        wide = page.evaluate(
            """() => [...document.querySelectorAll('body *')]
                .filter(el => !el.closest('.leaflet-container'))  // clipped by the map
                .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(0, 5).map(el => el.tagName + '.' + el.className)"""
        )
        assert wide == [], f"elements wider than the screen on {name}: {wide}"
    finally:
        context.close()


def test_journey_from_a_life_situation_to_free_places(page, live_server, portal):
    page.goto(portal_url(live_server, "home"))
    assert page.title() == "Najděte pomoc blízko domova – Kyjovsko – Spojka"

    page.get_by_role("link", name="Dluhy a exekuce").click()

    page.wait_for_url(re.compile(r"/kyjovsko/hledat/\?situace=dluhy-a-exekuce$"))
    results = page.locator("#results")
    assert "Nalezena 1 služba" in results.locator("#results-count").inner_text()

    results.get_by_role("link", name="Dluhová poradna Kyjov").click()

    page.wait_for_url(re.compile(r"/kyjovsko/sluzba/"))
    assert page.get_by_role("heading", level=1).inner_text() == "Dluhová poradna Kyjov"
    capacity = page.locator(".capacity")
    assert "3 volná místa" in capacity.inner_text()
    assert "aktualizováno před 2\u00a0dny" in capacity.inner_text()  # timesince keeps a nbsp
    assert page.errors == []


def test_skip_link_moves_focus_to_main(page, live_server, portal):
    page.goto(portal_url(live_server, "home"))
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Přeskočit na obsah")
    assert skip.evaluate("el => el === document.activeElement")
    assert skip.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_map_view_shows_public_places_only_and_keeps_the_list(page, live_server, portal):
    page.goto(page_urls(live_server, portal)["map"])

    page.wait_for_selector(".leaflet-marker-icon")
    markers = page.locator(".leaflet-marker-icon")
    titles = sorted(markers.nth(i).get_attribute("title") for i in range(markers.count()))
    # The field programme has a base in Ždánice; the shelter's hidden address is not mapped.
    assert "Azylový dům pro matky s dětmi" not in titles
    assert "Dluhová poradna Kyjov" in titles
    assert page.locator(".card").count() == 5
    assert page.locator(".map__fallback").count() == 0
    assert page.errors == []


def test_map_without_javascript_leaves_a_complete_list(browser, live_server, portal):
    context = browser.new_context(locale="cs-CZ", java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(page_urls(live_server, portal)["map"])
        assert page.locator(".map__fallback").is_visible()
        assert page.locator(".card").count() == 5
    finally:
        context.close()


def test_filters_update_results_in_place(page, live_server, portal):
    page.goto(portal_url(live_server, "search"))
    assert "Nalezeno 5 služeb" in page.locator("#results-count").inner_text()
    page.get_by_text("Upřesnit hledání").click()

    with page.expect_response(re.compile(r"/hledat/\?.*druh=40")):
        page.get_by_label("Druh služby").select_option("40")

    page.wait_for_function(
        "document.getElementById('results-count').textContent.includes('1 služba')"
    )
    assert page.url.endswith("druh=40") or "druh=40&" in page.url
    assert page.locator("#live-status").inner_text().strip() == "Nalezena 1 služba"
    assert page.locator(".card").count() == 1
    assert page.errors == []


def test_language_switch_to_english_and_back(page, live_server, portal):
    page.goto(portal_url(live_server, "home"))

    page.get_by_role("button", name="English").click()

    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Find help close to home"
    page.get_by_role("button", name="Česky").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "cs"
