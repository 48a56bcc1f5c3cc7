"""Views of community work, mounted at /komunita/: meetings with their topics, attendance and
follow-up actions, the topic board, community leaders, and printable attendance sheets
(prezenční listiny) of meetings and event occurrences.

Views parse the request, fetch through `community.permissions` (a hidden object answers
404, like a missing one), call `community.services` and render. Pages that show
participants or leaders leave an audit entry.
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import audit
from community import permissions, queries, services
from community.forms import (
    AnonymousCountForm,
    AttendanceAddForm,
    EndLeaderForm,
    FollowUpForm,
    LeaderForm,
    LeadersRangeForm,
    MeetingForm,
    MeetingTopicForm,
    ParticipantForm,
    SheetForm,
    TopicForm,
    TopicStatusForm,
    territories_for,
)
from community.models import (
    Attendance,
    CommunityLeader,
    EventHeadcount,
    FollowUpAction,
    Meeting,
    MeetingTopic,
    Topic,
)
from events import recurrence
from events.models import Event, Registration
from events.queries import occurrence_of
from referrals.models import Person
from referrals.views_common import (
    area_view,
    audit_list,
    audit_read,
    form_errors_from,
    render_area,
)
from territory.models import Municipality, Territory

PAGE_SIZE = 30
MAX_EMPTY_ROWS = 40
DEFAULT_EMPTY_ROWS = 12


def municipalities_for(organization_ids):
    """Obce of the territories the organisations work in (not the whole country), for the
    obec of a new participant."""
    territories = territories_for(organization_ids)
    return (
        Municipality.objects.filter(
            code__in=Municipality.objects.filter(territories__in=territories).values("code")
        )
        .select_related("district")
        .order_by("name", "code")
    )


def _render(request: HttpRequest, template: str, context: dict, *, status: int = 200):
    user = request.user
    context.setdefault("can_manage_any", permissions.managed_organizations(user).exists())
    return render_area(request, template, context, status=status)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse("community:meeting_detail", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


# --- overview ----------------------------------------------------------------------------------


@area_view()
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The community area: planned and past meetings, overdue tasks, sheets of events."""
    user = request.user
    now = timezone.now()
    visible = queries.meetings_with_counts(Meeting.objects.visible_to(user))
    planned = list(
        visible.filter(status=Meeting.Status.PLANNED).order_by("held_at", "title")[:PAGE_SIZE]
    )
    past = Paginator(
        visible.exclude(status=Meeting.Status.PLANNED).order_by("-held_at", "title"), PAGE_SIZE
    ).get_page(request.GET.get("strana"))
    overdue = FollowUpAction.objects.visible_to(user).overdue().count()
    return _render(
        request,
        "community/home.html",
        {
            "planned": planned,
            "past": past,
            "overdue": overdue,
            "occurrences": queries.sheet_occurrences(user, now=now),
            "held_count": Meeting.objects.visible_to(user).held().count(),
        },
    )


# --- meetings ----------------------------------------------------------------------------------


