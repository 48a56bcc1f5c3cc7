"""The count of unread inbox items, for the link in the header of every page.

Add "referrals.context_processors.inbox" to TEMPLATES[0]["OPTIONS"]["context_processors"].
One indexed COUNT for a signed-in user (none when the worker area's view has counted
already); nothing for the public.
"""

from __future__ import annotations

from django.http import HttpRequest

from referrals.models import Notification


def inbox(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    counted = getattr(request, "inbox_unread", None)  # by `views_common.render_area`
    if counted is None:
        counted = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"inbox_unread": counted}
