"""Business rules of project monitoring. Each function is keyword-only, transactional,
checks the actor's right through `monitoring.permissions`, refuses changes inside a
locked period, and audits what it does with personal data (participant cards and
records of support)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditEntry
from directory.models import CapacityReport, Organization, RegisteredCapacity, Service
from monitoring import permissions
from monitoring.indicators import project_organization_ids, values_for_period
from monitoring.models import (
    Activity,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    KeyActivity,
    Participant,
    PeriodEvent,
    Project,
    ReportingPeriod,
    ServiceStatistics,
)
from monitoring.validators import normalize_registration_number, programme_of
from referrals.models import Consent, Person, Referral, ReferralEvent
from territory.models import Municipality

MIN_REOPEN_REASON = 10
MAX_HOURS_PER_RECORD = Decimal(24)


class PeriodLocked(ValidationError):
    """A change inside a locked (reported) period."""


def _locked_error(period: ReportingPeriod) -> PeriodLocked:
    return PeriodLocked(
        _(
            "Období %(period)s je uzamčené, protože už bylo vykázáno. Změnit ho lze až po "
            "jeho znovuotevření s uvedením důvodu."
        )
        % {"period": period}
    )


# --- projects and periods ------------------------------------------------------------------------


def check_registration_number(*, number: str, programme: str) -> str:
    """The number normalised; refused when its form does not match the programme."""
    number = normalize_registration_number(number)
    found = programme_of(number)
    if found is not None and found != programme:
        raise ValidationError(
            {
                "registration_number": _(
                    "Registrační číslo %(number)s má tvar čísla projektu %(found)s, ale u "
                    "projektu je vybrán program %(programme)s."
                )
                % {
                    "number": number,
                    "found": Project.Programme(found).label,
                    "programme": Project.Programme(programme).label,
                }
            }
        )
    return number


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_bounds(start: date, end: date, months: int) -> list[tuple[date, date]]:
    """Consecutive periods of `months` from the project's start; the last may be shorter."""
    bounds = []
    cursor = start
    while cursor <= end:
        following = _add_months(cursor, months)
        bounds.append((cursor, min(end, following - timedelta(days=1))))
        cursor = following
    return bounds


@transaction.atomic
def generate_periods(*, project: Project, months: int | None = None) -> list[ReportingPeriod]:
    """(Re)build the reporting periods from the project's dates; refused once one is locked."""
    months = months or project.period_months
    if project.periods.filter(locked_at__isnull=False).exists():
        raise ValidationError(
            _("Monitorovací období nelze přepočítat: některé už je uzamčené (vykázané).")
        )
    wanted = period_bounds(project.start_date, project.end_date, months)
    existing = list(project.periods.order_by("number"))
    if [(p.start, p.end) for p in existing] == wanted:
        return existing
    # Values of the old periods would lose their meaning.
    if IndicatorValue.objects.filter(period__project=project).exists():
        raise ValidationError(
            _("Monitorovací období nelze přepočítat: k některému už jsou zadané hodnoty.")
        )
    project.periods.all().delete()
    Project.objects.filter(pk=project.pk).update(period_months=months)
    project.period_months = months
    return ReportingPeriod.objects.bulk_create(
        ReportingPeriod(project=project, number=number, start=start, end=end)
        for number, (start, end) in enumerate(wanted, start=1)
    )


def period_of(project: Project, day: date) -> ReportingPeriod | None:
    return project.periods.filter(start__lte=day, end__gte=day).first()


def ensure_open(project: Project, day: date) -> ReportingPeriod | None:
    """The period of `day`; PeriodLocked when it is locked."""
    period = period_of(project, day)
    if period is not None and period.is_locked:
        raise _locked_error(period)
    return period


def _require_manager(actor, project: Project) -> None:
    if not permissions.can_manage_project(actor, project):
        raise PermissionDenied


