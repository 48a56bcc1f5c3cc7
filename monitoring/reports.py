"""Reports: the participant export (CSV, XLSX), the "ZoR annex" (XLSX and printable HTML),
the participant summary, the community-planning report of unmet demand and the region's
view of a funded network.

Figures are aggregated in the database; Python only lays them out. The column layout of
the participant export is documented in docs/participants-export.md — change both
together.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncQuarter
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from directory.models import CapacityReport, RegisteredCapacity, Service, ServiceAtLocation
from monitoring.indicators import (
    ZERO,
    IndicatorResult,
    community_installed,
    compute_project,
    day_start,
    project_organization_ids,
)
from monitoring.models import Activity, Participant, Project, ReportingPeriod, ServiceStatistics
from referrals.models import Referral, ReferralEvent
from territory.models import Territory

# --- the participant export ------------------------------------------------------------------

AGE_BANDS = (("under_18", None, 17), ("18_29", 18, 29), ("30_54", 30, 54), ("55_plus", 55, None))
EDUCATION_BANDS = {
    "isced_0": "isced_0_2",
    "isced_1": "isced_0_2",
    "isced_2": "isced_0_2",
    "isced_3": "isced_3_4",
    "isced_4": "isced_3_4",
    "isced_5_8": "isced_5_8",
}


def age_band(age: int | None) -> str:
    if age is None:
        return ""
    for name, low, high in AGE_BANDS:
        if (low is None or age >= low) and (high is None or age <= high):
            return name
    return ""


@dataclass(frozen=True)
class Column:
    key: str
    description: str
    values: str = ""


# The documented layout (docs/participants-export.md), in order.
PARTICIPANT_COLUMNS: tuple[Column, ...] = (
    Column("participant_id", gettext_lazy("identifikátor účastníka ve Spojce (UUID)")),
    Column("registration_number", gettext_lazy("registrační číslo projektu")),
    Column("organization_ico", gettext_lazy("IČO organizace, která osobu eviduje")),
    Column("organization_name", gettext_lazy("název organizace, která osobu eviduje")),
    Column("person_name", gettext_lazy("jméno nebo pseudonym osoby")),
    Column("is_pseudonym", gettext_lazy("jméno je pseudonym"), "1, 0"),
    Column("entered_on", gettext_lazy("datum vstupu do projektu"), "RRRR-MM-DD"),
    Column("left_on", gettext_lazy("datum odchodu z projektu"), "RRRR-MM-DD"),
    Column("gender", gettext_lazy("pohlaví"), "female, male, non_binary"),
    Column("birth_year", gettext_lazy("rok narození")),
    Column("age_at_entry", gettext_lazy("věk při vstupu (rok vstupu − rok narození)")),
    Column(
        "age_band", gettext_lazy("věková skupina podle ESF+"), "under_18, 18_29, 30_54, 55_plus"
    ),
    Column(
        "labour_status",
        gettext_lazy("postavení na trhu práce"),
        "employed, unemployed, long_term_unemployed, inactive",
    ),
    Column(
        "education",
        gettext_lazy("nejvyšší dosažené vzdělání"),
        "isced_0, isced_1, isced_2, isced_3, isced_4, isced_5_8",
    ),
    Column(
        "education_band",
        gettext_lazy("skupina vzdělání podle ESF+"),
        "isced_0_2, isced_3_4, isced_5_8",
    ),
    Column("disability", gettext_lazy("osoba se zdravotním postižením"), "yes, no, refused"),
    Column(
        "third_country_national", gettext_lazy("státní příslušník třetí země"), "yes, no, refused"
    ),
    Column("foreign_background", gettext_lazy("osoba cizího původu"), "yes, no, refused"),
    Column(
        "minority",
        gettext_lazy("příslušník menšiny (včetně marginalizovaných komunit)"),
        "yes, no, refused",
    ),
    Column("homeless", gettext_lazy("bez domova nebo vyloučen/a z bydlení"), "yes, no, refused"),
    Column("rural_area", gettext_lazy("z venkovské oblasti"), "yes, no"),
    Column(
        "rural_area_source", gettext_lazy("jak byla venkovská oblast určena"), "derived, worker"
    ),
    Column("municipality_code", gettext_lazy("kód obce bydliště (ČSÚ)")),
    Column("municipality_name", gettext_lazy("název obce bydliště")),
    Column("card_complete", gettext_lazy("karta je úplná"), "1, 0"),
    Column("missing_items", gettext_lazy("chybějící položky karty (klíče oddělené středníkem)")),
    Column("support_records", gettext_lazy("počet záznamů podpory")),
    Column("support_hours", gettext_lazy("hodiny podpory celkem")),
)
PARTICIPANT_HEADER = [column.key for column in PARTICIPANT_COLUMNS]


PARTICIPANT_FIELDS = (
    "id",
    "project__registration_number",
    "organization__ico",
    "organization__name",
    "person__name",
    "person__is_pseudonym",
    "entered_on",
    "left_on",
    "gender",
    "birth_year",
    "age_at_entry",
    "labour_status",
    "education",
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
    "rural_area_source",
    "person__municipality_id",
    "person__municipality__name",
)
CARD_ITEMS = (*Participant.REQUIRED, *Participant.SENSITIVE)


def participant_rows(queryset: QuerySet[Participant]) -> Iterator[list]:
    """One list of values per participant, in the documented column order.

    Plain values, no model instances; the records and hours of support come from one
    grouped query over the index on (participant, hours), not from a query per card.
    """
    support = {
        participant_id: (records, hours)
        for participant_id, records, hours in Activity.objects.filter(
            participant__in=queryset.values("pk")
        )
        .values("participant")
        .annotate(n=Count("*"), h=Sum("hours"))
        .order_by()
        .values_list("participant", "n", "h")
    }
    rows = queryset.order_by("entered_on", "id").values_list(*PARTICIPANT_FIELDS)
    position = {name: i for i, name in enumerate(PARTICIPANT_FIELDS)}
    items = [(name, position[name]) for name in CARD_ITEMS]
    for row in rows.iterator(chunk_size=5000):
        missing = [name for name, i in items if row[i] in ("", None)]
        (pk, number, ico, org_name, name, pseudonym, entered, left, gender, birth_year, age) = row[
            :11
        ]
        records, hours = support.get(pk, (0, None))
        yield [
            str(pk),
            number,
            ico,
            org_name,
            name,
            int(pseudonym),
            entered.isoformat(),
            left.isoformat() if left else "",
            gender,
            birth_year if birth_year is not None else "",
            age if age is not None else "",
            age_band(age),
            row[11],
            row[12],
            EDUCATION_BANDS.get(row[12], ""),
            *row[13:20],
            row[20] if row[20] is not None else "",
            row[21] or "",
            int(not missing),
            ";".join(missing),
            records,
            hours if hours is not None else Decimal(0),
        ]


def _safe_text(value):
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


ProgressCallback = Callable[[int, int], None]


def write_participants_csv(
    queryset: QuerySet[Participant], out, *, progress: ProgressCallback | None = None
) -> int:
    """UTF-8 with a byte-order mark, comma-separated, header of column keys."""
    total = queryset.count() if progress else 0
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(PARTICIPANT_HEADER)
    done = 0
    for row in participant_rows(queryset):
        writer.writerow([_safe_text(v) for v in row])
        done += 1
        if progress and done % 1000 == 0:
            progress(done, total)
    if progress:
        progress(done, total)
    return done


def write_participants_xlsx(
    queryset: QuerySet[Participant], out, *, progress: ProgressCallback | None = None
) -> int:
    """Sheet "ucastnici" in the documented layout, sheet "sloupce" describing it."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    total = queryset.count() if progress else 0
    book = Workbook(write_only=True)
    sheet = book.create_sheet("ucastnici")
    sheet.freeze_panes = "A2"
    sheet.append(PARTICIPANT_HEADER)
    text_columns = {4}  # person_name: free text a person typed
    done = 0
    for row in participant_rows(queryset):
        for index in text_columns:
            value = row[index]
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"  # text, never a formula
                row[index] = cell
        # An empty item is an empty cell (openpyxl writes nothing for None).
        sheet.append([None if value == "" else value for value in row])
        done += 1
        if progress and done % 1000 == 0:
            progress(done, total)
    legend = book.create_sheet("sloupce")
    legend.append([_("sloupec"), _("význam"), _("hodnoty")])
    for column in PARTICIPANT_COLUMNS:
        legend.append([column.key, str(column.description), column.values])
    book.save(out)
    if progress:
        progress(done, total)
    return done


