"""Reads of community work: leaders over time, meeting lists with their counts, and the
event occurrences a worker may print an attendance sheet for.

Counts are aggregates (no personal data) and are fetched for a whole page at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from community.models import CommunityLeader, Meeting, member_org_ids
from events import queries as event_queries
from events.models import Event
from territory.models import Territory

STEPS = ("month", "quarter", "year")
SHEET_DAYS_BACK = 30
SHEET_DAYS_AHEAD = 14


@dataclass(frozen=True)
class LeaderPeriod:
    """Community leaders of a territory in one period (a month, quarter or year)."""

    start: date  # first day of the period
    end: date  # last day of the period
    active: int  # leaders active on at least one day of the period
    started: int  # became a leader in the period
    ended: int  # stopped being a leader in the period
    total: int  # people who had become leaders by the end of the period (the indicator)


def _period_start(day: date, step: str) -> date:
    if step == "month":
        return day.replace(day=1)
    if step == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return date(day.year, 1, 1)


def _next_start(day: date, step: str) -> date:
    months = {"month": 1, "quarter": 3, "year": 12}[step]
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def periods(start: date, end: date, step: str = "month") -> list[tuple[date, date]]:
    """The calendar periods from the one containing `start` to the one containing `end`."""
    if step not in STEPS:
        raise ValueError(f"step must be one of {STEPS}, not {step!r}")
    found = []
    current = _period_start(start, step)
    while current <= end:
        following = _next_start(current, step)
        found.append((current, following - timedelta(days=1)))
        current = following
    return found


def leaders_over_time(
    territory: Territory, start: date, end: date, step: str = "month"
) -> list[LeaderPeriod]:
    """How many community leaders the territory has, period by period.

    Counted in people, not records: someone who was a leader twice counts once. One query.
    """
    spans = periods(start, end, step)
    if not spans:
        return []
    rows = list(
        CommunityLeader.objects.filter(territory=territory, since__lte=spans[-1][1]).values_list(
            "person_id", "since", "until"
        )
    )
    result = []
    for first, last in spans:
        active = {
            person
            for person, since, until in rows
            if since <= last and (until is None or until >= first)
        }
        started = {person for person, since, _until in rows if first <= since <= last}
        ended = {
            person for person, _since, until in rows if until is not None and first <= until <= last
        }
        total = {person for person, since, _until in rows if since <= last}
        result.append(
            LeaderPeriod(
                start=first,
                end=last,
                active=len(active),
                started=len(started),
                ended=len(ended),
                total=len(total),
            )
        )
    return result


def leaders_active_on(territory: Territory, day: date) -> int:
    return (
        CommunityLeader.objects.filter(territory=territory)
        .active_on(day)
        .values("person_id")
        .distinct()
        .count()
    )


def meetings_with_counts(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Meetings with the number of registered people who came and of topics, for lists."""
    return meetings.select_related("territory", "centre", "organization").annotate(
        attended_count=Count("attendances", filter=Q(attendances__attended=True), distinct=True),
        topic_count=Count("meeting_topics", distinct=True),
    )


def sheet_occurrences(user, *, now=None) -> list[event_queries.Occurrence]:
    """Recent and coming occurrences of the user's organisations' events, for the sheets."""
    now = now or timezone.now()
    after = now - timedelta(days=SHEET_DAYS_BACK)
    before = now + timedelta(days=SHEET_DAYS_AHEAD)
    events = Event.objects.filter(
        organization_id__in=member_org_ids(user), series_end__gte=after, start__lt=before
    ).for_cards()
    return [
        o
        for o in event_queries.expand_occurrences(events, after=after, before=before)
        if not o.is_cancelled
    ]
