"""Views of the events app: the public calendar of a territory, event pages with
registration, iCalendar feeds, and the organiser's area. They parse the request, call
`events.queries` or `events.services`, and render.

Public pages show only public data (counts of places, never who registered). The
organiser's pages reach events and registrations only through `events.permissions`; every
list of registrations is audited.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta
from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts import audit
from directory.models import Organization
from events import ical, permissions, queries, recurrence, services
from events.forms import CalendarFilterForm, CancelEventForm, EventForm, RegistrationForm
from events.models import Event, Registration
from events.recurrence import PRAGUE, local
from territory.models import Territory

MIN_YEAR, MAX_YEAR = 2000, 2100


def _territory(slug: str) -> Territory:
    return get_object_or_404(Territory, slug=slug)


def _privacy_url(territory: Territory) -> str:
    """The territory's privacy notice, once the portal has one."""
    try:
        return reverse("portal:privacy", kwargs={"territory": territory.slug})
    except NoReverseMatch:
        return ""


def _month_url(territory: Territory, day: date, querystring: str = "") -> str:
    url = reverse(
        "events:month",
        kwargs={"territory": territory.slug, "year": day.year, "month": day.month},
    )
    return f"{url}?{querystring}" if querystring else url


def _feed_url(territory: Territory) -> str:
    return reverse("events_feed") + "?" + urlencode({"territory": territory.slug})


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


# --- the public calendar --------------------------------------------------------------------


def calendar_list(request: HttpRequest, territory: str) -> HttpResponse:
    territory = _territory(territory)
    form = CalendarFilterForm(request.GET)
    today = timezone.localdate()
    chosen = _parse_day(request.GET.get("od"))
    if chosen is None or chosen <= today:
        since, first_day = timezone.now(), today
    else:
        since, first_day = datetime.combine(chosen, time(0), PRAGUE), chosen
    occurrences = queries.upcoming_occurrences(
        territory, form.filters(), since=since, days=queries.LIST_DAYS, limit=500
    )
    days = [
        (day, list(items))
        for day, items in groupby(occurrences, key=lambda o: local(o.start).date())
    ]
    querystring = form.querystring()
    next_day = first_day + timedelta(days=queries.LIST_DAYS)
    previous_day = first_day - timedelta(days=queries.LIST_DAYS)
    base = reverse("events:calendar", kwargs={"territory": territory.slug})

    def page(day: date) -> str:
        params = f"{querystring}&od={day.isoformat()}" if querystring else f"od={day.isoformat()}"
        return f"{base}?{params}"

    return render(
        request,
        "events/calendar.html",
        {
            "territory": territory,
            "form": form,
            "days": days,
            "first_day": first_day,
            "last_day": next_day - timedelta(days=1),
            "next_url": page(next_day),
            "previous_url": (page(previous_day) if previous_day > today else base)
            if first_day > today
            else "",
            "month_url": _month_url(territory, first_day, querystring),
            "feed_url": _feed_url(territory),
            "querystring": querystring,
        },
    )


def calendar_month(request: HttpRequest, territory: str, year: int, month: int) -> HttpResponse:
    territory = _territory(territory)
    if not (MIN_YEAR <= year <= MAX_YEAR and 1 <= month <= 12):
        raise Http404
    form = CalendarFilterForm(request.GET)
    occurrences = queries.month_occurrences(territory, year, month, form.filters())
    first = date(year, month, 1)
    previous_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    querystring = form.querystring()
    today = timezone.localdate()
    return render(
        request,
        "events/month.html",
        {
            "territory": territory,
            "form": form,
            "month_label": date_format(first, "YEAR_MONTH_FORMAT"),
            "weeks": queries.month_weeks(year, month, occurrences),
            "weekday_names": recurrence.WEEKDAY_NAMES,
            "count": len(occurrences),
            "previous_url": _month_url(territory, previous_month, querystring)
            if previous_month.year >= MIN_YEAR
            else "",
            "next_url": _month_url(territory, next_month, querystring)
            if next_month.year <= MAX_YEAR
            else "",
            "this_month_url": _month_url(territory, today, querystring),
            "is_this_month": (year, month) == (today.year, today.month),
            "list_url": reverse("events:calendar", kwargs={"territory": territory.slug})
            + (f"?{querystring}" if querystring else ""),
            "feed_url": _feed_url(territory),
            "querystring": querystring,
        },
    )


