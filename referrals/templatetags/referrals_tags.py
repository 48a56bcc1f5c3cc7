"""Labels of the referral loop's codes for templates: statuses, reasons, consent scope."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from referrals.forms import OBJECT_TYPES, SCOPE_LABELS
from referrals.models import HelpRequest, Referral

register = template.Library()

_REASONS = {**dict(Referral.DeclineReason.choices), **dict(Referral.Outcome.choices)}
# Built once: `Status.choices` walks the enum on every access (a list page shows dozens of
# badges). The labels stay lazy, so each renders in the language of its request.
_STATUS_LABELS = dict(Referral.Status.choices)
_REQUEST_STATUS_LABELS = dict(HelpRequest.Status.choices)


@register.filter
def status_label(code: str) -> str:
    return _STATUS_LABELS.get(code, code)


@register.simple_tag
def status_badge(code: str, kind: str = "referral") -> str:
    """A status as a coloured label; the text carries the meaning, the colour only helps."""
    labels = _REQUEST_STATUS_LABELS if kind == "request" else _STATUS_LABELS
    return format_html('<span class="status status--{}">{}</span>', code, labels.get(code, code))


@register.filter
def reason_label(code: str) -> str:
    return _REASONS.get(code, code)


@register.filter
def scope_labels(scope) -> list[str]:
    return [str(SCOPE_LABELS[key]) for key in scope or [] if key in SCOPE_LABELS]


@register.filter
def object_type_label(code: str) -> str:
    return str(OBJECT_TYPES.get(code, code))
