"""Numbers and statuses of project monitoring for templates."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.html import format_html

from monitoring.indicators import STATUS_LABELS

register = template.Library()


@register.filter
def num(value) -> str:
    """A whole number without decimals, others with at most two ("10,5"); none as "–"."""
    if value is None or value == "":
        return "–"
    value = Decimal(str(value))
    if value == value.to_integral_value():
        return number_format(int(value), force_grouping=True)
    return number_format(value.quantize(Decimal("0.01")).normalize(), force_grouping=True)


@register.simple_tag
def goal_badge(status: str) -> str:
    """Where an indicator stands; the text carries the meaning, the colour only helps."""
    return format_html(
        '<span class="goal goal--{}">{}</span>', status, STATUS_LABELS.get(status, status)
    )


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None