@transaction.atomic
def lock_period(*, actor, period: ReportingPeriod) -> ReportingPeriod:
    """Lock a reported period: its computed values are frozen as they are now."""
    project = period.project
    _require_manager(actor, project)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise ValidationError(_("Období %(period)s už je uzamčené.") % {"period": period})
    values = values_for_period(project, period, live=True)
    IndicatorValue.objects.filter(period=period, is_snapshot=True).delete()
    IndicatorValue.objects.bulk_create(
        IndicatorValue(
            indicator_id=indicator_id,
            period=period,
            organization_id=org_id,
            value=value,
            is_snapshot=True,
            status=IndicatorValue.Status.APPROVED,
            entered_by=actor,
        )
        for indicator_id, by_org in values.items()
        for org_id, value in by_org.items()
        if org_id is None or value
    )
    codes = dict(project.indicators.values_list("pk", "code"))
    snapshot = {
        codes[indicator_id]: str(by_org[None])
        for indicator_id, by_org in values.items()
        if indicator_id in codes
    }
    for code, indicator_id in project.indicators.filter(kind=Indicator.Kind.MANUAL).values_list(
        "code", "pk"
    ):
        approved = IndicatorValue.objects.filter(
            indicator_id=indicator_id,
            period=period,
            is_snapshot=False,
            status=IndicatorValue.Status.APPROVED,
        ).values_list("value", flat=True)
        snapshot[code] = str(sum(approved, Decimal(0)))
    now = timezone.now()
    ReportingPeriod.objects.filter(pk=period.pk).update(locked_at=now, locked_by=actor)
    PeriodEvent.objects.create(
        period=period,
        action=PeriodEvent.Action.LOCK,
        actor=actor,
        actor_username=actor.get_username(),
        at=now,
        snapshot=snapshot,
    )
    period.refresh_from_db()
    return period


@transaction.atomic
def reopen_period(*, actor, period: ReportingPeriod, reason: str) -> ReportingPeriod:
    """Reopen a locked period for corrections; the reason is kept in its history."""
    _require_manager(actor, period.project)
    reason = (reason or "").strip()
    if len(reason) < MIN_REOPEN_REASON:
        raise ValidationError(
            {
                "reason": _(
                    "Uveďte důvod znovuotevření (alespoň %(n)s znaků): zůstane v historii období."
                )
                % {"n": MIN_REOPEN_REASON}
            }
        )
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if not period.is_locked:
        raise ValidationError(_("Období %(period)s není uzamčené.") % {"period": period})
    IndicatorValue.objects.filter(period=period, is_snapshot=True).delete()
    ReportingPeriod.objects.filter(pk=period.pk).update(locked_at=None, locked_by=None)
    PeriodEvent.objects.create(
        period=period,
        action=PeriodEvent.Action.REOPEN,
        actor=actor,
        actor_username=actor.get_username(),
        reason=reason,
    )
    period.refresh_from_db()
    return period


# --- indicators ----------------------------------------------------------------------------------


def _decimal(value, field: str) -> Decimal:
    try:
        number = Decimal(str(value).replace(",", ".").replace(" ", ""))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Zadejte číslo.")}) from None
    if not number.is_finite():
        raise ValidationError({field: _("Zadejte číslo.")})
    return number


@transaction.atomic
def save_indicator(*, actor, project: Project, indicator: Indicator | None = None, **fields):
    """Create or change an indicator of the project."""
    _require_manager(actor, project)
    indicator = indicator or Indicator(project=project)
    for name, value in fields.items():
        setattr(indicator, name, value)
    if indicator.kind == Indicator.Kind.MANUAL:
        indicator.source = ""
    elif not indicator.source:
        raise ValidationError({"source": _("Vyberte, z čeho se indikátor počítá.")})
    indicator.full_clean(exclude=["project"])
    if (
        Indicator.objects.filter(project=project, code=indicator.code)
        .exclude(pk=indicator.pk)
        .exists()
    ):
        raise ValidationError({"code": _("Projekt už indikátor s tímto kódem má.")})
    indicator.save()
    return indicator


