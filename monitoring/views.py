"""Project monitoring pages: projects and their dashboard, indicators with values and
targets, reporting periods with locking, participants and their support, service
statistics of a funded network, the ZoR annex and the community-planning report.

Views parse the request, fetch through `monitoring.permissions` (404 for what the user may
not see), call `monitoring.services`, render. Pages with participant cards are personal
data: never cached, and every read, list and export is audited.
"""

from __future__ import annotations

import io
from collections import defaultdict
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from accounts.models import AuditEntry
from accounts.permissions import (
    coordinated_organizations,
    coordinated_territories,
    organizations_in_territory,
)
from directory.models import Organization, RegisteredCapacity
from monitoring import charts, permissions, reports, services
from monitoring.forms import (
    ActivityForm,
    DecisionForm,
    IndicatorForm,
    KeyActivityForm,
    ParticipantCardForm,
    ParticipantEntryForm,
    PartnerForm,
    PlanningForm,
    ProjectForm,
    StatisticsForm,
    TargetForm,
    ValueForm,
)
from monitoring.indicators import compute_project, project_organization_ids
from monitoring.models import (
    PARTICIPANT_ROLES,
    Activity,
    Indicator,
    IndicatorValue,
    KeyActivity,
    Participant,
    PeriodEvent,
    Project,
    ProjectPartner,
    ReportingPeriod,
    ServiceStatistics,
)
from referrals.models import Person
from territory.models import Territory

PARTICIPANT_PAGE = 100


