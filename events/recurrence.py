"""Recurring events: RFC 5545 rules built from a simple form, expanded in Prague wall time.

Only the rule is stored (`Event.rrule`, e.g. "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260630T215959Z");
occurrences are expanded when they are shown. dateutil expands an aware DTSTART by
wall-clock arithmetic, so "every Tuesday 16:00" stays at 16:00 local time across the
change to and from summer time. UNTIL is written in UTC, as RFC 5545 requires when
DTSTART carries a TZID.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, MONTHLY, SA, SU, TH, TU, WE, WEEKLY, rrule, rrulestr
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PRAGUE = ZoneInfo("Europe/Prague")

WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)
WEEKDAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES = (
    gettext_lazy("pondělí"),
    gettext_lazy("úterý"),
    gettext_lazy("středa"),
    gettext_lazy("čtvrtek"),
    gettext_lazy("pátek"),
    gettext_lazy("sobota"),
    gettext_lazy("neděle"),
)
# A series may run at most this long: a rule without an end cannot be expanded safely,
# and a club that goes on simply extends its date.
MAX_SERIES_DAYS = 2 * 366
OCCURRENCE_KEY_FORMAT = "%Y%m%dT%H%M"


class Frequency(models.TextChoices):
    NONE = "", gettext_lazy("neopakuje se")
    WEEKLY = "weekly", gettext_lazy("každý týden")
    BIWEEKLY = "biweekly", gettext_lazy("každý druhý týden")
    MONTHLY = "monthly", gettext_lazy("jednou za měsíc (ve stejný den v týdnu)")


def local(moment: datetime) -> datetime:
    return moment.astimezone(PRAGUE)


def end_of_day_utc(day: date) -> datetime:
    return datetime.combine(day, time(23, 59, 59), PRAGUE).astimezone(UTC)


def _position_in_month(day: date) -> int:
    """1 for the first Tuesday of a month, …; 5 (a fifth one) becomes -1: the last."""
    position = (day.day - 1) // 7 + 1
    return -1 if position == 5 else position


def build_rrule(
    *, frequency: str, start: datetime, until: date, weekdays: Sequence[int] = ()
) -> str:
    """The RRULE value (without "RRULE:") for the simple form.

    `weekdays` are 0 = Monday … 6 = Sunday (weekly and biweekly only; empty = the start's
    day). Monthly repeats the start's weekday at its position in the month ("the first
    Tuesday"; a fifth one means "the last").
    """
    start = local(start)
    until_utc = end_of_day_utc(until)
    if frequency in (Frequency.WEEKLY, Frequency.BIWEEKLY):
        days = sorted(set(weekdays)) or [start.weekday()]
        rule = rrule(
            WEEKLY,
            interval=2 if frequency == Frequency.BIWEEKLY else 1,
            byweekday=[WEEKDAYS[d] for d in days],
            dtstart=start,
            until=until_utc,
        )
    elif frequency == Frequency.MONTHLY:
        weekday = WEEKDAYS[start.weekday()](_position_in_month(start.date()))
        rule = rrule(MONTHLY, byweekday=[weekday], dtstart=start, until=until_utc)
    else:
        raise ValueError(f"unknown frequency {frequency!r}")
    line = next(row for row in str(rule).splitlines() if row.startswith("RRULE:"))
    # dateutil prints UNTIL without the "Z" of UTC; RFC 5545 wants it.
    parts = [part for part in line.removeprefix("RRULE:").split(";") if part]
    parts = [part for part in parts if not part.startswith("UNTIL=")]
    parts.append("UNTIL=" + until_utc.strftime("%Y%m%dT%H%M%SZ"))
    return ";".join(parts)


def parse(rule: str) -> dict[str, str]:
    """`"FREQ=WEEKLY;BYDAY=TU"` → `{"FREQ": "WEEKLY", "BYDAY": "TU"}`."""
    pairs = (part.split("=", 1) for part in (rule or "").split(";") if "=" in part)
    return {key.upper(): value for key, value in pairs}


def form_values(rule: str) -> dict:
    """The simple form's values for a stored rule (the edit form starts from them)."""
    if not rule:
        return {"frequency": Frequency.NONE, "weekdays": [], "until": None}
    parts = parse(rule)
    days = [d.lstrip("+-0123456789") for d in parts.get("BYDAY", "").split(",") if d]
    weekdays = [WEEKDAY_CODES.index(d) for d in days if d in WEEKDAY_CODES]
    if parts.get("FREQ") == "MONTHLY":
        frequency = Frequency.MONTHLY
        weekdays = []
    elif parts.get("INTERVAL", "1") == "2":
        frequency = Frequency.BIWEEKLY
    else:
        frequency = Frequency.WEEKLY
    until = None
    if "UNTIL" in parts:
        until = local(_parse_until(parts["UNTIL"])).date()
    return {"frequency": frequency, "weekdays": weekdays, "until": until}


