"""Template helpers of community work."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def user_name(user) -> str:
    """A user as people call them: the full name, else the user name."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