# --- participant summary (ESF+ common indicators) --------------------------------------------


def _summary_aggregates() -> dict:
    P = Participant
    aggregates = {
        "total": Count("id"),
        "female": Count("id", filter=Q(gender=P.Gender.FEMALE)),
        "male": Count("id", filter=Q(gender=P.Gender.MALE)),
        "non_binary": Count("id", filter=Q(gender=P.Gender.NON_BINARY)),
        "unemployed": Count(
            "id",
            filter=Q(
                labour_status__in=[P.LabourStatus.UNEMPLOYED, P.LabourStatus.LONG_TERM_UNEMPLOYED]
            ),
        ),
        "long_term_unemployed": Count(
            "id", filter=Q(labour_status=P.LabourStatus.LONG_TERM_UNEMPLOYED)
        ),
        "inactive": Count("id", filter=Q(labour_status=P.LabourStatus.INACTIVE)),
        "employed": Count("id", filter=Q(labour_status=P.LabourStatus.EMPLOYED)),
        "isced_0_2": Count("id", filter=Q(education__in=["isced_0", "isced_1", "isced_2"])),
        "isced_3_4": Count("id", filter=Q(education__in=["isced_3", "isced_4"])),
        "isced_5_8": Count("id", filter=Q(education="isced_5_8")),
        "rural": Count("id", filter=Q(rural_area=P.Rural.YES)),
    }
    for name, low, high in AGE_BANDS:
        condition = Q()
        if low is not None:
            condition &= Q(age_at_entry__gte=low)
        if high is not None:
            condition &= Q(age_at_entry__lte=high)
        aggregates[f"age_{name}"] = Count("id", filter=condition & Q(age_at_entry__isnull=False))
    for item in P.SENSITIVE:
        aggregates[item] = Count("id", filter=Q(**{item: P.Answer.YES}))
        aggregates[f"{item}_refused"] = Count("id", filter=Q(**{item: P.Answer.REFUSED}))
    incomplete = Q()
    for item in (*P.REQUIRED, *P.SENSITIVE):
        incomplete |= Q(**{f"{item}__isnull": True}) if item == "birth_year" else Q(**{item: ""})
    aggregates["incomplete"] = Count("id", filter=incomplete)
    return aggregates


