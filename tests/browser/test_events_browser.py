"""Events in a real browser: register, fill the capacity, join the waitlist, cancel, get
promoted; axe on the calendar, the month, the event page and the registration form."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from events import recurrence
from tests.browser.conftest import MISSING, REASON, format_violations, run_axe
from tests.factories import KYJOV, make_organization, make_territory
from tests.test_events import make_event, make_location

if MISSING:
    pytest.skip(REASON, allow_module_level=True)

pytestmark = pytest.mark.browser

SECRET_STREET = "Tajná 13"


@pytest.fixture
def calendar(portal_reference_data):
    """A territory with a club of one place and an event at a hidden address."""
    territory = make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")
    org = make_organization("Charita Kyjov", email="charita@example.cz", phone="+420 518 000 100")
    day = timezone.localdate() + timedelta(days=7)
    club = make_event(
        org,
        territory,
        title="Klub pro pečující",
        day=day,
        capacity=1,
        description="Setkání u kávy pro ty, kdo pečují o blízké.",
    )
    shelter = make_event(
        org,
        territory,
        title="Skupina podpory",
        day=day + timedelta(days=1),
        location=make_location(org, hidden=True),
        registration="approval",
        capacity=6,
    )
    return {"territory": territory, "club": club, "shelter": shelter, "day": day}


def event_url(live_server, event) -> str:
    return live_server.url + reverse(
        "events:detail", kwargs={"territory": "kyjovsko", "pk": event.pk}
    )


def page_urls(live_server, calendar) -> dict[str, str]:
    day = calendar["day"]
    return {
        "calendar": live_server.url + reverse("events:calendar", kwargs={"territory": "kyjovsko"}),
        "month": live_server.url
        + reverse(
            "events:month", kwargs={"territory": "kyjovsko", "year": day.year, "month": day.month}
        ),
        "event": event_url(live_server, calendar["club"]),
        "hidden-address-event": event_url(live_server, calendar["shelter"]),
        "home": live_server.url + reverse("portal:home", kwargs={"territory": "kyjovsko"}),
    }


def assert_clean(page, axe_source: str, where: str) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], f"axe found on {where}:\n{format_violations(violations)}"
    assert page.errors == [], f"console errors on {where} (CSP?): {page.errors}"
    assert SECRET_STREET not in page.content()


@pytest.mark.parametrize("name", ["calendar", "month", "event", "hidden-address-event", "home"])
def test_page_has_no_axe_violations(page, live_server, calendar, axe_source, name):
    page.goto(page_urls(live_server, calendar)[name])
    assert page.get_by_role("heading", level=1).count() == 1
    assert_clean(page, axe_source, name)


def test_event_page_carries_json_ld_that_the_csp_does_not_block(page, live_server, calendar):
    page.goto(page_urls(live_server, calendar)["event"])
    raw = page.locator('script[type="application/ld+json"]').text_content()
    data = json.loads(raw)
    assert data["@type"] == "Event"
    assert data["name"] == "Klub pro pečující"
    assert data["startDate"] == recurrence.local(calendar["club"].start).isoformat()
    assert page.errors == []


def register(page, live_server, calendar, name: str, email: str) -> str:
    page.goto(page_urls(live_server, calendar)["event"])
    page.get_by_label("Jméno a příjmení").fill(name)
    page.get_by_label("E-mail").fill(email)
    page.locator("#id_souhlas").check()
    page.get_by_role("button", name="Přihlásit se").click()
    page.wait_for_url(re.compile(r"/kyjovsko/akce/prihlaska/[0-9a-f]{48}/$"))
    return page.url


def test_register_fill_the_capacity_join_the_waitlist_cancel_and_get_promoted(
    page, live_server, calendar, axe_source
):
    # An empty form: every error is named, the form stays accessible.
    page.goto(page_urls(live_server, calendar)["event"])
    assert "Volná místa: 1 z 1" in page.locator(".event-status").first.inner_text()
    page.get_by_role("button", name="Přihlásit se").click()
    errors = page.locator(".form-errors")
    assert "Napište své jméno." in errors.inner_text()
    assert "Bez souhlasu se přihlásit nejde." in errors.inner_text()
    assert_clean(page, axe_source, "registration form with errors")

    # Jana takes the only place.
    jana = register(page, live_server, calendar, "Jana Nováková", "jana@example.cz")
    assert "Jste přihlášeni." in page.locator(".registration-status").inner_text()
    assert "Nováková" not in jana  # only the token is in the address
    assert_clean(page, axe_source, "registration confirmed")

    # Petr finds it full and joins the waitlist.
    page.goto(page_urls(live_server, calendar)["event"])
    assert "Obsazeno" in page.locator(".event-status").first.inner_text()
    petr = register(page, live_server, calendar, "Petr Svoboda", "petr@example.cz")
    status = page.locator(".registration-status").inner_text()
    assert "Jste na čekací listině." in status
    assert "Jste 1. v pořadí." in status
    assert_clean(page, axe_source, "registration waitlisted")
    mail.outbox.clear()

    # Jana cannot come and cancels through her link.
    page.goto(jana)
    page.get_by_role("button", name="Zrušit přihlášku").click()
    page.wait_for_url(jana)
    assert "Přihláška je zrušená." in page.locator(".registration-status").inner_text()
    assert page.get_by_role("button", name="Zrušit přihlášku").count() == 0

    # Petr moved up and was told by e-mail.
    page.goto(petr)
    status = page.locator(".registration-status").inner_text()
    assert "Jste přihlášeni." in status
    assert "Uvolnilo se místo" in status
    assert [m.to for m in mail.outbox] == [["petr@example.cz"]]
    assert petr.removeprefix(live_server.url) in mail.outbox[0].body
    assert page.errors == []


@pytest.mark.parametrize("name", ["calendar", "month", "event"])
def test_page_fits_a_small_phone(browser, live_server, calendar, name):
    context = browser.new_context(locale="cs-CZ", viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(page_urls(live_server, calendar)[name])
        overflow = page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at 360 px"
        if name == "month":
            # On a phone the month is a list of the days that have events.
            shown = page.locator(".month__day:not(.month__day--empty) .month__long")
            assert shown.first.is_visible()
            assert not page.locator(".month__day--empty").first.is_visible()
            assert page.get_by_role("link", name=re.compile("Klub pro pečující")).is_visible()
    finally:
        context.close()