def _public_event(territory: Territory, pk) -> Event:
    return get_object_or_404(
        Event.objects.in_territory(territory)
        .for_cards()
        .prefetch_related("target_groups", "life_situations"),
        pk=pk,
    )


def _detail(request: HttpRequest, territory: Territory, event: Event, form=None):
    occurrences = queries.next_occurrences(event, count=12)
    open_occurrences = [o for o in occurrences if o.registration_open]
    if form is None and open_occurrences:
        form = RegistrationForm(
            occurrences=open_occurrences, initial_key=request.GET.get("termin", "")
        )
    url = request.build_absolute_uri(event.get_absolute_url(territory.slug))
    return render(
        request,
        "events/detail.html",
        {
            "territory": territory,
            "event": event,
            "occurrences": occurrences,
            "next": occurrences[0] if occurrences else None,
            "form": form if open_occurrences else None,
            "recurrence_text": recurrence.describe(event.rrule),
            "privacy_url": _privacy_url(territory),
            "absolute_url": url,
            "ics_url": reverse("events:ics", kwargs={"territory": territory.slug, "pk": event.pk}),
            "calendar_url": reverse("events:calendar", kwargs={"territory": territory.slug}),
            "organization_url": _organization_url(territory, event.organization),
        },
    )


def _organization_url(territory: Territory, organization: Organization) -> str:
    # The portal shows organisations that have a public service; others have no page.
    if not organization.services.filter(status="active").exists():
        return ""
    return reverse(
        "portal:organization", kwargs={"territory": territory.slug, "pk": organization.pk}
    )


def detail(request: HttpRequest, territory: str, pk) -> HttpResponse:
    territory = _territory(territory)
    return _detail(request, territory, _public_event(territory, pk))