SUMMARY_ROWS: tuple[tuple[str, object], ...] = (
    ("total", gettext_lazy("Celkový počet účastníků (6 00 00)")),
    ("female", gettext_lazy("ženy")),
    ("male", gettext_lazy("muži")),
    ("non_binary", gettext_lazy("nebinární osoby")),
    ("unemployed", gettext_lazy("nezaměstnaní, včetně dlouhodobě nezaměstnaných")),
    ("long_term_unemployed", gettext_lazy("dlouhodobě nezaměstnaní")),
    ("inactive", gettext_lazy("neaktivní osoby")),
    ("employed", gettext_lazy("zaměstnaní, včetně OSVČ")),
    ("age_under_18", gettext_lazy("mladší 18 let")),
    ("age_18_29", gettext_lazy("ve věku 18–29 let")),
    ("age_30_54", gettext_lazy("ve věku 30–54 let")),
    ("age_55_plus", gettext_lazy("ve věku 55 a více let")),
    ("isced_0_2", gettext_lazy("se základním nebo nižším vzděláním (ISCED 0–2)")),
    ("isced_3_4", gettext_lazy("se středním nebo nástavbovým vzděláním (ISCED 3–4)")),
    ("isced_5_8", gettext_lazy("s vyšším odborným nebo vysokoškolským vzděláním (ISCED 5–8)")),
    ("disability", gettext_lazy("osoby se zdravotním postižením")),
    ("disability_refused", gettext_lazy("… údaj o zdravotním postižení odmítli uvést")),
    ("third_country_national", gettext_lazy("státní příslušníci třetích zemí")),
    ("third_country_national_refused", gettext_lazy("… údaj o státní příslušnosti odmítli uvést")),
    ("foreign_background", gettext_lazy("osoby cizího původu")),
    ("foreign_background_refused", gettext_lazy("… údaj o původu odmítli uvést")),
    ("minority", gettext_lazy("příslušníci menšin (včetně marginalizovaných komunit)")),
    ("minority_refused", gettext_lazy("… údaj o příslušnosti k menšině odmítli uvést")),
    ("homeless", gettext_lazy("osoby bez domova nebo vyloučené z bydlení")),
    ("homeless_refused", gettext_lazy("… údaj o bydlení odmítli uvést")),
    ("rural", gettext_lazy("osoby z venkovských oblastí")),
    ("incomplete", gettext_lazy("karty, kterým chybí některý údaj")),
)