def monitoring_view(view):
    """Signed in, never cached (figures change, cards are personal data)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except services.PeriodLocked as error:
            messages.error(request, " ".join(error.messages))
            return redirect(request.path)

    return login_required(never_cache(wrapped))


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            if target is None and field == "day" and "day" in form.fields:
                target = "day"
            form.add_error(target, errors)
    else:
        form.add_error(None, error)


def _context(request, project: Project, **extra) -> dict:
    user = request.user
    context = {
        "project": project,
        "can_manage": permissions.can_manage_project(user, project),
        "works_on_participants": permissions.works_on_participants(user, project),
        "has_statistics": permissions.statistics_services(user, project).exists(),
        "has_network": project.services.exists(),
    }
    context.update(extra)
    return context


def _periods(project: Project) -> list[ReportingPeriod]:
    return list(project.periods.order_by("number"))


def _period_labels(periods) -> list[str]:
    return [_("%(n)s. období") % {"n": p.number} for p in periods]


# --- projects ------------------------------------------------------------------------------------


@monitoring_view
def project_list(request: HttpRequest) -> HttpResponse:
    projects = list(
        permissions.visible_projects(request.user)
        .select_related("implementer", "territory")
        .order_by("-start_date", "name")
    )
    rows = []
    for project in projects:
        results = compute_project(project)
        rows.append(
            {
                "project": project,
                "at_risk": sum(1 for r in results if r.status == "at_risk"),
                "achieved": sum(1 for r in results if r.status == "achieved"),
                "indicators": len(results),
            }
        )
    return render(
        request,
        "monitoring/project_list.html",
        {
            "rows": rows,
            "can_create": coordinated_territories(request.user).exists(),
            "planning_territories": permissions.planning_territories(request.user),
        },
    )


def _project_form(data, user, project: Project | None) -> ProjectForm:
    """Territories the user coordinates; implementers among their organisations."""
    territories = coordinated_territories(user)
    organizations = coordinated_organizations(user)
    if project is not None:
        territories = Territory.objects.filter(
            Q(pk__in=territories.values("pk")) | Q(pk=project.territory_id)
        )
        organizations = Organization.objects.filter(
            Q(pk__in=organizations.values("pk")) | Q(pk=project.implementer_id)
        )
    return ProjectForm(
        data,
        instance=project,
        territories=territories.order_by("name"),
        organizations=organizations.order_by("name"),
    )


@monitoring_view
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    if not coordinated_territories(request.user).exists():
        raise PermissionDenied
    form = _project_form(request.POST or None, request.user, None)
    if request.method == "POST" and form.is_valid():
        try:
            project = form.save()
            services.generate_periods(project=project)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Projekt je založený. Doplňte partnery a indikátory."))
            return redirect("monitoring:project_edit", pk=project.pk)
    return render(request, "monitoring/project_form.html", {"form": form, "project": None})


@monitoring_view
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    which = request.POST.get("form", "project") if request.method == "POST" else None
    form = _project_form(request.POST if which == "project" else None, request.user, project)
    partner_form = PartnerForm(
        request.POST if which == "partner" else None,
        prefix="partner",
        organizations=organizations_in_territory(project.territory).order_by("name"),
    )
    activity_form = KeyActivityForm(request.POST if which == "activity" else None, prefix="ka")
    if which is not None:
        if which == "project" and form.is_valid():
            form.save()
            try:
                services.generate_periods(project=project, months=project.period_months)
            except ValidationError as error:
                messages.warning(request, " ".join(error.messages))
            messages.success(request, _("Projekt je uložený."))
            return redirect("monitoring:project_edit", pk=project.pk)
        if which == "partner" and partner_form.is_valid():
            partner = partner_form.save(commit=False)
            partner.project = project
            if (
                ProjectPartner.objects.filter(
                    project=project, organization=partner.organization
                ).exists()
                or partner.organization_id == project.implementer_id
            ):
                partner_form.add_error("organization", _("Organizace už v projektu je."))
            else:
                partner.save()
                messages.success(request, _("Partner je přidaný."))
                return redirect("monitoring:project_edit", pk=project.pk)
        if which == "activity" and activity_form.is_valid():
            activity = activity_form.save(commit=False)
            activity.project = project
            if KeyActivity.objects.filter(project=project, code=activity.code).exists():
                activity_form.add_error("code", _("Projekt už aktivitu s tímto označením má."))
            else:
                activity.order = project.key_activities.count() + 1
                activity.save()
                messages.success(request, _("Klíčová aktivita je přidaná."))
                return redirect("monitoring:project_edit", pk=project.pk)
        if which == "remove_partner":
            partner = request.POST.get("partner", "")
            found = (
                ProjectPartner.objects.filter(project=project, pk=int(partner)).first()
                if partner.isdigit()
                else None
            )
            if found is not None:
                org_id = found.organization_id
                if (
                    Participant.objects.filter(project=project, organization_id=org_id).exists()
                    or IndicatorValue.objects.filter(
                        indicator__project=project, organization_id=org_id
                    ).exists()
                ):
                    messages.error(
                        request,
                        _(
                            "Partnera s účastníky nebo vykázanými hodnotami nelze z projektu "
                            "odebrat."
                        ),
                    )
                else:
                    found.delete()
            return redirect("monitoring:project_edit", pk=project.pk)
    return render(
        request,
        "monitoring/project_form.html",
        _context(
            request,
            project,
            form=form,
            partner_form=partner_form,
            activity_form=activity_form,
            partners=project.partners.select_related("organization"),
            key_activities=project.key_activities.all(),
            indicators=project.indicators.all(),
        ),
    )


@monitoring_view
def project_dashboard(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    periods = _periods(project)
    results = compute_project(project)
    labels = _period_labels(periods)
    chosen = None
    wanted = request.GET.get("ukazatel")
    if wanted:
        chosen = next((r for r in results if str(r.indicator.pk) == wanted), None)
    chosen = chosen or next((r for r in results if r.target is not None), None)
    chosen = chosen or (results[0] if results else None)
    org_ids = project_organization_ids(project)
    organizations = {o.pk: o for o in Organization.objects.filter(pk__in=org_ids)}
    partners = [organizations[pk] for pk in org_ids if pk in organizations]
    breakdown = [
        {
            "result": result,
            "values": [
                {
                    "value": result.by_partner.get(org.pk),
                    "target": result.partner_targets.get(org.pk),
                }
                for org in partners
            ],
        }
        for result in results
    ]
    period_rows = [
        {
            "result": result,
            "values": [
                {"value": result.period_value(i), "frozen": i in result.frozen}
                for i in range(len(periods))
            ],
        }
        for result in results
    ]
    return render(
        request,
        "monitoring/project_dashboard.html",
        _context(
            request,
            project,
            periods=periods,
            period_labels=labels,
            results=results,
            any_invented=any(r.indicator.target_invented for r in results),
            chosen=chosen,
            progress_chart=charts.progress_chart(results),
            period_chart=charts.period_chart(chosen, labels) if chosen else None,
            partners=partners,
            partner_roles=dict(project.partners.values_list("organization_id", "role")),
            breakdown=breakdown,
            period_rows=period_rows,
            activities=reports.activity_breakdown(project),
            key_activities=project.key_activities.all(),
            participants=reports.participant_summary(project),
        ),
    )


# --- indicators ----------------------------------------------------------------------------------


def _get_indicator(project: Project, pk) -> Indicator:
    return get_object_or_404(Indicator, project=project, pk=pk)


@monitoring_view
@require_http_methods(["GET", "POST"])
def indicator_form(request: HttpRequest, pk, indicator=None) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    instance = _get_indicator(project, indicator) if indicator else None
    form = IndicatorForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in IndicatorForm.Meta.fields}
        try:
            saved = services.save_indicator(
                actor=request.user, project=project, indicator=instance, **fields
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Indikátor je uložený."))
            return redirect("monitoring:indicator", pk=project.pk, indicator=saved.pk)
    return render(
        request,
        "monitoring/indicator_form.html",
        _context(request, project, form=form, indicator=instance),
    )


def _value_form(request, project: Project, data=None, files=None):
    user = request.user
    managing = permissions.can_manage_project(user, project)
    if managing:
        organizations = Organization.objects.filter(pk__in=project_organization_ids(project))
    else:
        organizations = permissions.user_organizations_in_project(user, project)
    return ValueForm(
        data,
        files,
        prefix="hodnota",
        periods=project.periods.filter(locked_at__isnull=True).order_by("number"),
        organizations=organizations.order_by("name"),
        whole_project=managing,
    )


@monitoring_view
@require_http_methods(["GET", "POST"])
def indicator_detail(request: HttpRequest, pk, indicator) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    item = _get_indicator(project, indicator)
    periods = _periods(project)
    [result] = compute_project(project, indicators=[item])
    can_manage = permissions.can_manage_project(request.user, project)
    org_ids = project_organization_ids(project)
    organizations = list(Organization.objects.filter(pk__in=org_ids).order_by("name"))
    value_form = target_form = None
    if item.is_manual and (
        can_manage or permissions.user_organizations_in_project(request.user, project).exists()
    ):
        value_form = _value_form(
            request,
            project,
            request.POST if request.POST.get("form") == "value" else None,
            request.FILES if request.POST.get("form") == "value" else None,
        )
    if can_manage:
        target_form = TargetForm(
            request.POST if request.POST.get("form") == "target" else None,
            prefix="cil",
            organizations=Organization.objects.filter(pk__in=org_ids).order_by("name"),
            periods=project.periods.filter(locked_at__isnull=True).order_by("number"),
        )
    if request.method == "POST":
        which = request.POST.get("form")
        if (which == "value" and value_form is None) or (which == "target" and target_form is None):
            raise PermissionDenied
        if which == "value" and value_form.is_valid():
            data = value_form.cleaned_data
            try:
                services.submit_value(
                    actor=request.user,
                    indicator=item,
                    period=data["period"],
                    organization=data.get("organization"),
                    value=data["value"],
                    note=data.get("note", ""),
                    evidence_file=data.get("evidence_file"),
                    evidence_url=data.get("evidence_url", ""),
                )
            except ValidationError as error:
                _apply_errors(value_form, error)
            else:
                messages.success(request, _("Hodnota je zadaná a čeká na schválení."))
                return redirect("monitoring:indicator", pk=project.pk, indicator=item.pk)
        elif which == "target" and target_form.is_valid():
            data = target_form.cleaned_data
            try:
                services.set_target(
                    actor=request.user,
                    indicator=item,
                    organization=data.get("organization"),
                    period=data.get("period"),
                    target=data.get("target"),
                )
            except ValidationError as error:
                _apply_errors(target_form, error)
            else:
                messages.success(request, _("Dílčí cíl je uložený."))
                return redirect("monitoring:indicator", pk=project.pk, indicator=item.pk)
        elif which not in ("value", "target"):
            raise PermissionDenied
    manual_values = (
        item.values.filter(is_snapshot=False)
        .select_related("period", "organization", "entered_by", "decided_by")
        .order_by("period__number", "organization__name")
        if item.is_manual
        else []
    )
    matrix = [
        {
            "organization": org,
            "values": [result.cell(org.pk, i) for i in range(len(periods))],
            "total": result.by_partner.get(org.pk),
            "target": result.partner_targets.get(org.pk),
        }
        for org in organizations
    ]
    targets = item.targets.select_related("organization", "period").order_by(
        "period__number", "organization__name"
    )
    return render(
        request,
        "monitoring/indicator_detail.html",
        _context(
            request,
            project,
            indicator=item,
            result=result,
            periods=periods,
            period_labels=_period_labels(periods),
            period_values=[
                {
                    "period": p,
                    "value": result.period_value(i),
                    "target": result.period_targets.get(i),
                    "frozen": i in result.frozen,
                }
                for i, p in enumerate(periods)
            ],
            matrix=matrix,
            period_chart=charts.period_chart(result, _period_labels(periods)),
            manual_values=manual_values,
            value_form=value_form,
            target_form=target_form,
            targets=targets,
            decision_form=DecisionForm(),
        ),
    )


@monitoring_view
@require_POST
def value_decide(request: HttpRequest, pk, value) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    row = get_object_or_404(
        IndicatorValue.objects.select_related("indicator", "period"),
        pk=value,
        indicator__project=project,
        is_snapshot=False,
    )
    form = DecisionForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.decide_value(
            actor=request.user,
            value=row,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Hodnota je schválená.")
            if form.cleaned_data["decision"] == "approve"
            else _("Hodnota je vrácená k opravě."),
        )
    return redirect("monitoring:indicator", pk=project.pk, indicator=row.indicator_id)


@monitoring_view
def evidence_download(request: HttpRequest, pk, value) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    row = get_object_or_404(IndicatorValue, pk=value, indicator__project=project, is_snapshot=False)
    if not row.evidence_file:
        raise Http404
    handle = row.evidence_file.open("rb")
    return FileResponse(
        handle, as_attachment=True, filename=row.evidence_file.name.rsplit("/", 1)[-1]
    )


# --- periods -------------------------------------------------------------------------------------


@monitoring_view
def periods(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    history = defaultdict(list)
    for event in PeriodEvent.objects.filter(period__project=project).order_by("at"):
        history[event.period_id].append(event)
    rows = [
        {"period": period, "history": history.get(period.pk, [])} for period in _periods(project)
    ]
    return render(request, "monitoring/periods.html", _context(request, project, rows=rows))


def _get_period(project: Project, pk) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, project=project, pk=pk)


@monitoring_view
@require_POST
def period_lock(request: HttpRequest, pk, period) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    item = _get_period(project, period)
    try:
        services.lock_period(actor=request.user, period=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Období %(period)s je uzamčené.") % {"period": item})
    return redirect("monitoring:periods", pk=project.pk)


@monitoring_view
@require_POST
def period_reopen(request: HttpRequest, pk, period) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    item = _get_period(project, period)
    try:
        services.reopen_period(
            actor=request.user, period=item, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Období %(period)s je znovu otevřené.") % {"period": item})
    return redirect("monitoring:periods", pk=project.pk)


# --- participants --------------------------------------------------------------------------------


def _visible_participants(request, project: Project):
    return Participant.objects.visible_to(request.user).filter(project=project)


def _get_participant(request, project: Project, pk) -> Participant:
    return get_object_or_404(
        _visible_participants(request, project).select_related(
            "person__municipality", "organization"
        ),
        pk=pk,
    )


def _audit_list(request, items, *, object_type: str) -> None:
    groups = defaultdict(list)
    for item in items:
        groups[item.organization_id].append(item)
    for organization_id, group in groups.items():
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.LIST,
            object_type=object_type,
            object_ids=[str(i.pk) for i in group],
            organization_id=organization_id,
            count=len(group),
        )


@monitoring_view
def participant_list(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    visible = _visible_participants(request, project)
    check = services.completeness(visible)
    participants = list(
        visible.select_related("person", "organization").order_by("entered_on", "id")[
            :PARTICIPANT_PAGE
        ]
    )
    _audit_list(request, participants, object_type="monitoring.participant")
    missing = {card.pk: items for card, items in check.incomplete}
    return render(
        request,
        "monitoring/participant_list.html",
        _context(
            request,
            project,
            participants=participants,
            rows=[{"card": p, "missing": missing.get(p.pk, [])} for p in participants],
            check=check,
            shown_all=check.total <= PARTICIPANT_PAGE,
            summary=reports.participant_summary(project),
            summary_rows=[(str(label), key) for key, label in reports.SUMMARY_ROWS],
        ),
    )


@monitoring_view
@require_http_methods(["GET", "POST"])
def participant_create(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    own = permissions.user_organizations_in_project(request.user, project, PARTICIPANT_ROLES)
    if not own.exists():
        raise PermissionDenied
    persons = (
        Person.objects.visible_to(request.user)
        .filter(organization__in=own, anonymised_at__isnull=True)
        .exclude(participations__project=project)
        .order_by("name", "id")
    )
    form = ParticipantEntryForm(request.POST or None, persons=persons)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        person = data.pop("person")
        entered_on = data.pop("entered_on")
        try:
            card = services.enter_participant(
                actor=request.user, project=project, person=person, entered_on=entered_on, **data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Osoba je zařazená do projektu."))
            return redirect("monitoring:participant", pk=project.pk, participant=card.pk)
    return render(
        request, "monitoring/participant_create.html", _context(request, project, form=form)
    )


@monitoring_view
@require_http_methods(["GET", "POST"])
def participant_detail(request: HttpRequest, pk, participant) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    card = _get_participant(request, project, participant)
    can_edit = permissions.can_record_participants(request.user, project, card.organization)
    which = request.POST.get("form") if request.method == "POST" else None
    if which and not can_edit:
        raise PermissionDenied
    card_form = ParticipantCardForm(request.POST if which == "card" else None, instance=card)
    activity_form = ActivityForm(
        request.POST if which == "activity" else None,
        prefix="podpora",
        key_activities=project.key_activities.all(),
        organizations=Organization.objects.filter(
            pk__in=project_organization_ids(project)
        ).order_by("name"),
        initial={"organization": card.organization_id, "day": timezone.localdate()},
    )
    if which == "card" and card_form.is_valid():
        changes = {name: card_form.cleaned_data[name] for name in card_form.fields}
        card.refresh_from_db()
        try:
            services.update_card(actor=request.user, participant=card, **changes)
        except ValidationError as error:
            _apply_errors(card_form, error)
        else:
            messages.success(request, _("Karta účastníka je uložená."))
            return redirect("monitoring:participant", pk=project.pk, participant=card.pk)
    if which == "activity" and activity_form.is_valid():
        data = activity_form.cleaned_data
        try:
            services.record_activity(
                actor=request.user,
                participant=card,
                day=data["day"],
                kind=data["kind"],
                hours=data["hours"],
                key_activity=data.get("key_activity"),
                organization=data["organization"],
            )
        except ValidationError as error:
            _apply_errors(activity_form, error)
        else:
            messages.success(request, _("Podpora je zapsaná."))
            return redirect("monitoring:participant", pk=project.pk, participant=card.pk)
    audit.record(
        actor=request.user,
        action=AuditEntry.Action.READ,
        obj=card,
        organization_id=card.organization_id,
    )
    activities = card.activities.select_related("key_activity", "organization").order_by(
        "-date", "-created_at"
    )[:200]
    return render(
        request,
        "monitoring/participant_detail.html",
        _context(
            request,
            project,
            card=card,
            can_edit=can_edit,
            card_form=card_form,
            activity_form=activity_form,
            activities=activities,
            missing=[
                str(Participant._meta.get_field(name).verbose_name) for name in card.missing_items()
            ],
            locked_entry=(services.period_of(project, card.entered_on) or _Open()).is_locked,
            card_facts=_card_facts(card),
        ),
    )


class _Open:
    is_locked = False


def _card_facts(card: Participant) -> list[tuple[str, object]]:
    facts = []
    for name in services.CARD_FIELDS:
        field = Participant._meta.get_field(name)
        value = getattr(card, name)
        if field.choices and value:
            value = getattr(card, f"get_{name}_display")()
        elif name == "left_on" and value:
            value = value.strftime("%d. %m. %Y")
        facts.append((str(field.verbose_name), value))
    return facts


@monitoring_view
@require_POST
def activity_delete(request: HttpRequest, pk, participant, activity) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    card = _get_participant(request, project, participant)
    row = get_object_or_404(Activity, participant=card, pk=activity)
    try:
        services.delete_activity(actor=request.user, activity=row)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Záznam podpory je smazaný."))
    return redirect("monitoring:participant", pk=project.pk, participant=card.pk)


@monitoring_view
def participant_export(request: HttpRequest, pk, fmt: str) -> HttpResponse:
    """The user's own participant cards (their organisations' persons), audited."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    project = permissions.get_project(request.user, pk)
    cards = _visible_participants(request, project)
    counts = defaultdict(int)
    for organization_id in cards.values_list("organization_id", flat=True):
        counts[organization_id] += 1
    if not counts:
        messages.warning(request, _("Nemáte žádné karty účastníků k exportu."))
        return redirect("monitoring:participants", pk=project.pk)
    for organization_id, count in counts.items():
        audit.record(
            actor=request.user,
            action=AuditEntry.Action.EXPORT,
            object_type="monitoring.participant",
            object_id=str(project.pk),
            organization_id=organization_id,
            count=count,
            reason=f"{fmt} export",
        )
    stem = f"ucastnici-{project.registration_number.replace('/', '-')}"
    if fmt == "csv":
        text = io.StringIO()
        reports.write_participants_csv(cards, text)
        response = HttpResponse(text.getvalue().encode("utf-8"), content_type="text/csv")
    else:
        buffer = io.BytesIO()
        reports.write_participants_xlsx(cards, buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response


# --- service statistics --------------------------------------------------------------------------


@monitoring_view
def statistics_list(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    funded = list(
        permissions.statistics_services(request.user, project)
        .select_related("organization", "service_type")
        .order_by("organization__name", "name")
    )
    if not funded:
        raise Http404
    periods = _periods(project)
    stored = {
        (row.service_id, row.period_id): row
        for row in ServiceStatistics.objects.filter(period__project=project, service__in=funded)
    }
    rows = [
        {
            "service": service,
            "cells": [{"period": p, "row": stored.get((service.pk, p.pk))} for p in periods],
        }
        for service in funded
    ]
    return render(
        request,
        "monitoring/statistics_list.html",
        _context(
            request, project, rows=rows, periods=periods, period_labels=_period_labels(periods)
        ),
    )


@monitoring_view
@require_http_methods(["GET", "POST"])
def statistics_form(request: HttpRequest, pk, service, period) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    item = get_object_or_404(
        permissions.statistics_services(request.user, project).select_related("organization"),
        pk=service,
    )
    the_period = _get_period(project, period)
    existing = ServiceStatistics.objects.filter(service=item, period=the_period).first()
    capacity = services.registered_capacity(item)
    service_forms = {f.code for f in item.forms.all()} | {form for form, _c in capacity}
    prefill = None
    if existing is None:
        prefill = services.prefill_statistics(service=item, period=the_period)
    form = StatisticsForm(
        request.POST or None,
        instance=existing or ServiceStatistics(service=item, period=the_period, **prefill),
        service_forms=service_forms,
    )
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.fields}
        try:
            services.save_statistics(
                actor=request.user,
                project=project,
                service=item,
                period=the_period,
                data=data,
                submit="submit" in request.POST,
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("Statistika je odevzdaná.")
                if "submit" in request.POST
                else _("Statistika je uložená jako rozpracovaná."),
            )
            return redirect("monitoring:statistics", pk=project.pk)
    capacity_rows = list(
        RegisteredCapacity.objects.filter(service=item)
        .select_related("form", "capacity_type")
        .order_by("form__order", "capacity_type__order")
    )
    figures = (
        [
            (ServiceStatistics._meta.get_field(name).verbose_name, getattr(existing, name))
            for name in services.STATISTICS_FIELDS
            if name in form.fields
        ]
        if existing is not None
        else []
    )
    return render(
        request,
        "monitoring/statistics_form.html",
        _context(
            request,
            project,
            service=item,
            period=the_period,
            form=form,
            prefilled=prefill is not None,
            existing=existing,
            capacity_rows=capacity_rows,
            figures=figures,
        ),
    )


@monitoring_view
def network(request: HttpRequest, pk) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied
    all_rows = reports.network_view(project)
    periods = _periods(project)
    numbers = sorted({row.period.number for row in all_rows})
    try:
        chosen = int(request.GET.get("obdobi", ""))
    except ValueError:
        chosen = None
    if chosen not in numbers:
        chosen = numbers[-1] if numbers else None
    rows = [row for row in all_rows if row.period.number == chosen]
    return render(
        request,
        "monitoring/network.html",
        _context(
            request,
            project,
            rows=rows,
            total=reports.network_total(rows),
            chosen=chosen,
            periods=[p for p in periods if p.number in numbers],
            funded=project.services.select_related(
                "service__organization", "service__service_type"
            ).order_by("service__organization__name", "service__name"),
            submitted=ServiceStatistics.objects.filter(
                period__project=project, status=ServiceStatistics.Status.SUBMITTED
            ).count(),
            expected=project.services.count() * len(periods),
        ),
    )


# --- reports -------------------------------------------------------------------------------------


@monitoring_view
def zor(request: HttpRequest, pk, period) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    the_period = _get_period(project, period)
    annex = reports.zor_annex(project, the_period)
    return render(
        request,
        "monitoring/zor.html",
        _context(
            request,
            project,
            annex=annex,
            period=the_period,
            indicator_rows=annex.indicator_rows(),
            summary_rows=annex.summary_rows(),
        ),
    )


@monitoring_view
def zor_xlsx(request: HttpRequest, pk, period) -> HttpResponse:
    project = permissions.get_project(request.user, pk)
    the_period = _get_period(project, period)
    content = reports.zor_xlsx_bytes(reports.zor_annex(project, the_period))
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"priloha-zor-{project.registration_number.replace('/', '-')}-{the_period.number}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


@monitoring_view
def planning(request: HttpRequest, territory: str) -> HttpResponse:
    the_territory = permissions.get_territory_for_planning(request.user, territory)
    form = PlanningForm(request.GET or None)
    start, end = form.range(timezone.localdate())
    report = reports.unmet_demand(the_territory, start=start, end=end)
    return render(
        request,
        "monitoring/planning.html",
        {
            "territory_obj": the_territory,
            "form": form,
            "report": report,
            "start": start,
            "end": end,
            "projects": permissions.visible_projects(request.user).filter(territory=the_territory),
        },
    )
