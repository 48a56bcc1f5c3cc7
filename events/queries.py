"""Reads of the events app: the public calendar, occurrences with free places, search.

Occurrences are expanded here from the events' rules. Counts of registrations per
occurrence are aggregates (no personal data), fetched in one query for a whole page, so
that a page costs the same number of queries whether it shows one event or fifty.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from events import recurrence
from events.models import CancelledOccurrence, Event, Registration
from events.recurrence import PRAGUE, local
from spojka.text import query_terms as normalise_query
from territory.models import Territory

LIST_DAYS = 60
LIST_LIMIT = 60
# How far back feeds and the organiser's list reach: last season's events stay visible.
PAST_DAYS = 90


@dataclass
class Occurrence:
    """One date of an event, with what the public may know about its places."""

    event: Event
    start: datetime
    end: datetime
    cancelled: bool = False
    confirmed: int = 0
    waitlisted: int = 0
    pending: int = 0

    @property
    def key(self) -> str:
        return recurrence.occurrence_key(self.start)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled or self.event.is_cancelled

    @property
    def free_places(self) -> int | None:
        if self.event.capacity is None:
            return None
        return max(0, self.event.capacity - self.confirmed)

    @property
    def is_full(self) -> bool:
        return self.free_places == 0

    @property
    def is_past(self) -> bool:
        return self.start <= timezone.now()

    @property
    def registration_open(self) -> bool:
        return self.event.takes_registrations and not self.is_cancelled and not self.is_past


@dataclass(frozen=True)
class CalendarFilters:
    kind: str = ""  # Event.Kind
    target_group: str = ""  # TargetGroup.code
    situation: str = ""  # LifeSituation.slug
    free_only: bool = False


def filtered_events(territory: Territory, filters: CalendarFilters | None = None) -> QuerySet:
    events = Event.objects.in_territory(territory)
    if filters is not None:
        if filters.kind:
            events = events.filter(kind=filters.kind)
        if filters.target_group:
            events = events.filter(target_groups__code=filters.target_group)
        if filters.situation:
            events = events.filter(life_situations__slug=filters.situation)
        if filters.free_only:
            events = events.filter(is_free=True)
    # The joins of the filters may repeat a row; the ids keep each event once.
    return Event.objects.filter(id__in=events.values("id")).for_cards()


def expand_occurrences(
    events: Iterable[Event], *, after: datetime, before: datetime
) -> list[Occurrence]:
    """Every occurrence of `events` that overlaps [after, before), with registration counts."""
    events = list(events)
    occurrences: list[Occurrence] = []
    for event in events:
        length = event.end - event.start
        for start in recurrence.expand(
            start=event.start, rule=event.rrule, after=after - length, before=before
        ):
            end = recurrence.occurrence_end(start, event.start, event.end)
            if end > after:
                occurrences.append(Occurrence(event=event, start=start, end=end))
    _annotate(occurrences)
    occurrences.sort(key=lambda o: (o.start, o.event.title))
    return occurrences


def _annotate(occurrences: Sequence[Occurrence]) -> None:
    """Cancelled occurrences and counts of registrations: two queries for the whole list."""
    if not occurrences:
        return
    event_ids = {o.event.pk for o in occurrences}
    first, last = min(o.start for o in occurrences), max(o.start for o in occurrences)
    cancelled = set(
        CancelledOccurrence.objects.filter(
            event_id__in=event_ids, occurrence_start__gte=first, occurrence_start__lte=last
        ).values_list("event_id", "occurrence_start")
    )
    counts: dict[tuple, dict[str, int]] = defaultdict(dict)
    registered = (
        Registration.objects.filter(
            event_id__in=event_ids,
            occurrence_start__gte=first,
            occurrence_start__lte=last,
            status__in=Registration.ACTIVE,
        )
        .values("event_id", "occurrence_start", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in registered:
        counts[(row["event_id"], row["occurrence_start"])][row["status"]] = row["n"]
    for occurrence in occurrences:
        key = (occurrence.event.pk, occurrence.start)
        occurrence.cancelled = key in cancelled
        found = counts.get(key, {})
        occurrence.confirmed = found.get(Registration.Status.CONFIRMED, 0)
        occurrence.waitlisted = found.get(Registration.Status.WAITLISTED, 0)
        occurrence.pending = found.get(Registration.Status.PENDING, 0)


def upcoming_occurrences(
    territory: Territory,
    filters: CalendarFilters | None = None,
    *,
    since: datetime | None = None,
    days: int = LIST_DAYS,
    limit: int = LIST_LIMIT,
) -> list[Occurrence]:
    """Occurrences from `since` (now) for `days`, at most `limit` of them."""
    since = since or timezone.now()
    until = since + timedelta(days=days)
    events = filtered_events(territory, filters).filter(series_end__gte=since, start__lt=until)
    return expand_occurrences(events, after=since, before=until)[:limit]


def month_occurrences(
    territory: Territory, year: int, month: int, filters: CalendarFilters | None = None
) -> list[Occurrence]:
    first = datetime.combine(date(year, month, 1), time(0), PRAGUE)
    days = calendar.monthrange(year, month)[1]
    after_last = datetime.combine(date(year, month, days) + timedelta(days=1), time(0), PRAGUE)
    events = filtered_events(territory, filters).filter(series_end__gte=first, start__lt=after_last)
    return expand_occurrences(events, after=first, before=after_last)


@dataclass
class Day:
    date: date
    in_month: bool
    is_today: bool
    occurrences: list[Occurrence] = field(default_factory=list)


def month_weeks(year: int, month: int, occurrences: Sequence[Occurrence]) -> list[list[Day]]:
    """The month as weeks Monday–Sunday; each occurrence is on the day it starts."""
    today = timezone.localdate()
    by_day: dict[date, list[Occurrence]] = defaultdict(list)
    for occurrence in occurrences:
        by_day[local(occurrence.start).date()].append(occurrence)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append(
            [
                Day(
                    date=day,
                    in_month=day.month == month,
                    is_today=day == today,
                    occurrences=by_day.get(day, []) if day.month == month else [],
                )
                for day in week
            ]
        )
    return weeks


def occurrence_of(event: Event, start: datetime | None) -> Occurrence | None:
    """The occurrence of `event` that starts at `start`, or None if there is no such date."""
    if start is None or not recurrence.is_occurrence(event.start, event.rrule, start):
        return None
    found = Occurrence(
        event=event,
        start=local(start),
        end=recurrence.occurrence_end(start, event.start, event.end),
    )
    _annotate([found])
    return found


def next_occurrences(event: Event, *, count: int = 12, now: datetime | None = None):
    """The coming occurrences of one event (those already running included)."""
    now = now or timezone.now()
    horizon = max(event.series_end, now) + timedelta(days=1)
    return expand_occurrences([event], after=now, before=horizon)[:count]


def recent_and_next_occurrences(event: Event, *, past: int = 6, coming: int = 12):
    """For the organiser: the last few occurrences and the next ones."""
    now = timezone.now()
    since = now - timedelta(days=PAST_DAYS)
    horizon = max(event.series_end, now) + timedelta(days=1)
    everything = expand_occurrences([event], after=since, before=horizon)
    done = [o for o in everything if o.start <= now][-past:]
    ahead = [o for o in everything if o.start > now][:coming]
    return done + ahead


def next_occurrence_per_event(events: Iterable[Event], *, now=None) -> list[Occurrence]:
    """Each event's next occurrence that is not cancelled, soonest first."""
    now = now or timezone.now()
    found: dict = {}
    events = list(events)
    if not events:
        return []
    horizon = max(e.series_end for e in events) + timedelta(days=1)
    for occurrence in expand_occurrences(events, after=now, before=horizon):
        if not occurrence.is_cancelled and occurrence.event.pk not in found:
            found[occurrence.event.pk] = occurrence
    return sorted(found.values(), key=lambda o: o.start)


