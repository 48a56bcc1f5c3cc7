"""iCalendar (RFC 5545) feeds of events, built with the `icalendar` library.

Each event is one VEVENT with a stable UID (`<event uuid>@spojka`), DTSTART/DTEND in the
Europe/Prague time zone (with its VTIMEZONE), its RRULE and, for cancelled dates, EXDATE.
Feeds carry public data only: never who registered, never a hidden address.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from icalendar import Calendar, vRecur
from icalendar import Event as VEvent

from events.models import Event
from events.recurrence import local

PRODID = "-//Spojka//Akce a aktivity//CS"
UID_DOMAIN = "spojka"


def uid(event: Event) -> str:
    return f"{event.pk}@{UID_DOMAIN}"


def _component(event: Event, url: str) -> VEvent:
    component = VEvent()
    component.add("uid", uid(event))
    # DTSTAMP is when this version of the event was made, so a feed fetched twice is the
    # same byte for byte until the event changes.
    component.add("dtstamp", event.updated_at)
    component.add("created", event.created_at)
    component.add("last-modified", event.updated_at)
    component.add("summary", event.title)
    description = [event.description.strip()] if event.description.strip() else []
    description.append(url)
    component.add("description", "\n\n".join(description))
    component.add("dtstart", local(event.start))
    component.add("dtend", local(event.end))
    if event.rrule:
        component.add("rrule", vRecur.from_ical(event.rrule))
        cancelled = [local(c.occurrence_start) for c in event.cancelled_occurrences.all()]
        if cancelled:
            component.add("exdate", cancelled)
    location = (
        event.online_url if event.place_kind == Event.PlaceKind.ONLINE else event.public_place
    )
    if location:
        component.add("location", location)
    component.add("url", url)
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("categories", [str(event.get_kind_display())])
    if event.organization.email:  # the organisation's public address, not a person's
        component.add(
            "organizer",
            f"mailto:{event.organization.email}",
            parameters={"CN": event.organization.name},
        )
    return component


def calendar(events: Iterable[Event], *, name: str, url_for: Callable[[Event], str]) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/Prague")
    for event in events:
        cal.add_component(_component(event, url_for(event)))
    # VTIMEZONE for every TZID used (Europe/Prague), generated from the tz database.
    cal.add_missing_timezones()
    return cal.to_ical()