def _parse_until(value: str) -> datetime:
    if value.endswith("Z"):
        return datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    if "T" in value:
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=PRAGUE)
    day = date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    return datetime.combine(day, time(23, 59, 59), PRAGUE)


def _rule(start: datetime, rule: str):
    return rrulestr(rule, dtstart=local(start))


def expand(*, start: datetime, rule: str, after: datetime, before: datetime) -> list[datetime]:
    """Starts of the occurrences with `after` <= start < `before`, in Prague time."""
    if not rule:
        return [local(start)] if after <= start < before else []
    return [
        moment for moment in _rule(start, rule).between(after, before, inc=True) if moment < before
    ]


def first(start: datetime, rule: str) -> datetime | None:
    if not rule:
        return local(start)
    return _rule(start, rule).after(local(start), inc=True)


def last(start: datetime, rule: str) -> datetime | None:
    """The start of the last occurrence (a rule always has an UNTIL here, so it ends)."""
    if not rule:
        return local(start)
    occurrences = list(_rule(start, rule).xafter(local(start), count=1000, inc=True))
    return occurrences[-1] if occurrences else None


def is_occurrence(start: datetime, rule: str, candidate: datetime) -> bool:
    if not rule:
        return candidate == start
    found = _rule(start, rule).after(candidate - timedelta(seconds=1), inc=True)
    return found is not None and found == candidate


def occurrence_end(occurrence_start: datetime, event_start: datetime, event_end: datetime):
    """The end of one occurrence: the event's length in wall-clock time (16:00–17:30 stays
    16:00–17:30 on the day the clocks change)."""
    length = local(event_end).replace(tzinfo=None) - local(event_start).replace(tzinfo=None)
    return (local(occurrence_start).replace(tzinfo=None) + length).replace(tzinfo=PRAGUE)


def occurrence_key(moment: datetime) -> str:
    """The occurrence in URLs and forms: its local start, "20260915T1600"."""
    return local(moment).strftime(OCCURRENCE_KEY_FORMAT)


def parse_occurrence_key(key: str) -> datetime | None:
    try:
        return datetime.strptime(key or "", OCCURRENCE_KEY_FORMAT).replace(tzinfo=PRAGUE)
    except ValueError:
        return None


def describe(rule: str) -> str:
    """The rule in plain words: "Opakuje se každý týden (úterý, čtvrtek) do 30. června 2026."."""
    if not rule:
        return ""
    values = form_values(rule)
    parts = parse(rule)
    until = date_format(values["until"], "DATE_FORMAT") if values["until"] else ""
    if values["frequency"] == Frequency.MONTHLY:
        code = parts.get("BYDAY", "")
        day_code = code.lstrip("+-0123456789")
        position = code[: len(code) - len(day_code)].lstrip("+") or "1"
        day = WEEKDAY_NAMES[WEEKDAY_CODES.index(day_code)] if day_code in WEEKDAY_CODES else ""
        arguments = {"position": position, "day": day, "until": until}
        if position == "-1":
            if until:
                return _("Opakuje se každý měsíc (poslední %(day)s v měsíci) do %(until)s.") % (
                    arguments
                )
            return _("Opakuje se každý měsíc (poslední %(day)s v měsíci).") % arguments
        if until:
            return _("Opakuje se každý měsíc (%(position)s. %(day)s v měsíci) do %(until)s.") % (
                arguments
            )
        return _("Opakuje se každý měsíc (%(position)s. %(day)s v měsíci).") % arguments
    days = ", ".join(str(WEEKDAY_NAMES[d]) for d in values["weekdays"])
    arguments = {"days": days, "until": until}
    if values["frequency"] == Frequency.BIWEEKLY:
        if until:
            return _("Opakuje se každý druhý týden (%(days)s) do %(until)s.") % arguments
        return _("Opakuje se každý druhý týden (%(days)s).") % arguments
    if until:
        return _("Opakuje se každý týden (%(days)s) do %(until)s.") % arguments
    return _("Opakuje se každý týden (%(days)s).") % arguments