def participant_summary(project: Project, *, start: date | None = None, end: date | None = None):
    """Counts of participants who entered between `start` and `end` (inclusive)."""
    queryset = Participant.objects.filter(project=project)
    if start is not None:
        queryset = queryset.filter(entered_on__gte=start)
    if end is not None:
        queryset = queryset.filter(entered_on__lte=end)
    # Aliases must not shadow the card's fields ("disability") that the filters name.
    counts = queryset.aggregate(**{f"n_{k}": v for k, v in _summary_aggregates().items()})
    return {key[2:]: value for key, value in counts.items()}


# --- activities ---------------------------------------------------------------------------------


def activity_breakdown(project: Project, *, start: date | None = None, end: date | None = None):
    """Per key activity and partner: records, hours and distinct participants."""
    queryset = Activity.objects.filter(project=project)
    if start is not None:
        queryset = queryset.filter(date__gte=start)
    if end is not None:
        queryset = queryset.filter(date__lte=end)
    return list(
        queryset.values(
            "key_activity__code", "key_activity__name", "organization__name", "organization_id"
        )
        .annotate(
            records=Count("id"),
            hours=Sum("hours"),
            participants=Count("participant", distinct=True),
        )
        .order_by("key_activity__code", "organization__name")
    )


# --- meetings and events -----------------------------------------------------------------------


def meetings_with_attendance(project: Project, *, start: date, end: date) -> list[dict]:
    """Community meetings held by the project's organisations in the territory."""
    if not community_installed():
        return []
    from community.models import Meeting

    meetings = (
        Meeting.objects.filter(
            organization_id__in=project_organization_ids(project),
            territory_id=project.territory_id,
            status="held",
            held_at__gte=day_start(start),
            held_at__lt=day_start(end + timedelta(days=1)),
        )
        .annotate(recorded=Count("attendances", filter=Q(attendances__attended=True)))
        .select_related("organization")
        .order_by("held_at")
    )
    out = []
    for meeting in meetings:
        anonymous = meeting.anonymous_count or 0
        out.append(
            {
                "held_at": timezone.localtime(meeting.held_at),
                "title": meeting.title,
                "organization": meeting.organization.name,
                "recorded": meeting.recorded,
                "anonymous": anonymous,
                "total": meeting.recorded + anonymous,
            }
        )
    return out