@require_POST
def register(request: HttpRequest, territory: str, pk) -> HttpResponse:
    territory = _territory(territory)
    event = _public_event(territory, pk)
    open_occurrences = [o for o in queries.next_occurrences(event, count=12) if o.registration_open]
    form = RegistrationForm(request.POST, occurrences=open_occurrences)
    if form.is_bot:
        # Nothing is stored; the bot is sent back to the page as if all went well.
        return redirect(event.get_absolute_url(territory.slug))
    if form.is_valid():
        data = form.cleaned_data
        try:
            result = services.register(
                event=event,
                occurrence_start=form.occurrence.start,
                name=data["jmeno"],
                email=data["email"],
                phone=data["telefon"],
                consent=data["souhlas"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("events:registration", territory=territory.slug, token=result.token)
    return _detail(request, territory, event, form=form)


@never_cache
def registration(request: HttpRequest, territory: str, token: str) -> HttpResponse:
    """The person's own registration, reached by the secret link (no account)."""
    found = services.registration_by_token(token)
    if found is None:
        raise Http404
    territory = _territory(territory)
    event = found.event
    occurrence = queries.occurrence_of(event, found.occurrence_start)
    return render(
        request,
        "events/registration.html",
        {
            "territory": territory,
            "event": event,
            "registration": found,
            "occurrence": occurrence,
            "position": queries.waitlist_position(found),
            "is_active": found.status in Registration.ACTIVE
            and occurrence is not None
            and not occurrence.is_past,
            "event_url": event.get_absolute_url(territory.slug),
            "token": token,
        },
    )


@require_POST
def registration_cancel(request: HttpRequest, territory: str, token: str) -> HttpResponse:
    found = services.registration_by_token(token)
    if found is None:
        raise Http404
    services.cancel_registration(registration=found)
    messages.success(request, _("Přihláška je zrušená. Děkujeme, že jste dali vědět."))
    return redirect("events:registration", territory=territory, token=token)


# --- iCalendar ------------------------------------------------------------------------------


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    patch_cache_control(response, public=True, max_age=600)
    return response


def _url_for(request: HttpRequest):
    return lambda event: request.build_absolute_uri(event.get_absolute_url())


def feed(request: HttpRequest) -> HttpResponse:
    """`/api/v1/events.ics?territory=<slug>` or `?organization=<uuid>`: a subscribable feed."""
    slug = request.GET.get("territory", "")
    organization_id = request.GET.get("organization", "")
    if slug:
        territory = _territory(slug)
        events = queries.feed_events(territory=territory)
        name = _("Akce – %(territory)s") % {"territory": territory.name}
        filename = f"akce-{territory.slug}.ics"
    elif organization_id:
        try:
            organization_id = uuid.UUID(organization_id)
        except ValueError:
            raise Http404 from None
        organization = get_object_or_404(Organization, pk=organization_id)
        events = queries.feed_events(organization=organization)
        name = _("Akce – %(organization)s") % {"organization": organization.name}
        filename = f"akce-{organization.pk}.ics"
    else:
        return HttpResponseBadRequest(
            "Missing parameter: territory=<slug> or organization=<uuid>\n",
            content_type="text/plain; charset=utf-8",
        )
    return _ics_response(ical.calendar(events, name=name, url_for=_url_for(request)), filename)


def event_ics(request: HttpRequest, territory: str, pk) -> HttpResponse:
    territory = _territory(territory)
    event = get_object_or_404(
        Event.objects.in_territory(territory).for_cards().prefetch_related("cancelled_occurrences"),
        pk=pk,
    )
    body = ical.calendar([event], name=event.title, url_for=_url_for(request))
    return _ics_response(body, f"akce-{event.pk}.ics")


# --- the organiser's area -------------------------------------------------------------------


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    now = timezone.now()
    events = Event.objects.manageable_by(user).for_cards()
    upcoming = list(events.filter(series_end__gte=now).order_by("start"))
    past = list(
        events.filter(
            series_end__lt=now, series_end__gte=now - timedelta(days=queries.PAST_DAYS)
        ).order_by("-series_end")
    )
    next_by_event = {o.event.pk: o for o in queries.next_occurrence_per_event(upcoming, now=now)}
    pending = dict(
        Registration.objects.visible_to(user)
        .filter(status=Registration.Status.PENDING, occurrence_start__gt=now)
        .values_list("event_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = [(event, next_by_event.get(event.pk), pending.get(event.pk, 0)) for event in upcoming]
    return render(
        request,
        "events/manage_list.html",
        {
            "rows": rows,
            "past": past,
            "can_create": permissions.manageable_organizations(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_create(request: HttpRequest) -> HttpResponse:
    organizations = permissions.manageable_organizations(request.user)
    if not organizations.exists():
        raise Http404
    form = EventForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.create_event(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                target_groups=form.cleaned_data["target_groups"],
                life_situations=form.cleaned_data["life_situations"],
                **form.event_fields(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Akce „%(title)s“ je zveřejněná.") % {"title": event.title})
            return redirect("events:manage_list")
    return render(request, "events/manage_form.html", {"form": form, "event": None})


@login_required
@require_http_methods(["GET", "POST"])
def manage_edit(request: HttpRequest, pk) -> HttpResponse:
    event = permissions.get_event_for_manage(request.user, pk)
    title = event.title  # the form writes the submitted values onto the instance
    form = EventForm(
        request.POST if request.method == "POST" else None,
        organizations=permissions.manageable_organizations(request.user),
        instance=event,
    )
    if request.method == "POST" and form.is_valid():
        try:
            event = services.update_event(
                actor=request.user,
                event=event,
                target_groups=form.cleaned_data["target_groups"],
                life_situations=form.cleaned_data["life_situations"],
                **form.event_fields(),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Akce „%(title)s“ je uložená.") % {"title": event.title})
            return redirect("events:manage_list")
    return render(
        request, "events/manage_form.html", {"form": form, "event": event, "title": title}
    )


@login_required
@require_http_methods(["GET", "POST"])
def manage_cancel(request: HttpRequest, pk) -> HttpResponse:
    event = permissions.get_event_for_manage(request.user, pk)
    form = CancelEventForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.cancel_event(actor=request.user, event=event, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Akce „%(title)s“ je zrušená; přihlášeným s e-mailem jsme to napsali.")
            % {"title": event.title},
        )
        return redirect("events:manage_list")
    return render(request, "events/manage_cancel.html", {"event": event, "form": form})


def _registrations_url(event: Event, key: str = "") -> str:
    url = reverse("events:manage_registrations", kwargs={"pk": event.pk})
    return f"{url}?{urlencode({'termin': key})}" if key else url


GROUP_LABELS = {
    Registration.Status.PENDING: gettext_lazy("Čekají na schválení"),
    Registration.Status.CONFIRMED: gettext_lazy("Přihlášení"),
    Registration.Status.WAITLISTED: gettext_lazy("Na čekací listině (v pořadí)"),
    Registration.Status.DECLINED: gettext_lazy("Nepřijaté přihlášky"),
    Registration.Status.CANCELLED: gettext_lazy("Zrušené přihlášky"),
}


@login_required
def manage_registrations(request: HttpRequest, pk) -> HttpResponse:
    """Who registered for one occurrence. Personal data: the list shown is audited."""
    event = permissions.get_event_for_manage(request.user, pk)
    occurrences = queries.recent_and_next_occurrences(event)
    chosen_start = recurrence.parse_occurrence_key(request.GET.get("termin", ""))
    chosen = next((o for o in occurrences if o.start == chosen_start), None)
    if chosen is None and chosen_start is not None:
        chosen = queries.occurrence_of(event, chosen_start)
    if chosen is None and occurrences:
        now = timezone.now()
        chosen = next((o for o in occurrences if o.end > now), occurrences[-1])
    registrations: list[Registration] = []
    if chosen is not None:
        registrations = list(
            Registration.objects.visible_to(request.user)
            .filter(event=event, occurrence_start=chosen.start)
            .order_by("created_at", "id")
        )
        audit.record_list(
            actor=request.user, objects=registrations, object_type="events.registration"
        )
    groups = [
        (status, label, [r for r in registrations if r.status == status])
        for status, label in GROUP_LABELS.items()
    ]
    return render(
        request,
        "events/manage_registrations.html",
        {
            "event": event,
            "occurrences": occurrences,
            "chosen": chosen,
            "groups": [g for g in groups if g[2]],
            "total": len(registrations),
        },
    )


MANAGE_ACTIONS = {"approve", "decline", "cancel", "attended", "absent"}


@login_required
@require_POST
def manage_registration_action(request: HttpRequest, pk) -> HttpResponse:
    found = permissions.get_registration_for_manage(request.user, pk)
    action = request.POST.get("action", "")
    if action not in MANAGE_ACTIONS:
        return HttpResponseBadRequest("Unknown action\n", content_type="text/plain; charset=utf-8")
    try:
        if action == "approve":
            services.approve_registration(actor=request.user, registration=found)
        elif action == "decline":
            services.decline_registration(actor=request.user, registration=found)
        elif action == "cancel":
            services.cancel_registration(registration=found, actor=request.user)
        else:
            services.mark_attendance(
                actor=request.user, registration=found, attended=action == "attended"
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uloženo."))
    return redirect(
        _registrations_url(found.event, recurrence.occurrence_key(found.occurrence_start))
    )


@login_required
@require_POST
def manage_cancel_occurrence(request: HttpRequest, pk) -> HttpResponse:
    event = permissions.get_event_for_manage(request.user, pk)
    start = recurrence.parse_occurrence_key(request.POST.get("termin", ""))
    if start is None:
        raise Http404
    try:
        services.cancel_occurrence(actor=request.user, event=event, occurrence_start=start)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Termín je zrušený; přihlášeným s e-mailem jsme to napsali."))
    return redirect(_registrations_url(event, recurrence.occurrence_key(start)))
