"""Labels of the referral loop's codes for templates: statuses, reasons, consent scope."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from referrals.forms import OBJECT_TYPES, SCOPE_LABELS
from referrals.models import HelpRequest, Referral

register = template.Library()

_REASONS = {**dict(Referral.DeclineReason.choices), **dict(Referral.Outcome.choices)}


@register.filter
def status_label(code: str) -> str:
    return dict(Referral.Status.choices).get(code, code)


@register.simple_tag
def status_badge(code: str, kind: str = "referral") -> str:
    """A status as a coloured label; the text carries the meaning, the colour only helps."""
    choices = HelpRequest.Status.choices if kind == "request" else Referral.Status.choices
    return format_html(
        '<span class="status status--{}">{}</span>', code, dict(choices).get(code, code)
    )


@register.filter
def reason_label(code: str) -> str:
    return _REASONS.get(code, code)


@register.filter
def scope_labels(scope) -> list[str]:
    return [str(SCOPE_LABELS[key]) for key in scope or [] if key in SCOPE_LABELS]


@register.filter
def object_type_label(code: str) -> str:
    return str(OBJECT_TYPES.get(code, code))