def events_with_attendance(project: Project, *, start: date, end: date) -> list[dict]:
    from events.models import Event, Registration

    attended = (
        Registration.objects.filter(event=OuterRef("pk"), attended=True)
        .values("event")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        Event.objects.filter(
            organization_id__in=project_organization_ids(project),
            territory_id=project.territory_id,
            status=Event.Status.PUBLISHED,
            start__gte=day_start(start),
            start__lt=day_start(end + timedelta(days=1)),
        )
        .annotate(attended=Coalesce(Subquery(attended, output_field=IntegerField()), 0))
        .values("title", "start", "organization__name", "kind", "attended")
        .order_by("start")
    )


# --- the ZoR annex ------------------------------------------------------------------------------


@dataclass
class ZorAnnex:
    project: Project
    period: ReportingPeriod
    results: list[IndicatorResult]
    index: int
    summary_period: dict
    summary_total: dict
    activities: list[dict]
    meetings: list[dict]
    events: list[dict]
    community: bool
    incomplete_cards: int
    generated_at: object = field(default_factory=timezone.now)

    def indicator_rows(self) -> list[dict]:
        rows = []
        for result in self.results:
            indicator = result.indicator
            rows.append(
                {
                    "code": indicator.code,
                    "name": indicator.name,
                    "unit": indicator.unit,
                    "kind": indicator.get_kind_display(),
                    "baseline": indicator.baseline,
                    "target": indicator.target,
                    "target_invented": indicator.target_invented,
                    "period_value": result.period_value(self.index),
                    "value": result.value,
                    "percent": result.percent,
                    "status": result.status_label,
                    "locked": self.index in result.frozen,
                    "pending": result.pending,
                }
            )
        return rows

    def summary_rows(self) -> list[tuple[str, int, int]]:
        return [
            (str(label), self.summary_period[key], self.summary_total[key])
            for key, label in SUMMARY_ROWS
        ]


def zor_annex(project: Project, period: ReportingPeriod) -> ZorAnnex:
    periods = list(project.periods.order_by("number"))
    index = next(i for i, p in enumerate(periods) if p.pk == period.pk)
    results = compute_project(project, today=period.end)
    summary_total = participant_summary(project, end=period.end)
    return ZorAnnex(
        project=project,
        period=period,
        results=results,
        index=index,
        summary_period=participant_summary(project, start=period.start, end=period.end),
        summary_total=summary_total,
        activities=activity_breakdown(project, start=period.start, end=period.end),
        meetings=meetings_with_attendance(project, start=period.start, end=period.end),
        events=events_with_attendance(project, start=period.start, end=period.end),
        community=community_installed(),
        incomplete_cards=summary_total["incomplete"],
    )


