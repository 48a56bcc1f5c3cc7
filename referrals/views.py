"""The worker area under /prace/: inbox, lists of referrals and the intake queue.

Views parse the request, fetch through `visible_to` (see `views_common`), call
`referrals.services` and render. Persons and consent are in `views_persons`, a referral's
own pages in `views_referrals`, the coordinator's audit search in `views_audit`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from referrals import permissions, services
from referrals.models import HelpRequest, Notification, Referral, ReferralQuerySet
from referrals.views_common import (
    PAGE_SIZE,
    area_view,
    audit_list,
    audit_read,
    get_help_request,
    is_intake_worker,
    member_organizations,
    referral_owner,
    render_area,
    status_counts,
)

INBOX_SIZE = 30
OPEN_LIST_SIZE = 20


def pk_urls(name: str) -> Callable[[object], str]:
    """`reverse(name, kwargs={"pk": pk})` for the many rows of a page at the cost of one
    `reverse`: the address with a placeholder uuid, split around it (a uuid is the same
    text in a path as in `str`)."""
    placeholder = str(uuid.UUID(int=0))
    head, tail = reverse(name, kwargs={"pk": placeholder}).split(placeholder)
    return lambda pk: f"{head}{pk}{tail}"


def referral_rows(user, referrals) -> list[dict]:
    """Rows of a referral list: the sender sees the person's name, the receiver only what
    the consent shares."""
    detail_url = pk_urls("referrals:referral_detail")
    rows = []
    for referral in referrals:
        # No query per row: the area view remembers the user's memberships.
        if permissions.is_sender(user, referral):
            name = referral.person.name
        else:
            name = referral.shared_person().get("name", "")
        rows.append({"referral": referral, "name": name, "url": detail_url(referral.pk)})
    return rows


def _sent_and_received(user) -> tuple[ReferralQuerySet, ReferralQuerySet]:
    # Both are parts of `visible_to(user)`; without its OR each is one index range
    # (organisation, status, -updated_at) and the counts are read from the index alone.
    sent = Referral.objects.sent_by(user)
    # A draft is the sender's until it is sent.
    received = Referral.objects.received_by(user).exclude(status=Referral.Status.DRAFT)
    return sent, received


LIST_RELATED = (
    "person__municipality",  # `shared_person` names the obec: one join, not a query a row
    "consent",
    "help_request",
    "service",
    "from_organization",
    "to_organization",
)
# What a row of a list and `Referral.shared_person` read; the joined services and
# organisations carry long texts (descriptions, search documents) that no row shows.
LIST_FIELDS = (
    "id",
    "status",
    "respond_by",
    "updated_at",
    "person__name",
    "person__birth_year",
    "person__phone",
    "person__email",
    "person__municipality__name",
    "consent__scope",
    "consent__given_at",
    "consent__expires_at",
    "consent__withdrawn_at",
    "help_request__situation",
    "service__name",
    "from_organization__name",
    "to_organization__name",
)


# The sender's own rows show the person's name, the service and the receiver: no consent
# to read (`referral_rows` never calls `shared_person` for them).
SENT_RELATED = ("person", "service", "to_organization")
SENT_FIELDS = (
    "id",
    "status",
    "respond_by",
    "updated_at",
    "from_organization",
    "person__name",
    "service__name",
    "to_organization__name",
)


def _newest(
    referrals: ReferralQuerySet,
    limit: int,
    related: tuple[str, ...] = LIST_RELATED,
    fields: tuple[str, ...] = LIST_FIELDS,
) -> list[Referral]:
    """The `limit` most recently changed of `referrals`, with what their rows show.

    The ids first, from the index and a sort of the ids alone; then only those rows with
    their joins. One query with the joins would join every open referral of the
    organisation before sorting them.
    """
    # Newest change first; ties by id, so that the order never changes between two views.
    ids = list(referrals.order_by("-updated_at", "id").values_list("id", flat=True)[:limit])
    if not ids:
        return []
    found = {
        referral.pk: referral
        for referral in referrals.filter(id__in=ids)
        .select_related(*related)
        .only(*fields)
        .order_by()
    }
    return [found[pk] for pk in ids if pk in found]


# --- inbox -------------------------------------------------------------------------------------


@area_view(allow=None)  # coordinators without an organisation get escalations here too
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    notifications = list(
        Notification.objects.filter(user=user)
        .select_related("referral__service", "referral__to_organization")
        .only(*NOTIFICATION_FIELDS)
        .order_by("-created_at")[:INBOX_SIZE]
    )
    _link_notifications(user, notifications)
    unread = Notification.objects.filter(user=user).unread().count()
    sent, received = _sent_and_received(user)
    sent_open = _newest(sent.open(), OPEN_LIST_SIZE, SENT_RELATED, SENT_FIELDS)
    received_open = _newest(received.open(), OPEN_LIST_SIZE)
    audit_list(
        user,
        [*sent_open, *received_open],
        object_type="referrals.referral",
        owner=referral_owner,
    )
    sent_counts = status_counts(sent)
    received_counts = status_counts(received)
    return render_area(
        request,
        "referrals/inbox.html",
        {
            "notifications": notifications,
            "inbox_unread": unread,
            "sent_rows": referral_rows(user, sent_open),
            "received_rows": referral_rows(user, received_open),
            "sent_counts": _labelled_counts(sent_counts),
            "received_counts": _labelled_counts(received_counts),
            "sent_open_total": sum(sent_counts.get(s, 0) for s in Referral.OPEN_STATUSES),
            "received_open_total": sum(received_counts.get(s, 0) for s in Referral.OPEN_STATUSES),
            "new_requests": HelpRequest.objects.visible_to(user)
            .filter(status=HelpRequest.Status.NEW)
            .count(),
        },
    )


# What the inbox shows of a notification and of its referral (the service, the receiver),
# and what `_link_notifications` checks: the referral's organisations and status.
NOTIFICATION_FIELDS = (
    "id",
    "kind",
    "referral_id",
    "help_request_id",
    "created_at",
    "read_at",
    "referral__status",
    "referral__from_organization",
    "referral__service__name",
    "referral__to_organization__name",
)


def _may_open(user, referral: Referral) -> bool:
    """What the referral page lets the user open: a referral of their organisations, and
    a draft only on the sending side (a draft is the sender's until it is sent)."""
    return permissions.is_sender(user, referral) or (
        permissions.is_receiver(user, referral) and referral.status != Referral.Status.DRAFT
    )


def _link_notifications(user, notifications: list[Notification]) -> None:
    """Give each notification the address of its record, if the user may open it.

    A coordinator is told about a referral left unanswered in the territory, but does not
    see the referral itself: that notification stays without a link. The referrals came
    with the notifications, and the area view remembers the user's memberships, so only
    help requests cost a query (when there are any).
    """
    request_ids = {n.help_request_id for n in notifications if n.help_request_id}
    visible_requests = (
        set(
            HelpRequest.objects.visible_to(user)
            .filter(id__in=request_ids)
            .values_list("id", flat=True)
        )
        if request_ids
        else set()
    )
    referral_url = pk_urls("referrals:referral_detail")
    request_url = pk_urls("referrals:help_request_detail")
    read_url = pk_urls("referrals:notification_read")
    labels = dict(Notification.Kind.choices)
    for notification in notifications:
        # What `get_kind_display` gives, without its per-call dict of the choices.
        notification.kind_label = str(labels.get(notification.kind, notification.kind))
        notification.read_url = read_url(notification.pk)
        notification.url = ""
        if notification.referral_id and _may_open(user, notification.referral):
            notification.url = referral_url(notification.referral_id)
        elif notification.help_request_id in visible_requests:
            notification.url = request_url(notification.help_request_id)


def _labelled_counts(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) in the order of the statuses, without the zeros."""
    return [
        (status, label, counts[status])
        for status, label in Referral.Status.choices
        if counts.get(status)
    ]


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@area_view(allow=None)
@require_POST
def notification_read(request: HttpRequest, pk) -> HttpResponse:
    # Scoped to the user: someone else's notification is as absent as a missing one.
    Notification.objects.filter(user=request.user, pk=pk, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    return _back(request, "referrals:inbox")


@area_view(allow=None)
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    done = Notification.objects.filter(user=request.user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    if done:
        messages.success(request, _("Všechna oznámení jsou označená jako přečtená."))
    return redirect("referrals:inbox")


def mark_read(user, **about) -> None:
    """Opening a referral or a request reads its notifications."""
    Notification.objects.filter(user=user, read_at__isnull=True, **about).update(
        read_at=timezone.now()
    )


# --- referral lists ------------------------------------------------------------------------------

DIRECTIONS = {"prijate": "received", "odeslane": "sent"}
OPEN_FILTER = "otevrene"


@area_view()
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    direction = request.GET.get("smer", "prijate")
    if direction not in DIRECTIONS:
        direction = "prijate"
    status = request.GET.get("stav", OPEN_FILTER)
    sent, received = _sent_and_received(user)
    referrals = sent if direction == "odeslane" else received
    counts = status_counts(referrals)
    if status == OPEN_FILTER:
        referrals = referrals.open()
    elif status in Referral.Status.values:
        referrals = referrals.filter(status=status)
    else:
        status = ""
    page = Paginator(
        referrals.select_related(*LIST_RELATED).only(*LIST_FIELDS).order_by("-updated_at", "id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("strana"))
    audit_list(user, page.object_list, object_type="referrals.referral", owner=referral_owner)
    return render_area(
        request,
        "referrals/referral_list.html",
        {
            "direction": direction,
            "received": direction == "prijate",
            "status": status,
            "page": page,
            "rows": referral_rows(user, page.object_list),
            "counts": _labelled_counts(counts),
            "open_total": sum(counts.get(s, 0) for s in Referral.OPEN_STATUSES),
            "all_total": sum(counts.values()),
            "open_filter": OPEN_FILTER,
        },
    )


# --- intake queue ------------------------------------------------------------------------------

REQUEST_FILTERS = {
    "otevrene": (HelpRequest.Status.NEW, HelpRequest.Status.IN_PROGRESS),
    "nove": (HelpRequest.Status.NEW,),
    "resi-se": (HelpRequest.Status.IN_PROGRESS,),
    "uzavrene": (HelpRequest.Status.CLOSED,),
}


@area_view(allow=is_intake_worker)
@require_GET
def help_request_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    chosen = request.GET.get("stav", "otevrene")
    if chosen not in REQUEST_FILTERS:
        chosen = "otevrene"
    visible = HelpRequest.objects.visible_to(user)
    counts = status_counts(visible)
    requests = (
        visible.filter(status__in=REQUEST_FILTERS[chosen])
        .select_related("organization", "municipality", "service", "assigned_to")
        .order_by("-created_at", "id")
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("strana"))
    audit_list(user, page.object_list, object_type="referrals.helprequest")
    return render_area(
        request,
        "referrals/help_request_list.html",
        {
            "page": page,
            "chosen": chosen,
            "filters": [
                ("otevrene", _("otevřené"), counts.get("new", 0) + counts.get("in_progress", 0)),
                ("nove", _("nové"), counts.get("new", 0)),
                ("resi-se", _("řeší se"), counts.get("in_progress", 0)),
                ("uzavrene", _("uzavřené"), counts.get("closed", 0)),
            ],
            "several_organizations": member_organizations(user).count() > 1,
        },
    )


@area_view(allow=is_intake_worker)
@require_GET
def help_request_detail(request: HttpRequest, pk) -> HttpResponse:
    user = request.user
    help_request = get_help_request(user, pk)
    audit_read(user, help_request)
    mark_read(user, help_request=help_request)
    return render_area(
        request,
        "referrals/help_request_detail.html",
        {
            "help_request": help_request,
            "can_act": permissions.can_record_persons(user, help_request.organization),
            "referrals": help_request.referrals.select_related("service", "to_organization"),
        },
    )


@area_view(allow=is_intake_worker)
@require_POST
def help_request_take(request: HttpRequest, pk) -> HttpResponse:
    help_request = get_help_request(request.user, pk)
    services.take_help_request(actor=request.user, help_request=help_request)
    messages.success(request, _("Žádost jste převzali; řešíte ji vy."))
    return redirect("referrals:help_request_detail", pk=help_request.pk)


@area_view(allow=is_intake_worker)
@require_POST
def help_request_close(request: HttpRequest, pk) -> HttpResponse:
    help_request = get_help_request(request.user, pk)
    services.close_help_request(actor=request.user, help_request=help_request)
    messages.success(request, _("Žádost je uzavřená."))
    return redirect("referrals:help_request_detail", pk=help_request.pk)