@transaction.atomic
def set_target(
    *,
    actor,
    indicator: Indicator,
    target,
    organization: Organization | None = None,
    period: ReportingPeriod | None = None,
) -> IndicatorTarget | None:
    """A target for a partner and/or a period; `target=None` removes it."""
    project = indicator.project
    _require_manager(actor, project)
    if organization is None and period is None:
        raise ValidationError(_("Dílčí cíl patří partnerovi nebo období."))
    if organization is not None and organization.pk not in project_organization_ids(project):
        raise ValidationError({"organization": _("Organizace není partnerem projektu.")})
    if period is not None:
        if period.project_id != project.pk:
            raise ValidationError({"period": _("Období nepatří k projektu.")})
        if period.is_locked:
            raise _locked_error(period)
    existing = IndicatorTarget.objects.filter(
        indicator=indicator, organization=organization, period=period
    )
    if target in (None, ""):
        existing.delete()
        return None
    value = _decimal(target, "target")
    if value < 0:
        raise ValidationError({"target": _("Cílová hodnota nemůže být záporná.")})
    found = existing.first()
    if found is None:
        return IndicatorTarget.objects.create(
            indicator=indicator, organization=organization, period=period, target=value
        )
    IndicatorTarget.objects.filter(pk=found.pk).update(target=value)
    found.target = value
    return found


@transaction.atomic
def submit_value(
    *,
    actor,
    indicator: Indicator,
    period: ReportingPeriod,
    value,
    organization: Organization | None = None,
    note: str = "",
    evidence_file=None,
    evidence_url: str = "",
) -> IndicatorValue:
    """Enter (or correct) a manual value with its evidence; it counts once approved."""
    project = indicator.project
    if not indicator.is_manual:
        raise ValidationError(_("Hodnoty tohoto indikátoru se počítají ze záznamů."))
    if period.project_id != project.pk:
        raise ValidationError({"period": _("Období nepatří k projektu.")})
    if not permissions.can_enter_values(actor, project, organization):
        raise PermissionDenied
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise _locked_error(period)
    number = _decimal(value, "value")
    if number < 0:
        raise ValidationError({"value": _("Hodnota nemůže být záporná.")})
    note = (note or "").strip()
    if not (evidence_file or evidence_url or note):
        raise ValidationError(
            {
                "evidence_file": _(
                    "Doložte hodnotu: přiložte soubor, uveďte odkaz nebo popište v poznámce, "
                    "kde je doklad k nahlédnutí."
                )
            }
        )
    row = IndicatorValue.objects.filter(
        indicator=indicator, period=period, organization=organization, is_snapshot=False
    ).first()
    if row is None:
        row = IndicatorValue(
            indicator=indicator, period=period, organization=organization, is_snapshot=False
        )
    row.value = number
    row.note = note
    row.evidence_url = evidence_url or ""
    if evidence_file:
        row.evidence_file = evidence_file
    row.status = IndicatorValue.Status.SUBMITTED
    row.entered_by = actor
    row.entered_at = timezone.now()
    row.decided_by = None
    row.decided_at = None
    row.return_reason = ""
    row.save()
    return row


@transaction.atomic
def decide_value(
    *, actor, value: IndicatorValue, approve: bool, reason: str = ""
) -> IndicatorValue:
    """Approve a manual value, or return it to the partner with a reason."""
    _require_manager(actor, value.indicator.project)
    if value.is_snapshot:
        raise ValidationError(_("Vypočtené hodnoty se neschvalují."))
    if value.period.is_locked:
        raise _locked_error(value.period)
    reason = (reason or "").strip()
    if not approve and not reason:
        raise ValidationError({"reason": _("Napište, co je potřeba opravit.")})
    status = IndicatorValue.Status.APPROVED if approve else IndicatorValue.Status.RETURNED
    IndicatorValue.objects.filter(pk=value.pk).update(
        status=status,
        decided_by=actor,
        decided_at=timezone.now(),
        return_reason="" if approve else reason[:500],
    )
    value.refresh_from_db()
    return value


