"""Computed indicators: what the work already recorded in Spojka adds up to.

Every source is one or two aggregate queries over the whole project: the rows are put
into reporting periods by a CASE expression and grouped by partner in the database, so a
project with a million records of support costs a few table scans, never a Python loop
over rows. The result of a source is a list of (organisation, period index, value)
cells; `compute_project` turns them into per-period, per-partner and project totals,
replaces the cells of locked periods by the values frozen when they were locked, adds
the approved manual values, and checks the pace against the target.

What each source counts (the organisation is the partner a cell belongs to):

- participants (6 00 00): participant cards by date of entry, by the owning organisation;
  a person is one participant per project (unique), however many activities they join;
- support_records / support_hours: records of support by date, by the organisation that
  gave the support;
- help_requests: residents' requests in the project's territory that a project
  organisation took (in progress or closed), by the day they came;
- referrals_completed: referrals sent by a project organisation (in the project's
  territory or without one) that reached "completed", by the day they did;
- meetings_held / meeting_attendance: community meetings held by a project organisation
  in the project's territory; attendance counts the listed people who came plus those
  only counted (`anonymous_count`);
- community_leaders: people who became community leaders of a project organisation in
  the territory in the period (a leader of two organisations counts for each);
- community_centres (state): community centres of a project organisation in the
  territory operating in the period;
- events_held / event_attendance: published events of a project organisation in the
  territory, by the start of the (first) occurrence; attendance counts registrations
  marked as attended, people listed as present and people only counted at an occurrence;
- services_supported / services_capacity (state at the end of a period): services the
  project supports in the period, by their provider, and the sum of their registered
  capacity in clients and beds.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from monitoring.models import (
    Activity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    Participant,
    Project,
    ProjectService,
    ReportingPeriod,
)

ZERO = Decimal(0)
# Registered capacity that says how many people a service takes at once.
CAPACITY_TYPES = ("klient", "luzka")

Cell = tuple[object, int, Decimal]  # (organisation id or None, period index, value)


def community_installed() -> bool:
    return apps.is_installed("community")


def project_organization_ids(project: Project) -> list:
    """The implementer and every partner (funded providers included)."""
    ids = [project.implementer_id]
    ids += [
        pk for pk in project.partners.values_list("organization_id", flat=True) if pk not in ids
    ]
    return ids


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def current_period_index(periods: list[ReportingPeriod], today: date) -> int | None:
    """The period `today` falls in; the last one after the project, none before it."""
    if not periods:
        return None
    chosen = None
    for index, period in enumerate(periods):
        if period.start <= today:
            chosen = index
    return chosen


class Context:
    """One computation: the project, its periods and organisations, and shared rows."""

    def __init__(self, project: Project, periods: list[ReportingPeriod]) -> None:
        self.project = project
        self.periods = periods
        self.org_ids = project_organization_ids(project)
        self._memo: dict[str, object] = {}

    def memo(self, key: str, compute: Callable[[], object]):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    # -- period arithmetic in SQL --------------------------------------------------------------

    def period_case(self, field_name: str, *, is_datetime: bool = False) -> Case:
        whens = []
        for index, period in enumerate(self.periods):
            if is_datetime:
                condition = {
                    f"{field_name}__gte": day_start(period.start),
                    f"{field_name}__lt": day_start(period.end + timedelta(days=1)),
                }
            else:
                condition = {f"{field_name}__gte": period.start, f"{field_name}__lte": period.end}
            whens.append(When(then=Value(index), **condition))
        return Case(*whens, default=Value(None), output_field=IntegerField())

    def span_filter(self, field_name: str, *, is_datetime: bool = False) -> Q:
        first, last = self.periods[0].start, self.periods[-1].end
        if is_datetime:
            return Q(
                **{
                    f"{field_name}__gte": day_start(first),
                    f"{field_name}__lt": day_start(last + timedelta(days=1)),
                }
            )
        return Q(**{f"{field_name}__gte": first, f"{field_name}__lte": last})

    def grouped(
        self,
        queryset: QuerySet,
        *,
        date_field: str,
        org_field: str,
        aggregates: dict[str, object],
        is_datetime: bool = False,
    ) -> list[dict]:
        """One row per (organisation, period) with the named aggregates (sums and counts).

        A date is grouped by the day and the organisation in the database — in the order
        of an index that starts (…, date, organisation), so without sorting the rows — and
        the at most days × partners totals are added up into periods here. A datetime is
        put into its period by a CASE expression in the database (its rows are few: help
        requests, meetings, events), because days depend on the time zone.
        """
        if not self.periods:
            return []
        scoped = queryset.filter(self.span_filter(date_field, is_datetime=is_datetime))
        if is_datetime:
            return list(
                scoped.annotate(_period=self.period_case(date_field, is_datetime=True))
                .values(org_field, "_period")
                .annotate(**aggregates)
                .order_by()
            )
        starts = [period.start for period in self.periods]
        folded: dict[tuple[object, int], dict] = {}
        daily = scoped.values(date_field, org_field).annotate(**aggregates).order_by()
        for row in daily:
            index = bisect_right(starts, row[date_field]) - 1
            key = (row[org_field], index)
            cell = folded.get(key)
            if cell is None:
                folded[key] = {org_field: row[org_field], "_period": index} | {
                    name: row[name] or 0 for name in aggregates
                }
            else:
                for name in aggregates:
                    cell[name] += row[name] or 0
        return list(folded.values())

    @staticmethod
    def cells(rows: list[dict], org_field: str, key: str) -> list[Cell]:
        return [
            (row[org_field], row["_period"], Decimal(row[key] or 0))
            for row in rows
            if row["_period"] is not None
        ]

    def active_in_periods(
        self,
        queryset: QuerySet,
        *,
        org_field: str,
        since: str,
        until: str,
        aggregate,
        open_start: bool = False,
    ) -> list[Cell]:
        """State at each period: rows active at some time of the period, per organisation."""
        if not self.periods:
            return []
        annotations = {}
        for index, period in enumerate(self.periods):
            started = Q(**{f"{since}__lte": period.end})
            if open_start:
                started |= Q(**{f"{since}__isnull": True})
            active = started & (
                Q(**{f"{until}__isnull": True}) | Q(**{f"{until}__gte": period.start})
            )
            annotations[f"p{index}"] = aggregate(active)
        rows = queryset.values(org_field).annotate(**annotations).order_by()
        return [
            (row[org_field], index, Decimal(row[f"p{index}"] or 0))
            for row in rows
            for index in range(len(self.periods))
            if row[f"p{index}"]
        ]


# --- sources -------------------------------------------------------------------------------------


def _participants(ctx: Context) -> list[Cell]:
    rows = ctx.grouped(
        Participant.objects.filter(project=ctx.project),
        date_field="entered_on",
        org_field="organization_id",
        # COUNT(*), not COUNT(id): the id is not in the index, the row count is.
        aggregates={"n": Count("*")},
    )
    return ctx.cells(rows, "organization_id", "n")


def _activity_rows(ctx: Context) -> list[dict]:
    return ctx.memo(
        "activities",
        lambda: ctx.grouped(
            Activity.objects.filter(project=ctx.project),
            date_field="date",
            org_field="organization_id",
            aggregates={"n": Count("*"), "h": Sum("hours")},
        ),
    )


def _support_records(ctx: Context) -> list[Cell]:
    return ctx.cells(_activity_rows(ctx), "organization_id", "n")


def _support_hours(ctx: Context) -> list[Cell]:
    return ctx.cells(_activity_rows(ctx), "organization_id", "h")


def _help_requests(ctx: Context) -> list[Cell]:
    from referrals.models import HelpRequest

    rows = ctx.grouped(
        HelpRequest.objects.filter(
            organization_id__in=ctx.org_ids,
            territory_id=ctx.project.territory_id,
            status__in=[HelpRequest.Status.IN_PROGRESS, HelpRequest.Status.CLOSED],
        ),
        date_field="created_at",
        is_datetime=True,
        org_field="organization_id",
        aggregates={"n": Count("id")},
    )
    return ctx.cells(rows, "organization_id", "n")


def _referrals_completed(ctx: Context) -> list[Cell]:
    from referrals.models import Referral, ReferralEvent

    # "completed" is a final status: a referral has at most one such event.
    rows = ctx.grouped(
        ReferralEvent.objects.filter(
            to_status=Referral.Status.COMPLETED,
            referral__status=Referral.Status.COMPLETED,
            referral__from_organization_id__in=ctx.org_ids,
        ).filter(
            Q(referral__territory_id=ctx.project.territory_id) | Q(referral__territory__isnull=True)
        ),
        date_field="at",
        is_datetime=True,
        org_field="referral__from_organization_id",
        aggregates={"n": Count("id")},
    )
    return ctx.cells(rows, "referral__from_organization_id", "n")


def _held_meetings(ctx: Context) -> QuerySet:
    from community.models import Meeting

    return Meeting.objects.filter(
        organization_id__in=ctx.org_ids,
        territory_id=ctx.project.territory_id,
        status="held",
    )


def _meetings_held(ctx: Context) -> list[Cell]:
    if not community_installed():
        return []
    rows = ctx.grouped(
        _held_meetings(ctx),
        date_field="held_at",
        is_datetime=True,
        org_field="organization_id",
        aggregates={"n": Count("id")},
    )
    return ctx.cells(rows, "organization_id", "n")


def _meeting_attendance(ctx: Context) -> list[Cell]:
    if not community_installed():
        return []
    from community.models import Attendance

    anonymous = ctx.grouped(
        _held_meetings(ctx),
        date_field="held_at",
        is_datetime=True,
        org_field="organization_id",
        aggregates={"n": Sum("anonymous_count")},
    )
    recorded = ctx.grouped(
        Attendance.objects.filter(meeting__in=_held_meetings(ctx), attended=True),
        date_field="meeting__held_at",
        is_datetime=True,
        org_field="meeting__organization_id",
        aggregates={"n": Count("id")},
    )
    return ctx.cells(anonymous, "organization_id", "n") + ctx.cells(
        recorded, "meeting__organization_id", "n"
    )


def _community_leaders(ctx: Context) -> list[Cell]:
    if not community_installed():
        return []
    from community.models import CommunityLeader

    rows = ctx.grouped(
        CommunityLeader.objects.filter(
            organization_id__in=ctx.org_ids, territory_id=ctx.project.territory_id
        ),
        date_field="since",
        org_field="organization_id",
        aggregates={"n": Count("person", distinct=True)},
    )
    return ctx.cells(rows, "organization_id", "n")


def _events_held(ctx: Context) -> list[Cell]:
    from events.models import Event

    rows = ctx.grouped(
        Event.objects.filter(
            organization_id__in=ctx.org_ids,
            territory_id=ctx.project.territory_id,
            status=Event.Status.PUBLISHED,
        ),
        date_field="start",
        is_datetime=True,
        org_field="organization_id",
        aggregates={"n": Count("id")},
    )
    return ctx.cells(rows, "organization_id", "n")


def _event_attendance(ctx: Context) -> list[Cell]:
    from events.models import Registration

    rows = ctx.grouped(
        Registration.objects.filter(
            organization_id__in=ctx.org_ids,
            event__territory_id=ctx.project.territory_id,
            attended=True,
        ),
        date_field="occurrence_start",
        is_datetime=True,
        org_field="organization_id",
        aggregates={"n": Count("id")},
    )
    cells = ctx.cells(rows, "organization_id", "n")
    if community_installed():
        from community.models import Attendance, EventHeadcount

        listed = ctx.grouped(
            Attendance.objects.filter(
                event__organization_id__in=ctx.org_ids,
                event__territory_id=ctx.project.territory_id,
                attended=True,
            ),
            date_field="occurrence_start",
            is_datetime=True,
            org_field="event__organization_id",
            aggregates={"n": Count("id")},
        )
        counted = ctx.grouped(
            EventHeadcount.objects.filter(
                event__organization_id__in=ctx.org_ids,
                event__territory_id=ctx.project.territory_id,
            ),
            date_field="occurrence_start",
            is_datetime=True,
            org_field="event__organization_id",
            aggregates={"n": Sum("anonymous_count")},
        )
        cells += ctx.cells(listed, "event__organization_id", "n")
        cells += ctx.cells(counted, "event__organization_id", "n")
    return cells


def _community_centres(ctx: Context) -> list[Cell]:
    if not community_installed():
        return []
    from community.models import CommunityCentre

    # A centre without an opening date counts as operating from the start.
    return ctx.active_in_periods(
        CommunityCentre.objects.filter(
            organization_id__in=ctx.org_ids, territory_id=ctx.project.territory_id
        ),
        org_field="organization_id",
        since="opened_on",
        until="closed_on",
        aggregate=lambda active: Count("id", filter=active),
        open_start=True,
    )


def _services_supported(ctx: Context) -> list[Cell]:
    return ctx.active_in_periods(
        ProjectService.objects.filter(project=ctx.project),
        org_field="service__organization_id",
        since="since",
        until="until",
        aggregate=lambda active: Count("id", filter=active),
    )


def _services_capacity(ctx: Context) -> list[Cell]:
    return ctx.active_in_periods(
        ProjectService.objects.filter(
            project=ctx.project,
            service__registered_capacities__capacity_type__code__in=CAPACITY_TYPES,
        ),
        org_field="service__organization_id",
        since="since",
        until="until",
        aggregate=lambda active: Sum("service__registered_capacities__count", filter=active),
    )


SOURCES: dict[str, Callable[[Context], list[Cell]]] = {
    Indicator.Source.PARTICIPANTS: _participants,
    Indicator.Source.SUPPORT_RECORDS: _support_records,
    Indicator.Source.SUPPORT_HOURS: _support_hours,
    Indicator.Source.HELP_REQUESTS: _help_requests,
    Indicator.Source.REFERRALS_COMPLETED: _referrals_completed,
    Indicator.Source.MEETINGS_HELD: _meetings_held,
    Indicator.Source.MEETING_ATTENDANCE: _meeting_attendance,
    Indicator.Source.COMMUNITY_LEADERS: _community_leaders,
    Indicator.Source.EVENTS_HELD: _events_held,
    Indicator.Source.EVENT_ATTENDANCE: _event_attendance,
    Indicator.Source.SERVICES_SUPPORTED: _services_supported,
    Indicator.Source.SERVICES_CAPACITY: _services_capacity,
    Indicator.Source.COMMUNITY_CENTRES: _community_centres,
}
# Sources that need the community app; without it they count nothing.
COMMUNITY_SOURCES = frozenset(
    {
        Indicator.Source.MEETINGS_HELD,
        Indicator.Source.MEETING_ATTENDANCE,
        Indicator.Source.COMMUNITY_LEADERS,
        Indicator.Source.COMMUNITY_CENTRES,
    }
)


# --- results -------------------------------------------------------------------------------------


class Status:
    """Where an indicator stands against its target (see `pace_status`)."""

    NO_TARGET = "no_target"
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    NOT_STARTED = "not_started"
    MISSED = "missed"


def pace_status(
    *,
    value: Decimal,
    baseline: Decimal,
    target: Decimal | None,
    start: date,
    end: date,
    today: date,
) -> str:
    """Is the target within reach at the pace so far?

    The pace is what was achieved above the baseline per day since the start; the
    indicator is at risk when that pace, kept up for the days left, does not cover what
    remains. Before the start nothing is judged; after the end it is achieved or missed.
    """
    if target is None:
        return Status.NO_TARGET
    if value >= target:
        return Status.ACHIEVED
    if today < start:
        return Status.NOT_STARTED
    if today > end:
        return Status.MISSED
    elapsed = (today - start).days + 1
    days_left = (end - today).days
    pace = (value - baseline) / elapsed
    return Status.AT_RISK if value + pace * days_left < target else Status.ON_TRACK


STATUS_LABELS = {
    Status.NO_TARGET: _("bez cílové hodnoty"),
    Status.ACHIEVED: _("splněno"),
    Status.ON_TRACK: _("daří se"),
    Status.AT_RISK: _("ohroženo"),
    Status.NOT_STARTED: _("projekt ještě nezačal"),
    Status.MISSED: _("nesplněno"),
}


@dataclass
class IndicatorResult:
    indicator: Indicator
    periods: list[ReportingPeriod]
    by_period: dict[int, Decimal] = field(default_factory=dict)  # period index → value
    cells: dict[tuple[object, int], Decimal] = field(default_factory=dict)  # (org, index)
    by_partner: dict[object, Decimal] = field(default_factory=dict)  # org → value to date
    value: Decimal = ZERO  # for the project, to date
    status: str = Status.NO_TARGET
    frozen: set[int] = field(default_factory=set)  # indices of locked periods
    pending: int = 0  # manual values waiting for approval
    partner_targets: dict[object, Decimal] = field(default_factory=dict)
    period_targets: dict[int, Decimal] = field(default_factory=dict)

    @property
    def target(self) -> Decimal | None:
        return self.indicator.target

    @property
    def progress(self) -> float | None:
        """Share of the way from the baseline to the target (may exceed 1)."""
        target, baseline = self.indicator.target, self.indicator.baseline
        if target is None or target == baseline:
            return None
        return float((self.value - baseline) / (target - baseline))

    @property
    def percent(self) -> int | None:
        progress = self.progress
        return None if progress is None else round(progress * 100)

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    def period_value(self, index: int) -> Decimal:
        return self.by_period.get(index, ZERO)

    def cell(self, org_id, index: int) -> Decimal:
        return self.cells.get((org_id, index), ZERO)


def _frozen_cells(
    indicators: list[Indicator], periods: list[ReportingPeriod]
) -> dict[object, dict[int, dict[object, Decimal]]]:
    """Snapshots of locked periods: indicator id → period index → org (None = total)."""
    index_of = {p.pk: i for i, p in enumerate(periods) if p.is_locked}
    frozen: dict = defaultdict(lambda: defaultdict(dict))
    if not index_of:
        return frozen
    rows = IndicatorValue.objects.filter(
        indicator__in=indicators, period_id__in=index_of, is_snapshot=True
    ).values_list("indicator_id", "period_id", "organization_id", "value")
    for indicator_id, period_id, org_id, value in rows:
        frozen[indicator_id][index_of[period_id]][org_id] = value
    return frozen


def compute_cells(project: Project, indicator: Indicator, ctx: Context) -> list[Cell]:
    """Live cells of one indicator (manual: its approved values)."""
    if indicator.is_manual:
        index_of = {p.pk: i for i, p in enumerate(ctx.periods)}
        rows = ctx.memo(
            "manual",
            lambda: list(
                IndicatorValue.objects.filter(
                    indicator__project=project,
                    indicator__kind=Indicator.Kind.MANUAL,
                    is_snapshot=False,
                    status=IndicatorValue.Status.APPROVED,
                ).values_list("indicator_id", "period_id", "organization_id", "value")
            ),
        )
        return [
            (org_id, index_of[period_id], value)
            for indicator_id, period_id, org_id, value in rows
            if indicator_id == indicator.pk and period_id in index_of
        ]
    source = SOURCES.get(indicator.source)
    return source(ctx) if source else []


def compute_project(
    project: Project,
    *,
    indicators: Iterable[Indicator] | None = None,
    today: date | None = None,
    live: bool = False,
) -> list[IndicatorResult]:
    """Every indicator of the project with its values per period and partner.

    `live=True` ignores the values frozen in locked periods (used when locking one).
    """
    today = today or timezone.localdate()
    periods = list(project.periods.order_by("number"))
    indicators = list(
        indicators if indicators is not None else project.indicators.order_by("order", "code")
    )
    ctx = Context(project, periods)
    frozen = {} if live else _frozen_cells(indicators, periods)
    current = current_period_index(periods, today)
    pending = dict(
        IndicatorValue.objects.filter(
            indicator__in=indicators, is_snapshot=False, status=IndicatorValue.Status.SUBMITTED
        )
        .values_list("indicator_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    index_of = {p.pk: i for i, p in enumerate(periods)}
    targets: dict = defaultdict(list)
    for target in IndicatorTarget.objects.filter(indicator__in=indicators):
        targets[target.indicator_id].append(target)

    results = []
    for indicator in indicators:
        result = IndicatorResult(indicator=indicator, periods=periods)
        cells: dict[tuple[object, int], Decimal] = defaultdict(Decimal)
        totals: dict[int, Decimal] = defaultdict(Decimal)
        for org_id, index, value in compute_cells(project, indicator, ctx):
            totals[index] += value
            if org_id is not None:
                cells[(org_id, index)] += value
        locked = frozen.get(indicator.pk, {}) if not indicator.is_manual else {}
        for index, by_org in locked.items():
            for key in [k for k in cells if k[1] == index]:
                del cells[key]
            totals[index] = by_org.get(None, ZERO)
            for org_id, value in by_org.items():
                if org_id is not None:
                    cells[(org_id, index)] = value
            result.frozen.add(index)
        if not indicator.is_manual:
            result.frozen |= {i for i, p in enumerate(periods) if p.is_locked}
        result.cells = dict(cells)
        result.by_period = dict(totals)
        reached = [i for i in range(len(periods)) if current is not None and i <= current]
        if indicator.aggregation == Indicator.Aggregation.LAST:
            result.value = totals.get(current, ZERO) if current is not None else ZERO
            result.by_partner = {
                org: value for (org, index), value in cells.items() if index == current
            }
        else:
            result.value = sum((totals.get(i, ZERO) for i in reached), ZERO)
            by_partner: dict = defaultdict(Decimal)
            for (org, index), value in cells.items():
                if index in reached:
                    by_partner[org] += value
            result.by_partner = dict(by_partner)
        result.status = pace_status(
            value=result.value,
            baseline=indicator.baseline,
            target=indicator.target,
            start=project.start_date,
            end=project.end_date,
            today=today,
        )
        result.pending = pending.get(indicator.pk, 0)
        for target in targets.get(indicator.pk, []):
            if target.period_id is None:
                result.partner_targets[target.organization_id] = target.target
            elif target.organization_id is None and target.period_id in index_of:
                result.period_targets[index_of[target.period_id]] = target.target
        results.append(result)
    return results


def values_for_period(
    project: Project, period: ReportingPeriod, *, live: bool = True
) -> dict[object, dict[object, Decimal]]:
    """Computed indicators' values in one period: indicator id → org (None = total)."""
    index = next(i for i, p in enumerate(project.periods.order_by("number")) if p.pk == period.pk)
    out: dict = {}
    computed = project.indicators.filter(kind=Indicator.Kind.COMPUTED)
    for result in compute_project(project, indicators=computed, live=live):
        values = {org: value for (org, i), value in result.cells.items() if i == index}
        values[None] = result.period_value(index)
        out[result.indicator.pk] = values
    return out