def _number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def write_zor_xlsx(annex: ZorAnnex, out) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    project, period = annex.project, annex.period

    sheet = book.active
    sheet.title = _("Indikátory")
    sheet.append([_("Příloha zprávy o realizaci – %(name)s") % {"name": project.name}])
    sheet["A1"].font = bold
    sheet.append([_("Registrační číslo"), project.registration_number])
    sheet.append([_("Monitorovací období"), str(period)])
    sheet.append(
        [
            _("Stav období"),
            _("uzamčeno (vykázáno)") if period.is_locked else _("otevřené, hodnoty se mohou měnit"),
        ]
    )
    sheet.append([])
    header = [
        _("Kód"),
        _("Název"),
        _("Jednotka"),
        _("Způsob zjištění"),
        _("Výchozí hodnota"),
        _("Cílová hodnota"),
        _("Za období"),
        _("Kumulativně ke konci období"),
        _("Plnění (%)"),
        _("Stav"),
        _("Poznámka"),
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in annex.indicator_rows():
        notes = []
        if row["target_invented"]:
            notes.append(_("cílová hodnota doplněna pro ukázku"))
        if row["pending"]:
            pending = row["pending"]
            notes.append(
                ngettext(
                    "%(n)s hodnota čeká na schválení", "%(n)s hodnot čeká na schválení", pending
                )
                % {"n": pending}
            )
        sheet.append(
            [
                row["code"],
                row["name"],
                row["unit"],
                row["kind"],
                _number(row["baseline"]),
                _number(row["target"]),
                _number(row["period_value"]),
                _number(row["value"]),
                row["percent"],
                row["status"],
                "; ".join(notes),
            ]
        )

    sheet = book.create_sheet(_("Účastníci"))
    sheet.append([_("Souhrn účastníků (společné indikátory ESF+)"), _("Za období"), _("Celkem")])
    for cell in sheet[1]:
        cell.font = bold
    for label, in_period, total in annex.summary_rows():
        sheet.append([label, in_period, total])
    if annex.incomplete_cards:
        sheet.append([])
        sheet.append(
            [
                ngettext(
                    "Pozor: %(n)s karta účastníka není úplná; doplňte ji před odevzdáním zprávy.",
                    "Pozor: %(n)s karet účastníků není úplných; doplňte je před odevzdáním zprávy.",
                    annex.incomplete_cards,
                )
                % {"n": annex.incomplete_cards}
            ]
        )

    sheet = book.create_sheet(_("Aktivity"))
    sheet.append(
        [_("Klíčová aktivita"), _("Organizace"), _("Záznamy podpory"), _("Hodiny"), _("Osoby")]
    )
    for cell in sheet[1]:
        cell.font = bold
    for row in annex.activities:
        activity = " ".join(filter(None, [row["key_activity__code"], row["key_activity__name"]]))
        sheet.append(
            [
                activity or _("bez klíčové aktivity"),
                row["organization__name"],
                row["records"],
                _number(row["hours"] or ZERO),
                row["participants"],
            ]
        )

    sheet = book.create_sheet(_("Setkání"))
    sheet.append(
        [
            _("Datum"),
            _("Setkání"),
            _("Organizace"),
            _("Zaznamenaní účastníci"),
            _("Anonymní účastníci"),
            _("Účast celkem"),
        ]
    )
    for cell in sheet[1]:
        cell.font = bold
    for row in annex.meetings:
        sheet.append(
            [
                row["held_at"].replace(tzinfo=None),
                row["title"],
                row["organization"],
                row["recorded"],
                row["anonymous"],
                row["total"],
            ]
        )
    if not annex.community:
        sheet.append([_("Komunitní setkání se ve Spojce zatím nevedou.")])
    sheet.append([])
    sheet.append([pgettext("událost", "Akce"), "", _("Organizace"), _("Zaznamenaná účast")])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for row in annex.events:
        sheet.append(
            [
                timezone.localtime(row["start"]).replace(tzinfo=None),
                row["title"],
                row["organization__name"],
                row["attended"],
            ]
        )
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 28
        sheet.column_dimensions["B"].width = 48
    book.save(out)


def zor_xlsx_bytes(annex: ZorAnnex) -> bytes:
    buffer = io.BytesIO()
    write_zor_xlsx(annex, buffer)
    return buffer.getvalue()


# --- community planning: unmet demand --------------------------------------------------------


@dataclass
class DemandRow:
    service_type: str
    municipality: str
    values: list[int]

    @property
    def total(self) -> int:
        return sum(self.values)


@dataclass
class UnmetDemand:
    territory: Territory
    buckets: list[date]
    bucket_labels: list[str]
    declines: list[DemandRow]
    waiting: list[DemandRow]
    by_type: list[tuple[str, int, int]]  # service type, declines, waiting at the end


def quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def quarter_buckets(start: date, end: date) -> list[date]:
    buckets = []
    cursor = quarter_start(start)
    while cursor <= end:
        buckets.append(cursor)
        month = cursor.month + 3
        cursor = date(cursor.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return buckets


def quarter_label(day: date) -> str:
    return _("%(q)s. čtvrtletí %(year)s") % {"q": (day.month - 1) // 3 + 1, "year": day.year}


def _seat_municipality_name():
    return Subquery(
        ServiceAtLocation.objects.filter(service=OuterRef("pk"))
        .order_by("location__name", "location_id")
        .values("location__municipality__name")[:1]
    )


def unmet_demand(territory: Territory, *, start: date, end: date) -> UnmetDemand:
    """Declines for want of capacity (Referral.UNMET_DEMAND_REASONS) and waiting lists of
    the territory's services, by service type, obec and quarter.

    A decline counts where the person lives (the obec of the person, else of the help
    request); a waiting list counts at the service's seat and is the newest capacity
    report at the end of each quarter.
    """
    buckets = quarter_buckets(start, end)
    index_of = {b: i for i, b in enumerate(buckets)}
    in_territory = Q(referral__territory=territory) | Q(
        referral__territory__isnull=True,
        referral__person__municipality__in=territory.municipalities.all(),
    )
    decline_rows = (
        ReferralEvent.objects.filter(
            in_territory,
            to_status=Referral.Status.DECLINED,
            reason__in=Referral.UNMET_DEMAND_REASONS,
            at__gte=day_start(buckets[0]),
            at__lt=day_start(end + timedelta(days=1)),
        )
        .annotate(
            quarter=TruncQuarter("at"),
            type_name=F("referral__service__service_type__name"),
            obec=Coalesce(
                "referral__person__municipality__name",
                "referral__help_request__municipality__name",
                Value(""),
            ),
        )
        .values("quarter", "type_name", "obec")
        .annotate(n=Count("referral", distinct=True))
        .order_by()
    )
    declines: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(buckets))
    for row in decline_rows:
        quarter = row["quarter"]
        day = timezone.localtime(quarter).date() if isinstance(quarter, datetime) else quarter
        i = index_of.get(day)
        if i is None:
            continue
        declines[(row["type_name"], row["obec"])][i] += row["n"]

    services = Service.objects.in_territory(territory)
    waiting: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(buckets))
    for i, bucket in enumerate(buckets):
        month = bucket.month + 3
        following = date(bucket.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
        newest = (
            CapacityReport.objects.filter(
                service=OuterRef("pk"),
                reported_at__lt=day_start(min(following, end + timedelta(days=1))),
            )
            .order_by("-reported_at")
            .values("waiting_list")[:1]
        )
        rows = (
            services.annotate(
                waiting=Subquery(newest, output_field=IntegerField()),
                obec=_seat_municipality_name(),
                type_name=F("service_type__name"),
            )
            .filter(waiting__gt=0)
            .values("type_name", "obec")
            .annotate(n=Sum("waiting"))
            .order_by()
        )
        for row in rows:
            waiting[(row["type_name"], row["obec"] or "")][i] += row["n"]

    def as_rows(table):
        return [
            DemandRow(service_type=t, municipality=m, values=v)
            for (t, m), v in sorted(table.items(), key=lambda item: (item[0][0], item[0][1]))
        ]

    types: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for (type_name, _m), values in declines.items():
        types[type_name][0] += sum(values)
    for (type_name, _m), values in waiting.items():
        types[type_name][1] += values[-1] if values else 0
    return UnmetDemand(
        territory=territory,
        buckets=buckets,
        bucket_labels=[quarter_label(b) for b in buckets],
        declines=as_rows(declines),
        waiting=as_rows(waiting),
        by_type=sorted(((t, d, w) for t, (d, w) in types.items()), key=lambda r: (-r[1], r[0])),
    )


# --- the region's view of a funded network -----------------------------------------------------


@dataclass
class NetworkRow:
    period: ReportingPeriod
    service_type: str
    district: str
    services: int
    clients: int
    contacts: int
    interventions: int
    refused: int
    refused_capacity: int
    waiting: int
    peak: int
    capacity_clients: int
    bed_days: int
    bed_capacity_days: int

    @property
    def utilisation(self) -> int | None:
        """Use of registered capacity in per cent: people at once against clients'
        capacity, and occupied bed-days against beds × days, together."""
        used = self.peak + self.bed_days
        available = self.capacity_clients + self.bed_capacity_days
        return round(100 * used / available) if available else None


def _capacity_subquery(form_codes: Iterable[str], type_codes: Iterable[str]):
    return Coalesce(
        Subquery(
            RegisteredCapacity.objects.filter(
                service=OuterRef("service"),
                form__code__in=list(form_codes),
                capacity_type__code__in=list(type_codes),
            )
            .values("service")
            .annotate(s=Sum("count"))
            .values("s"),
            output_field=IntegerField(),
        ),
        0,
    )


def network_view(project: Project) -> list[NetworkRow]:
    """Submitted and draft statistics of the funded services, summed by period, service
    type and okres (of the service's seat), with utilisation of registered capacity."""
    district = Subquery(
        ServiceAtLocation.objects.filter(service=OuterRef("service"))
        .order_by("location__name", "location_id")
        .values("location__municipality__district__name")[:1]
    )
    rows = (
        ServiceStatistics.objects.filter(period__project=project)
        .annotate(
            district=district,
            cap_clients=_capacity_subquery(("amb", "ter"), ("klient",)),
            cap_beds=_capacity_subquery(("pob",), ("luzka",)),
        )
        .values("period_id", "service__service_type__name", "district")
        .annotate(
            services=Count("service", distinct=True),
            clients=Sum("clients_total"),
            contacts=Sum(F("contacts_amb") + F("contacts_ter")),
            interventions=Sum(
                F("interventions_amb") + F("interventions_ter") + F("interventions_pob")
            ),
            refused=Sum(F("refused_capacity") + F("refused_target_group") + F("refused_other")),
            refused_capacity=Sum("refused_capacity"),
            waiting=Sum("waiting_list_end"),
            peak=Sum(F("peak_amb") + F("peak_ter")),
            capacity_clients=Sum("cap_clients"),
            bed_days=Sum("bed_days"),
            beds=Sum("cap_beds"),
        )
        .order_by()
    )
    periods = {p.pk: p for p in project.periods.all()}
    out = []
    for row in rows:
        period = periods[row["period_id"]]
        days = (period.end - period.start).days + 1
        out.append(
            NetworkRow(
                period=period,
                service_type=row["service__service_type__name"],
                district=row["district"] or "",
                services=row["services"],
                clients=row["clients"] or 0,
                contacts=row["contacts"] or 0,
                interventions=row["interventions"] or 0,
                refused=row["refused"] or 0,
                refused_capacity=row["refused_capacity"] or 0,
                waiting=row["waiting"] or 0,
                peak=row["peak"] or 0,
                capacity_clients=row["capacity_clients"] or 0,
                bed_days=row["bed_days"] or 0,
                bed_capacity_days=(row["beds"] or 0) * days,
            )
        )
    out.sort(key=lambda r: (r.period.number, r.service_type, r.district))
    return out


def network_total(rows: list[NetworkRow]) -> NetworkRow | None:
    """The sum of rows of one period (the network as a whole)."""
    if not rows:
        return None
    numbers = (
        "services",
        "clients",
        "contacts",
        "interventions",
        "refused",
        "refused_capacity",
        "waiting",
        "peak",
        "capacity_clients",
        "bed_days",
        "bed_capacity_days",
    )
    return NetworkRow(
        period=rows[0].period,
        service_type="",
        district="",
        **{name: sum(getattr(row, name) for row in rows) for name in numbers},
    )