# --- participants --------------------------------------------------------------------------------


def derive_rural(municipality: Municipality | None) -> str:
    """ESF+ "rural area" from the obec, by a simple rule (no populations in Spojka's data):

    - the seat of an ORP is a town: "no";
    - an obec that is not even the seat of a POU is a village: "yes";
    - the rest (small towns with a POU) is left to the worker: "" (unknown).
    """
    if municipality is None:
        return ""
    if municipality.name == municipality.orp.name:
        return Participant.Rural.NO
    if municipality.name != municipality.pou_name:
        return Participant.Rural.YES
    return ""


CARD_FIELDS = (
    "gender",
    "birth_year",
    "labour_status",
    "education",
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
    "left_on",
)


def _validate_card(participant: Participant) -> None:
    errors = {}
    for name in CARD_FIELDS:
        field = Participant._meta.get_field(name)
        value = getattr(participant, name)
        if field.choices and value not in ("", None) and value not in dict(field.choices):
            errors[name] = _("Neznámá hodnota „%(value)s“ u položky „%(field)s“.") % {
                "value": value,
                "field": field.verbose_name,
            }
    year = participant.birth_year
    if year is not None and not (
        participant.entered_on.year - 110 <= year <= participant.entered_on.year
    ):
        errors["birth_year"] = _("Rok narození %(year)s není možný.") % {"year": year}
    if participant.left_on and participant.left_on < participant.entered_on:
        errors["left_on"] = _("Datum odchodu je dřív než datum vstupu.")
    if errors:
        raise ValidationError(errors)


def valid_project_consent(person: Person) -> Consent | None:
    for consent in person.consents.filter(purpose=Consent.Purpose.PROJECT):
        if consent.is_valid():
            return consent
    return None


@transaction.atomic
def enter_participant(
    *, actor, project: Project, person: Person, entered_on: date, via: str = "web", **card
) -> Participant:
    """A person enters the project on a day, with their participant card.

    Refused without a valid consent to "participation in a project and its reporting",
    outside the project's dates, in a locked period, and for a person already in it.
    """
    if not permissions.can_record_participants(actor, project, person.organization):
        raise PermissionDenied
    if person.anonymised_at is not None:
        raise ValidationError(_("Anonymizovanou osobu nelze zařadit do projektu."))
    if valid_project_consent(person) is None:
        raise ValidationError(
            _(
                "Osoba nedala platný souhlas s účelem „účast v projektu a jeho vykazování“; "
                "zaznamenejte ho nejdřív na kartě osoby."
            )
        )
    if not (project.start_date <= entered_on <= project.end_date):
        raise ValidationError(
            {
                "entered_on": _(
                    "Datum vstupu musí ležet v době realizace projektu (%(s)s – %(e)s)."
                )
                % {
                    "s": date_format(project.start_date, "j. n. Y"),
                    "e": date_format(project.end_date, "j. n. Y"),
                }
            }
        )
    ensure_open(project, entered_on)
    existing = Participant.objects.filter(project=project, person=person).first()
    if existing is not None:
        raise ValidationError(
            _("Osoba je účastníkem projektu už od %(date)s; každý se počítá jen jednou.")
            % {"date": date_format(existing.entered_on, "j. n. Y")}
        )
    participant = Participant(
        project=project,
        person=person,
        organization_id=person.organization_id,
        entered_on=entered_on,
        birth_year=person.birth_year,
        created_by=actor,
    )
    if person.municipality_id:
        rural = derive_rural(
            Municipality.objects.select_related("orp").get(pk=person.municipality_id)
        )
        if rural:
            participant.rural_area = rural
            participant.rural_area_source = Participant.RuralSource.DERIVED
    _apply_card(participant, card)
    _validate_card(participant)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:
        raise ValidationError(_("Osoba už je účastníkem projektu.")) from None
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=participant,
        organization_id=participant.organization_id,
        via=via,
    )
    return participant