@area_view()
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest) -> HttpResponse:
    organizations = permissions.managed_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = MeetingForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.create_meeting(
                actor=request.user,
                organization=form.cleaned_data["organization"],
                facilitators=form.cleaned_data["facilitators"],
                **form.meeting_fields(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("Setkání „%(title)s“ je uložené.") % {"title": meeting.title}
            )
            return redirect("community:meeting_detail", pk=meeting.pk)
    return _render(
        request,
        "community/meeting_form.html",
        {"form": form, "meeting": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@area_view()
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk) -> HttpResponse:
    meeting = permissions.get_meeting(request.user, pk)
    if not permissions.can_manage(request.user, meeting.organization_id):
        raise PermissionDenied
    form = MeetingForm(
        request.POST if request.method == "POST" else None,
        organizations=None,
        meeting=meeting,
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.update_meeting(
                actor=request.user,
                meeting=meeting,
                facilitators=form.cleaned_data["facilitators"],
                **form.meeting_fields(),
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Změny setkání jsou uložené."))
            return redirect("community:meeting_detail", pk=meeting.pk)
    return _render(
        request,
        "community/meeting_form.html",
        {"form": form, "meeting": meeting},
        status=400 if form.is_bound and form.errors else 200,
    )


@area_view()
@require_http_methods(["GET", "POST"])
def meeting_delete(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    if request.method == "POST":
        try:
            services.delete_meeting(actor=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("community:meeting_detail", pk=meeting.pk)
        messages.success(request, _("Setkání „%(title)s“ je smazané.") % {"title": meeting.title})
        return redirect("community:home")
    return _render(
        request,
        "community/meeting_delete.html",
        {"meeting": meeting, "attendance_count": meeting.attendances.count()},
    )


def _attendance_rows(meeting: Meeting) -> list[Attendance]:
    persons = permissions.with_referral_consent_flag(Person.objects.select_related("municipality"))
    return list(
        Attendance.objects.filter(meeting=meeting)
        .prefetch_related(Prefetch("person", queryset=persons))
        .order_by("-attended", "person__name", "id")
    )


def _meeting_page(request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms):
    """The meeting with its topics, participants, minutes and tasks; `forms` replace the
    empty forms (a failed POST shows its errors in place)."""
    user = request.user
    can_manage = permissions.can_manage(user, meeting.organization_id)
    attendances = _attendance_rows(meeting)
    items = list(
        MeetingTopic.objects.filter(meeting=meeting)
        .select_related("topic")
        .order_by("topic__title")
    )
    changes = {
        change.topic_id: change
        for change in meeting.topic_changes.select_related("by").order_by("at")
    }
    topics = [
        {
            "item": item,
            "topic": item.topic,
            "change": changes.get(item.topic_id),
            "form": forms.get(f"status_{item.topic_id}")
            or TopicStatusForm(topic=item.topic, meeting=meeting, prefix=f"stav-{item.topic_id}"),
        }
        for item in items
    ]
    picker = None
    if can_manage:
        persons = permissions.community_persons(user, [meeting.organization_id]).exclude(
            attendances__meeting=meeting
        )
        picker = forms.get("attendance_form") or AttendanceAddForm(persons=persons)
    audit_read(user, meeting)
    audit_list(user, attendances, object_type="community.attendance")
    if picker is not None:
        listed = list(picker.fields["person"].queryset)
        audit_list(user, listed, object_type="referrals.person")
    follow_ups = list(meeting.follow_ups.select_related("owner", "done_by"))
    for action in follow_ups:
        action.user_can_manage = can_manage
    attended = sum(1 for a in attendances if a.attended)
    return _render(
        request,
        "community/meeting_detail.html",
        {
            "meeting": meeting,
            "can_manage": can_manage,
            "facilitators": list(meeting.facilitators.order_by("last_name", "username")),
            "topics": topics,
            "attendances": attendances,
            "attended": attended,
            "total": attended + meeting.anonymous_count,
            "follow_ups": follow_ups,
            "topic_form": forms.get("topic_form") or MeetingTopicForm(meeting=meeting),
            "attendance_form": picker,
            "participant_form": forms.get("participant_form")
            or ParticipantForm(municipalities=municipalities_for([meeting.organization_id])),
            "count_form": forms.get("count_form")
            or AnonymousCountForm(initial={"anonymous_count": meeting.anonymous_count}),
            "follow_up_form": forms.get("follow_up_form") or FollowUpForm(meeting=meeting),
        },
        status=status,
    )


@area_view()
@require_GET
def meeting_detail(request: HttpRequest, pk) -> HttpResponse:
    return _meeting_page(request, permissions.get_meeting(request.user, pk))


def _managed_meeting(request: HttpRequest, pk) -> Meeting:
    """A meeting the user sees (else 404) and may change (else 403)."""
    meeting = permissions.get_meeting(request.user, pk)
    if not permissions.can_manage(request.user, meeting.organization_id):
        raise PermissionDenied
    return meeting


@area_view()
@require_POST
def meeting_topic_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = MeetingTopicForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["topic"] is not None:
                services.discuss_topic(
                    actor=request.user, meeting=meeting, topic=data["topic"], notes=data["notes"]
                )
                title = data["topic"].title
            else:
                topic = services.create_topic(
                    actor=request.user,
                    organization=meeting.organization,
                    territory=meeting.territory,
                    title=data["new_title"],
                    meeting=meeting,
                    notes=data["notes"],
                )
                title = topic.title
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Téma „%(title)s“ je na setkání.") % {"title": title})
            return redirect(_meeting_url(meeting, "temata"))
    return _meeting_page(request, meeting, status=400, topic_form=form)


@area_view()
@require_POST
def meeting_topic_remove(request: HttpRequest, pk, topic) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    found = get_object_or_404(Topic.objects.visible_to(request.user), pk=topic)
    services.remove_topic_from_meeting(actor=request.user, meeting=meeting, topic=found)
    messages.success(request, _("Téma je ze setkání odebrané; na nástěnce zůstává."))
    return redirect(_meeting_url(meeting, "temata"))


@area_view()
@require_POST
def topic_status(request: HttpRequest, pk) -> HttpResponse:
    """A topic's status changes, from the topic's page or from a meeting's."""
    user = request.user
    topic = permissions.get_topic(user, pk)
    if not permissions.can_manage(user, topic.organization_id):
        raise PermissionDenied
    meeting = None
    raw_meeting = request.POST.get("meeting_page", "")
    if raw_meeting:
        meeting = permissions.get_meeting(user, raw_meeting)
    prefix = f"stav-{topic.pk}"
    form = TopicStatusForm(request.POST, topic=topic, meeting=meeting, prefix=prefix)
    if form.is_valid():
        try:
            services.change_topic_status(
                actor=user,
                topic=topic,
                to=form.cleaned_data["to"],
                meeting=form.cleaned_data["meeting"] or meeting,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("Téma „%(title)s“ je teď ve stavu „%(status)s“.")
                % {"title": topic.title, "status": Topic.Status(form.cleaned_data["to"]).label},
            )
            if meeting is not None:
                return redirect(_meeting_url(meeting, "temata"))
            return redirect("community:topic_detail", pk=topic.pk)
    if meeting is not None:
        return _meeting_page(request, meeting, status=400, **{f"status_{topic.pk}": form})
    return _topic_page(request, topic, status=400, form=form)


@area_view()
@require_POST
def attendance_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    persons = permissions.community_persons(request.user, [meeting.organization_id])
    form = AttendanceAddForm(request.POST, persons=persons)
    if form.is_valid():
        person = form.cleaned_data["person"]
        try:
            services.record_attendance(actor=request.user, meeting=meeting, person=person)
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("%(name)s je na seznamu účastníků.") % {"name": person.name}
            )
            return redirect(_meeting_url(meeting, "ucastnici"))
    return _meeting_page(request, meeting, status=400, attendance_form=form)


@area_view()
@require_POST
def participant_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = ParticipantForm(
        request.POST, municipalities=municipalities_for([meeting.organization_id])
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            attendance = services.add_participant(
                actor=request.user,
                meeting=meeting,
                name=data["name"],
                birth_year=data["birth_year"],
                municipality=data["municipality"],
                given_by=data["given_by"],
                witness=data["witness"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(name)s je zaznamenaný/á se souhlasem a je na seznamu účastníků.")
                % {"name": attendance.person.name},
            )
            return redirect(_meeting_url(meeting, "ucastnici"))
    return _meeting_page(request, meeting, status=400, participant_form=form)


@area_view()
@require_POST
def attendance_remove(request: HttpRequest, pk) -> HttpResponse:
    attendance = get_object_or_404(
        Attendance.objects.visible_to(request.user).select_related("meeting", "person"), pk=pk
    )
    if not permissions.can_manage(request.user, attendance.organization_id):
        raise PermissionDenied
    meeting = attendance.meeting
    services.remove_attendance(actor=request.user, attendance=attendance)
    messages.success(request, _("Osoba je ze seznamu účastníků odebraná."))
    if meeting is None:
        return redirect("community:home")
    return redirect(_meeting_url(meeting, "ucastnici"))


@area_view()
@require_POST
def anonymous_count(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = AnonymousCountForm(request.POST)
    if form.is_valid():
        services.set_anonymous_count(
            actor=request.user, meeting=meeting, count=form.cleaned_data["anonymous_count"]
        )
        messages.success(request, _("Počet účastníků bez registrace je uložený."))
        return redirect(_meeting_url(meeting, "ucastnici"))
    return _meeting_page(request, meeting, status=400, count_form=form)


@area_view()
@require_POST
def follow_up_add(request: HttpRequest, pk) -> HttpResponse:
    meeting = _managed_meeting(request, pk)
    form = FollowUpForm(request.POST, meeting=meeting)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.add_follow_up(
                actor=request.user,
                meeting=meeting,
                description=data["description"],
                owner=data["owner"],
                owner_text=data["owner_text"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Úkol je uložený."))
            return redirect(_meeting_url(meeting, "ukoly"))
    return _meeting_page(request, meeting, status=400, follow_up_form=form)


# --- follow-up actions -------------------------------------------------------------------------


@area_view()
@require_GET
def follow_up_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    visible = FollowUpAction.objects.visible_to(user).select_related("meeting", "owner", "done_by")
    overdue = list(visible.overdue(today).order_by("due_on", "created_at"))
    coming = list(
        visible.open()
        .filter(Q(due_on__gte=today) | Q(due_on__isnull=True))
        .order_by("due_on", "created_at")
    )
    done = list(visible.filter(done_at__isnull=False).order_by("-done_at")[:PAGE_SIZE])
    managed = set(permissions.managed_organizations(user).values_list("pk", flat=True))
    for action in [*overdue, *coming, *done]:
        action.user_can_manage = action.meeting.organization_id in managed
    return _render(
        request,
        "community/follow_up_list.html",
        {"overdue": overdue, "coming": coming, "done": done, "today": today},
    )


@area_view()
@require_POST
def follow_up_done(request: HttpRequest, pk) -> HttpResponse:
    action = permissions.get_follow_up(request.user, pk)
    if not permissions.can_manage(request.user, action.meeting.organization_id):
        raise PermissionDenied
    if request.POST.get("action") == "reopen":
        services.reopen_follow_up(actor=request.user, action=action)
        messages.success(request, _("Úkol je znovu otevřený."))
    else:
        services.complete_follow_up(actor=request.user, action=action)
        messages.success(request, _("Úkol je splněný."))
    return redirect(_safe_next(request, reverse("community:follow_up_list")))


# --- topics ------------------------------------------------------------------------------------


@area_view()
@require_http_methods(["GET", "POST"])
def topic_board(request: HttpRequest) -> HttpResponse:
    """Topics by status: open, being solved, solved; and a form for a new one."""
    user = request.user
    managed = permissions.managed_organizations(user)
    territories = territories_for(list(managed.values_list("pk", flat=True)))
    form = None
    if managed.exists():
        form = TopicForm(
            request.POST if request.method == "POST" else None,
            organizations=managed,
            territories=territories,
        )
    elif request.method == "POST":
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.create_topic(
                actor=user,
                organization=data["organization"],
                territory=data["territory"],
                title=data["title"],
                description=data["description"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request, _("Téma „%(title)s“ je na nástěnce.") % {"title": topic.title}
            )
            return redirect("community:topic_board")
    visible = Topic.objects.visible_to(user).select_related("territory")
    shown_territories = Territory.objects.filter(id__in=visible.values("territory_id")).order_by(
        "name"
    )
    chosen = request.GET.get("uzemi", "")
    if chosen:
        visible = visible.filter(territory__slug=chosen)
    topics = list(
        visible.annotate(
            meeting_count=Count("meeting_topics", distinct=True),
            last_change=Max("history__at"),
        ).order_by("-last_change", "title")
    )
    columns = [
        (value, label, [t for t in topics if t.status == value])
        for value, label in Topic.Status.choices
    ]
    return _render(
        request,
        "community/topic_board.html",
        {
            "columns": columns,
            "form": form,
            "territories": shown_territories,
            "chosen": chosen,
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


def _topic_page(request: HttpRequest, topic: Topic, *, status: int = 200, form=None):
    user = request.user
    can_manage = permissions.can_manage(user, topic.organization_id)
    return _render(
        request,
        "community/topic_detail.html",
        {
            "topic": topic,
            "can_manage": can_manage,
            "history": list(topic.history.select_related("by", "meeting")),
            "items": list(
                topic.meeting_topics.select_related("meeting").order_by("-meeting__held_at")
            ),
            "form": form
            or (TopicStatusForm(topic=topic, prefix=f"stav-{topic.pk}") if can_manage else None),
        },
        status=status,
    )


@area_view()
@require_GET
def topic_detail(request: HttpRequest, pk) -> HttpResponse:
    return _topic_page(request, permissions.get_topic(request.user, pk))


# --- leaders -----------------------------------------------------------------------------------


def _period_label(start: date, step: str) -> str:
    if step == "year":
        return str(start.year)
    if step == "quarter":
        return _("%(quarter)s. čtvrtletí %(year)s") % {
            "quarter": (start.month - 1) // 3 + 1,
            "year": start.year,
        }
    return date_format(start, "YEAR_MONTH_FORMAT")


@area_view()
@require_GET
def leader_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    leaders = list(
        CommunityLeader.objects.visible_to(user)
        .select_related("person__municipality", "territory", "organization")
        .prefetch_related("activities")
        .order_by("until", "-since", "person__name")
    )
    # Sorted: the active first (no end, or an end still to come), then by start.
    today = timezone.localdate()
    active = [leader for leader in leaders if leader.until is None or leader.until >= today]
    ended = [leader for leader in leaders if leader.until is not None and leader.until < today]
    audit_list(user, leaders, object_type="community.communityleader")
    viewable = permissions.viewable_organizations(user)
    territories = Territory.objects.filter(
        Q(id__in=CommunityLeader.objects.visible_to(user).values("territory_id"))
        | Q(id__in=territories_for(list(viewable.values_list("pk", flat=True))).values("id"))
    ).order_by("name")
    range_form = LeadersRangeForm(request.GET or None, territories=territories)
    first = (
        CommunityLeader.objects.visible_to(user).order_by("since").values_list("since", flat=True)
    ).first()
    default_start = date(first.year, 1, 1) if first else date(today.year, 1, 1)
    territory, start, end, step = range_form.values(default_start=default_start)
    if not range_form.is_bound:
        # Show the range the table covers.
        range_form = LeadersRangeForm(
            None,
            territories=territories,
            initial={
                "uzemi": territory.slug if territory else None,
                "od": start,
                "do": end,
                "krok": step,
            },
        )
    rows = []
    if territory is not None:
        rows = [
            (_period_label(period.start, step), period)
            for period in queries.leaders_over_time(territory, start, end, step)
        ]
    return _render(
        request,
        "community/leader_list.html",
        {
            "active": active,
            "ended": ended,
            "range_form": range_form,
            "table_territory": territory,
            "start": start,
            "end": end,
            "step": step,
            "rows": rows,
            "active_today": queries.leaders_active_on(territory, today) if territory else 0,
        },
    )


@area_view()
@require_http_methods(["GET", "POST"])
def leader_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    organizations = permissions.managed_organizations(user)
    if not organizations.exists():
        raise PermissionDenied
    # Not those who are leaders now (their open period must end first).
    persons = permissions.community_persons(user).exclude(
        Exists(CommunityLeader.objects.filter(person=OuterRef("pk"), until__isnull=True))
    )
    form = LeaderForm(
        request.POST if request.method == "POST" else None,
        persons=persons,
        organizations=organizations,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            leader = services.add_leader(
                actor=user,
                person=data["person"],
                territory=data["territory"],
                since=data["since"],
                activities=data["activities"],
                activity_note=data["activity_note"],
                note=data["note"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(
                request,
                _("%(name)s je komunitní lídr/lídryně od %(since)s.")
                % {"name": leader.person.name, "since": date_format(leader.since)},
            )
            return redirect("community:leader_detail", pk=leader.pk)
    audit_list(user, list(form.fields["person"].queryset), object_type="referrals.person")
    return _render(
        request,
        "community/leader_form.html",
        {"form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _leader_page(request: HttpRequest, leader: CommunityLeader, *, status=200, form=None):
    user = request.user
    can_manage = permissions.can_manage(user, leader.organization_id)
    audit_read(user, leader)
    return _render(
        request,
        "community/leader_detail.html",
        {
            "leader": leader,
            "can_manage": can_manage,
            "activities": list(leader.activities.select_related("territory")),
            "meetings": list(
                Meeting.objects.visible_to(user)
                .filter(attendances__person=leader.person, attendances__attended=True)
                .order_by("-held_at")[:20]
            ),
            "form": form or (EndLeaderForm() if can_manage and leader.until is None else None),
        },
        status=status,
    )


@area_view()
@require_GET
def leader_detail(request: HttpRequest, pk) -> HttpResponse:
    return _leader_page(request, permissions.get_leader(request.user, pk))


@area_view()
@require_POST
def leader_end(request: HttpRequest, pk) -> HttpResponse:
    leader = permissions.get_leader(request.user, pk)
    if not permissions.can_manage(request.user, leader.organization_id):
        raise PermissionDenied
    form = EndLeaderForm(request.POST)
    if form.is_valid():
        try:
            services.end_leader(actor=request.user, leader=leader, until=form.cleaned_data["until"])
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            messages.success(request, _("Období lídra je ukončené."))
            return redirect("community:leader_detail", pk=leader.pk)
    return _leader_page(request, leader, status=400, form=form)


# --- attendance sheets -------------------------------------------------------------------------


def _empty_rows(request: HttpRequest) -> int:
    try:
        count = int(request.GET.get("prazdne", DEFAULT_EMPTY_ROWS))
    except ValueError:
        count = DEFAULT_EMPTY_ROWS
    return max(0, min(MAX_EMPTY_ROWS, count))


def _occurrence(event: Event, key: str):
    start = recurrence.parse_occurrence_key(key)
    found = occurrence_of(event, start)
    if found is None:
        raise Http404
    return found


def _confirmed(event: Event, start: datetime) -> list[Registration]:
    return list(
        Registration.objects.filter(
            event=event, occurrence_start=start, status=Registration.Status.CONFIRMED
        ).order_by("name", "created_at")
    )


def _sheet_rows(names: list[tuple[str, str]], empty: int) -> list[dict]:
    rows = [{"name": name, "place": place} for name, place in names]
    rows += [{"name": "", "place": ""} for _i in range(empty)]
    return [{"number": number, **row} for number, row in enumerate(rows, start=1)]


@area_view()
@require_GET
def meeting_sheet(request: HttpRequest, pk) -> HttpResponse:
    """The printable A4 attendance sheet of a meeting: the listed people and empty rows."""
    user = request.user
    meeting = permissions.get_meeting(user, pk)
    attendances = [
        a
        for a in Attendance.objects.filter(meeting=meeting)
        .select_related("person__municipality")
        .order_by("person__name", "id")
        if a.person_id
    ]
    audit_read(user, meeting)
    audit_list(user, attendances, object_type="community.attendance")
    names = [
        (a.person.name, a.person.municipality.name if a.person.municipality_id else "")
        for a in attendances
    ]
    return _render(
        request,
        "community/sheet.html",
        {
            "sheet_title": meeting.title,
            "organization": meeting.organization,
            "sheet_territory": meeting.territory,
            "centre": meeting.centre,
            "when": meeting.held_at,
            "place": meeting.place_text,
            "facilitators": list(meeting.facilitators.order_by("last_name", "username")),
            "rows": _sheet_rows(names, _empty_rows(request)),
            "empty": _empty_rows(request),
            "back_url": _meeting_url(meeting),
            "record_url": reverse("community:meeting_sheet_record", kwargs={"pk": meeting.pk}),
            "can_manage": permissions.can_manage(user, meeting.organization_id),
        },
    )


@area_view()
@require_GET
def event_sheet(request: HttpRequest, pk, termin: str) -> HttpResponse:
    """The printable attendance sheet of one occurrence of an event: its confirmed
    registrations, the registered persons already listed, and empty rows."""
    user = request.user
    event = permissions.get_event(user, pk)
    occurrence = _occurrence(event, termin)
    registrations = _confirmed(event, occurrence.start)
    attendances = list(
        Attendance.objects.filter(event=event, occurrence_start=occurrence.start)
        .select_related("person__municipality")
        .order_by("person__name", "id")
    )
    audit.record_list(actor=user, objects=registrations, object_type="events.registration")
    audit_list(user, attendances, object_type="community.attendance")
    names = [(r.name, "") for r in registrations] + [
        (a.person.name, a.person.municipality.name if a.person.municipality_id else "")
        for a in attendances
        if a.person_id
    ]
    return _render(
        request,
        "community/sheet.html",
        {
            "sheet_title": event.title,
            "organization": event.organization,
            "sheet_territory": event.territory,
            "centre": None,
            "when": occurrence.start,
            "until": occurrence.end,
            # A hidden address stays hidden on paper too: only its obec.
            "place": event.public_place,
            "facilitators": [],
            "rows": _sheet_rows(names, _empty_rows(request)),
            "empty": _empty_rows(request),
            "back_url": reverse("community:home"),
            "record_url": reverse(
                "community:event_sheet_record", kwargs={"pk": event.pk, "termin": occurrence.key}
            ),
            "can_manage": permissions.can_manage(user, event.organization_id),
        },
    )


def _record_page(request, *, form, title, back_url, action_url, status=200, extra=None):
    return _render(
        request,
        "community/sheet_record.html",
        {
            "form": form,
            "sheet_title": title,
            "back_url": back_url,
            "action_url": action_url,
            **(extra or {}),
        },
        status=status,
    )


def _after_sheet(request: HttpRequest, result: services.SheetResult) -> None:
    messages.success(
        request,
        _(
            "Účast je zapsaná: přišlo %(present)s registrovaných, %(anonymous)s bez "
            "registrace; nově zapsaní: %(added)s."
        )
        % {
            "present": result.present,
            "anonymous": result.anonymous_count,
            "added": len(result.added),
        },
    )


@area_view()
@require_http_methods(["GET", "POST"])
def meeting_sheet_record(request: HttpRequest, pk) -> HttpResponse:
    """Attendance written back from the signed sheet of a meeting."""
    user = request.user
    meeting = _managed_meeting(request, pk)
    attendances = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("person__municipality")
        .order_by("person__name", "id")
    )
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        attendances=attendances,
        anonymous_count=meeting.anonymous_count,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_sheet(
                actor=user,
                meeting=meeting,
                present=form.present_attendances(),
                walk_ins=form.walk_ins(),
                anonymous_count=form.cleaned_data["anonymous_count"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            _after_sheet(request, result)
            return redirect(_meeting_url(meeting, "ucastnici"))
    audit_read(user, meeting)
    audit_list(user, attendances, object_type="community.attendance")
    return _record_page(
        request,
        form=form,
        title=meeting.title,
        back_url=_meeting_url(meeting),
        action_url=reverse("community:meeting_sheet_record", kwargs={"pk": meeting.pk}),
        status=400 if form.is_bound and form.errors else 200,
        extra={"when": meeting.held_at},
    )


@area_view()
@require_http_methods(["GET", "POST"])
def event_sheet_record(request: HttpRequest, pk, termin: str) -> HttpResponse:
    """Attendance of one occurrence of an event written back from its signed sheet."""
    user = request.user
    event = permissions.get_event(user, pk)
    if not permissions.can_manage(user, event.organization_id):
        raise PermissionDenied
    occurrence = _occurrence(event, termin)
    registrations = _confirmed(event, occurrence.start)
    attendances = list(
        Attendance.objects.filter(event=event, occurrence_start=occurrence.start)
        .select_related("person__municipality")
        .order_by("person__name", "id")
    )
    headcount = EventHeadcount.objects.filter(
        event=event, occurrence_start=occurrence.start
    ).first()
    form = SheetForm(
        request.POST if request.method == "POST" else None,
        attendances=attendances,
        registrations=registrations,
        anonymous_count=headcount.anonymous_count if headcount else 0,
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.record_sheet(
                actor=user,
                event=event,
                occurrence_start=occurrence.start,
                present=form.present_attendances(),
                present_registrations=form.present_registrations(),
                walk_ins=form.walk_ins(),
                anonymous_count=form.cleaned_data["anonymous_count"],
            )
        except ValidationError as error:
            form_errors_from(form, error)
        else:
            _after_sheet(request, result)
            return redirect(
                reverse(
                    "community:event_sheet_record",
                    kwargs={"pk": event.pk, "termin": occurrence.key},
                )
            )
    audit.record_list(actor=user, objects=registrations, object_type="events.registration")
    audit_list(user, attendances, object_type="community.attendance")
    return _record_page(
        request,
        form=form,
        title=event.title,
        back_url=reverse("community:home"),
        action_url=reverse(
            "community:event_sheet_record", kwargs={"pk": event.pk, "termin": occurrence.key}
        ),
        status=400 if form.is_bound and form.errors else 200,
        extra={
            "when": occurrence.start,
            "sheet_url": reverse(
                "community:event_sheet", kwargs={"pk": event.pk, "termin": occurrence.key}
            ),
        },
    )