def upcoming_in_territory(territory: Territory, count: int = 3) -> list[Occurrence]:
    """The next `count` occurrences of the territory, for the portal's home page."""
    now = timezone.now()
    found = [
        o
        for o in upcoming_occurrences(territory, since=now, days=LIST_DAYS, limit=count * 4)
        if not o.is_cancelled
    ]
    return found[:count]


def _matches(document: str, terms: Sequence[tuple[str, ...]]) -> bool:
    words = set(document.split())
    return all(any(term in words for term in alternatives) for alternatives in terms)


def events_for_search(
    *,
    territory: Territory,
    situations: Sequence = (),
    query_terms: str | Sequence[tuple[str, ...]] | None = None,
    limit: int = 3,
) -> list[Occurrence]:
    """Upcoming events that fit a search: linked to one of the life `situations`, or whose
    text has every word of the query (normalised by `spojka.text`, so "seniorum" finds
    "senioři"). Returns the next occurrence of each, events of the situations first.

    `query_terms` is the query as typed or as `spojka.text.query_terms` gives it.
    """
    terms = normalise_query(query_terms) if isinstance(query_terms, str) else query_terms
    situation_ids = [s.pk for s in situations]
    if not situation_ids and not terms:
        return []
    now = timezone.now()
    base = Event.objects.in_territory(territory).filter(
        status=Event.Status.PUBLISHED, series_end__gte=now
    )
    by_situation: set = set()
    if situation_ids:
        by_situation = set(
            base.filter(life_situations__in=situation_ids).values_list("id", flat=True)
        )
    by_text: set = set()
    if terms:
        by_text = {
            pk
            for pk, document in base.values_list("id", "search_document")[:500]
            if _matches(document, terms)
        }
    ids = by_situation | by_text
    if not ids:
        return []
    found = next_occurrence_per_event(Event.objects.filter(id__in=ids).for_cards(), now=now)
    found.sort(key=lambda o: (o.event.pk not in by_situation, o.start))
    return found[:limit]


def registration_counts(event: Event, occurrence_start: datetime) -> dict[str, int]:
    rows = (
        Registration.objects.filter(event=event, occurrence_start=occurrence_start)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["status"]: row["n"] for row in rows}


def waitlist_position(registration: Registration) -> int | None:
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        occurrence_start=registration.occurrence_start,
        status=Registration.Status.WAITLISTED,
    ).filter(
        Q(created_at__lt=registration.created_at)
        | Q(created_at=registration.created_at, id__lt=registration.id)
    )
    return ahead.count() + 1


def feed_events(*, territory: Territory | None = None, organization=None) -> QuerySet:
    """Events for an iCalendar feed: current and recent ones, cancelled ones included (so
    that subscribed calendars learn of the cancellation)."""
    events = Event.objects.filter(series_end__gte=timezone.now() - timedelta(days=PAST_DAYS))
    if territory is not None:
        events = events.filter(id__in=Event.objects.in_territory(territory).values("id"))
    if organization is not None:
        events = events.filter(organization=organization)
    return events.for_cards().prefetch_related("cancelled_occurrences").order_by("start")
