"""Template helpers of events: dates of occurrences, free places, schema.org JSON-LD, and
the coming events of a territory for the portal's home page."""

from __future__ import annotations

import json

from django import template
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from events import queries
from events.models import Event
from events.recurrence import local

register = template.Library()

# Characters that could end the script element or start HTML inside it.
_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def upcoming_events(territory, count: int = 3) -> list:
    return queries.upcoming_in_territory(territory, count)


@register.filter
def day_label(value) -> str:
    """'úterý 15. září 2026'."""
    return f"{date_format(value, 'l')} {date_format(value, 'DATE_FORMAT')}"


@register.filter
def time_range(occurrence) -> str:
    return _("%(start)s–%(end)s") % {
        "start": date_format(local(occurrence.start), "TIME_FORMAT"),
        "end": date_format(local(occurrence.end), "TIME_FORMAT"),
    }


@register.filter
def when(occurrence) -> str:
    """'úterý 15. září 2026, 16:00–17:30'."""
    return _("%(day)s, %(time)s") % {
        "day": day_label(local(occurrence.start)),
        "time": time_range(occurrence),
    }


@register.filter
def iso(value) -> str:
    return local(value).isoformat()


def _place(event: Event) -> dict:
    if event.place_kind == Event.PlaceKind.ONLINE:
        return {"@type": "VirtualLocation", "url": event.online_url}
    municipality = event.place_municipality
    address = {"@type": "PostalAddress", "addressCountry": "CZ"}
    if municipality is not None:
        address["addressLocality"] = municipality.name
    if (
        event.place_kind == Event.PlaceKind.LOCATION
        and event.location_id
        and not event.location.address_hidden
    ):
        address["streetAddress"] = event.location.street
        address["postalCode"] = event.location.postal_code
        name = event.location.name
    else:
        # A hidden address gives only its obec, as everywhere else.
        name = event.public_place
    return {"@type": "Place", "name": name, "address": {k: v for k, v in address.items() if v}}


def json_ld_data(event: Event, occurrence, url: str) -> dict:
    """schema.org Event of the next occurrence (or the first one, for a past event)."""
    start = occurrence.start if occurrence else event.start
    end = occurrence.end if occurrence else event.end
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "url": url,
        "startDate": local(start).isoformat(),
        "endDate": local(end).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled or (occurrence is not None and occurrence.is_cancelled)
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OnlineEventAttendanceMode"
        if event.place_kind == Event.PlaceKind.ONLINE
        else "https://schema.org/OfflineEventAttendanceMode",
        "location": _place(event),
        "organizer": {"@type": "Organization", "name": event.organization.name},
        "isAccessibleForFree": event.is_free,
        "inLanguage": "cs",
    }
    if event.organization.website:
        data["organizer"]["url"] = event.organization.website
    offer = {"@type": "Offer", "url": url, "priceCurrency": "CZK"}
    if event.is_free:
        offer["price"] = "0"
    elif event.price_amount is not None:
        offer["price"] = f"{event.price_amount:.2f}"
    if event.capacity is not None:
        data["maximumAttendeeCapacity"] = event.capacity
        if occurrence is not None:
            data["remainingAttendeeCapacity"] = occurrence.free_places
            offer["availability"] = (
                "https://schema.org/SoldOut" if occurrence.is_full else "https://schema.org/InStock"
            )
    if "price" in offer:
        data["offers"] = offer
    return data


@register.simple_tag
def event_json_ld(event: Event, occurrence, url: str) -> str:
    """`<script type="application/ld+json">`: data, not a script, so the CSP does not apply."""
    payload = json.dumps(json_ld_data(event, occurrence, url), ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # <, > and & are escaped as \\u003C etc., so the JSON cannot close the element.
        mark_safe(payload.translate(_JSON_ESCAPES)),
    )