def _apply_card(participant: Participant, card: dict) -> None:
    unknown = set(card) - set(CARD_FIELDS)
    if unknown:
        raise ValidationError(
            _("Neznámé položky karty: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    for name, value in card.items():
        if value is None and name not in ("birth_year", "left_on"):
            value = ""
        if name == "rural_area" and value != participant.rural_area:
            participant.rural_area_source = Participant.RuralSource.WORKER if value else ""
        setattr(participant, name, value)
    if participant.birth_year:
        participant.age_at_entry = participant.entered_on.year - participant.birth_year
    else:
        participant.age_at_entry = None


@transaction.atomic
def update_card(*, actor, participant: Participant, via: str = "web", **card) -> Participant:
    """Correct a participant card; refused when the period of entry is locked."""
    if not permissions.can_record_participants(
        actor, participant.project, participant.organization
    ):
        raise PermissionDenied
    ensure_open(participant.project, participant.entered_on)
    _apply_card(participant, card)
    _validate_card(participant)
    participant.updated_at = timezone.now()
    participant.save(update_fields=[*card, "age_at_entry", "rural_area_source", "updated_at"])
    audit.record(
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        obj=participant,
        organization_id=participant.organization_id,
        via=via,
    )
    return participant


@dataclass
class Completeness:
    total: int
    complete: int
    incomplete: list[tuple[Participant, list[str]]]  # the card and its missing items' labels
    refused: dict[str, int]  # item → refused count

    @property
    def is_complete(self) -> bool:
        return self.complete == self.total


def completeness(queryset) -> Completeness:
    """Which cards miss items before a report (refused items are answers, not gaps)."""
    labels = {name: Participant._meta.get_field(name).verbose_name for name in CARD_FIELDS}
    incomplete = []
    total = 0
    refused = dict.fromkeys(Participant.SENSITIVE, 0)
    for participant in queryset.order_by("entered_on", "id"):
        total += 1
        missing = participant.missing_items()
        if missing:
            incomplete.append((participant, [str(labels[m]) for m in missing]))
        for item in participant.refused_items():
            refused[item] += 1
    return Completeness(
        total=total, complete=total - len(incomplete), incomplete=incomplete, refused=refused
    )


# --- records of support --------------------------------------------------------------------------


@transaction.atomic
def record_activity(
    *,
    actor,
    participant: Participant,
    day: date,
    kind: str,
    hours,
    key_activity: KeyActivity | None = None,
    organization: Organization | None = None,
    via: str = "web",
) -> Activity:
    project = participant.project
    if not permissions.can_record_participants(actor, project, participant.organization):
        raise PermissionDenied
    organization = organization or participant.organization
    if organization.pk not in project_organization_ids(project):
        raise ValidationError({"organization": _("Organizace není partnerem projektu.")})
    if kind not in Activity.Kind.values:
        raise ValidationError({"kind": _("Vyberte druh podpory ze seznamu.")})
    if key_activity is not None and key_activity.project_id != project.pk:
        raise ValidationError({"key_activity": _("Klíčová aktivita nepatří k projektu.")})
    amount = _decimal(hours, "hours")
    if not (Decimal(0) < amount <= MAX_HOURS_PER_RECORD):
        raise ValidationError({"hours": _("Počet hodin musí být větší než 0 a nejvýš 24.")})
    if day < participant.entered_on or day > project.end_date:
        raise ValidationError(
            {"day": _("Podpora musí proběhnout mezi vstupem osoby do projektu a jeho koncem.")}
        )
    if day > timezone.localdate():
        raise ValidationError({"day": _("Podporu lze zapsat až poté, co proběhla.")})
    ensure_open(project, day)
    activity = Activity.objects.create(
        project=project,
        participant=participant,
        key_activity=key_activity,
        organization=organization,
        date=day,
        kind=kind,
        hours=amount,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        obj=activity,
        organization_id=participant.organization_id,
        via=via,
    )
    return activity


@transaction.atomic
def delete_activity(*, actor, activity: Activity, via: str = "web") -> None:
    participant = activity.participant
    if not permissions.can_record_participants(actor, activity.project, participant.organization):
        raise PermissionDenied
    ensure_open(activity.project, activity.date)
    audit.record(
        actor=actor,
        action=AuditEntry.Action.DELETE,
        obj=activity,
        organization_id=participant.organization_id,
        via=via,
    )
    Activity.objects.filter(pk=activity.pk).delete()


# --- service statistics --------------------------------------------------------------------------

STATISTICS_FIELDS = (
    "clients_total",
    "clients_amb",
    "clients_ter",
    "clients_pob",
    "peak_amb",
    "peak_ter",
    "bed_days",
    "contacts_amb",
    "contacts_ter",
    "interventions_amb",
    "interventions_ter",
    "interventions_pob",
    "refused_capacity",
    "refused_target_group",
    "refused_other",
    "refused_note",
    "waiting_list_end",
)


def registered_capacity(service: Service) -> dict[tuple[str, str], int]:
    """(form code, capacity type code) → registered count."""
    return {
        (form, ctype): count
        for form, ctype, count in RegisteredCapacity.objects.filter(service=service).values_list(
            "form__code", "capacity_type__code", "count"
        )
    }


def prefill_statistics(*, service: Service, period: ReportingPeriod) -> dict[str, int]:
    """What Spojka already knows of the service in the period.

    Clients: distinct persons whose referral to the service was accepted in the period.
    Refused: referrals declined in the period, by reason. Waiting list: the newest
    capacity report up to the end of the period.
    """
    from monitoring.indicators import day_start

    start, end = day_start(period.start), day_start(period.end + timedelta(days=1))
    accepted = ReferralEvent.objects.filter(
        referral__service=service,
        to_status=Referral.Status.ACCEPTED,
        at__gte=start,
        at__lt=end,
    ).aggregate(n=Count("referral__person", distinct=True))["n"]
    declines = dict(
        ReferralEvent.objects.filter(
            referral__service=service,
            to_status=Referral.Status.DECLINED,
            at__gte=start,
            at__lt=end,
        )
        .values_list("reason")
        .annotate(n=Count("id"))
        .order_by()
    )
    report = (
        CapacityReport.objects.filter(service=service, reported_at__lt=end)
        .order_by("-reported_at")
        .first()
    )
    forms = {f.code for f in service.forms.all()}
    data = dict.fromkeys(STATISTICS_FIELDS, 0)
    data["refused_note"] = ""
    data["clients_total"] = accepted or 0
    if len(forms) == 1:
        data[f"clients_{next(iter(forms))}"] = accepted or 0
    data["refused_capacity"] = sum(declines.get(r, 0) for r in Referral.UNMET_DEMAND_REASONS)
    data["refused_target_group"] = declines.get(Referral.DeclineReason.NOT_TARGET_GROUP, 0)
    data["refused_other"] = sum(
        n
        for reason, n in declines.items()
        if reason not in (*Referral.UNMET_DEMAND_REASONS, Referral.DeclineReason.NOT_TARGET_GROUP)
    )
    data["waiting_list_end"] = report.waiting_list if report else 0
    return data


def validate_statistics(*, service: Service, period: ReportingPeriod, data: dict) -> dict:
    """Errors by field name, checked against the registered capacity of the service."""
    labels = {
        name: ServiceStatistics._meta.get_field(name).verbose_name for name in STATISTICS_FIELDS
    }
    capacity = registered_capacity(service)
    forms = {f.code for f in service.forms.all()} | {form for form, _ctype in capacity}
    errors: dict[str, str] = {}
    form_labels = {"amb": _("ambulantní"), "ter": _("terénní"), "pob": _("pobytovou")}
    for form, names in ServiceStatistics.FORM_FIELDS.items():
        if form in forms:
            continue
        for name in names:
            if data.get(name):
                errors[name] = _(
                    "„%(field)s“: služba nemá registrovanou %(form)s formu, hodnota má být 0."
                ) % {"field": labels[name], "form": form_labels[form]}
    for form, peak in (("amb", "peak_amb"), ("ter", "peak_ter")):
        limit = capacity.get((form, "klient"))
        if limit is not None and data.get(peak, 0) > limit and peak not in errors:
            errors[peak] = _(
                "„%(field)s“ (%(value)s) převyšuje registrovanou kapacitu %(limit)s klientů."
            ) % {"field": labels[peak], "value": data[peak], "limit": limit}
    beds = capacity.get(("pob", "luzka")) or capacity.get(("pob", "klient"))
    days = (period.end - period.start).days + 1
    if beds is not None and data.get("bed_days", 0) > beds * days and "bed_days" not in errors:
        errors["bed_days"] = _(
            "„%(field)s“ (%(value)s) převyšují registrovanou kapacitu: %(beds)s lůžek × "
            "%(days)s dní období = %(limit)s."
        ) % {
            "field": labels["bed_days"],
            "value": data["bed_days"],
            "beds": beds,
            "days": days,
            "limit": beds * days,
        }
    for clients in ("clients_amb", "clients_ter", "clients_pob"):
        if data.get(clients, 0) > data.get("clients_total", 0) and clients not in errors:
            errors[clients] = _(
                "„%(field)s“ (%(value)s) je víc než klientů celkem (%(total)s)."
            ) % {"field": labels[clients], "value": data[clients], "total": data["clients_total"]}
    by_form = sum(data.get(c, 0) for c in ("clients_amb", "clients_ter", "clients_pob"))
    if data.get("clients_total", 0) > by_form and "clients_total" not in errors:
        errors["clients_total"] = _(
            "„%(field)s“ (%(value)s) je víc než součet klientů podle forem (%(sum)s): každý "
            "klient využil aspoň jednu formu."
        ) % {"field": labels["clients_total"], "value": data["clients_total"], "sum": by_form}
    if data.get("refused_other") and not (data.get("refused_note") or "").strip():
        errors["refused_note"] = _("Uveďte, z jakých jiných důvodů byli zájemci odmítnuti.")
    return errors


@transaction.atomic
def save_statistics(
    *,
    actor,
    project: Project,
    service: Service,
    period: ReportingPeriod,
    data: dict,
    submit: bool = False,
) -> ServiceStatistics:
    if period.project_id != project.pk:
        raise ValidationError({"period": _("Období nepatří k projektu.")})
    if not permissions.can_fill_statistics(actor, project, service):
        raise PermissionDenied
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_locked:
        raise _locked_error(period)
    unknown = set(data) - set(STATISTICS_FIELDS)
    if unknown:
        raise ValidationError(
            _("Neznámé položky: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    full = dict.fromkeys(STATISTICS_FIELDS, 0)
    full["refused_note"] = ""
    full.update(data)
    for name in STATISTICS_FIELDS:
        if name != "refused_note" and (not isinstance(full[name], int) or full[name] < 0):
            raise ValidationError({name: _("Zadejte celé nezáporné číslo.")})
    errors = validate_statistics(service=service, period=period, data=full)
    if errors:
        raise ValidationError(errors)
    row, _created = ServiceStatistics.objects.get_or_create(period=period, service=service)
    for name, value in full.items():
        setattr(row, name, value)
    row.updated_by = actor
    row.updated_at = timezone.now()
    if submit:
        row.status = ServiceStatistics.Status.SUBMITTED
        row.submitted_at = row.updated_at
    row.save()
    return row
