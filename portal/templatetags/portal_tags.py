"""Small helpers for the portal's templates: ages of reports, distances, paging."""

from __future__ import annotations

from django import template
from django.contrib.humanize.templatetags.humanize import NaturalTimeFormatter, naturaltime
from django.forms import BoundField
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.timesince import timesince
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def report_age(value) -> str:
    """'před 3 dny' / '3 days ago': one unit only, in the case Czech needs after 'před'."""
    if value is None:
        return ""
    now = timezone.now()
    if value > now or (now - value).days == 0:
        return naturaltime(value)
    delta = timesince(value, now, time_strings=NaturalTimeFormatter.past_substrings, depth=1)
    return NaturalTimeFormatter.time_strings["past-day"] % {"delta": delta}


@register.filter
def km(value) -> str:
    """A straight-line distance for people: '3 km', '12 km', 'méně než 1 km'."""
    if value is None:
        return ""
    if value < 1:
        return _("méně než 1 km")
    shown = round(value) if value >= 10 else round(value, 1)
    return _("%(distance)s km") % {"distance": number_format(shown, use_l10n=True)}


@register.simple_tag
def page_window(page: int, num_pages: int, around: int = 2) -> list[int | None]:
    """Page numbers to link: the first, the last and a few around the current; None = gap."""
    wanted = {1, num_pages, *range(page - around, page + around + 1)}
    pages = sorted(p for p in wanted if 1 <= p <= num_pages)
    window: list[int | None] = []
    for number in pages:
        if window and number - window[-1] > 1:  # type: ignore[operator]
            window.append(None)
        window.append(number)
    return window


@register.simple_tag
def content_lang() -> str:
    """`lang="cs"` on records' own text (always Czech) when the page is in another language."""
    if (get_language() or "cs").startswith("cs"):
        return ""
    return format_html(' lang="{}"', "cs")


@register.filter
def language_names(codes: str) -> str:
    """'cs, uk' → 'česky, ukrajinsky' (Czech, Ukrainian) in the active language."""
    names = []
    for code in (c.strip() for c in (codes or "").split(",")):
        if not code:
            continue
        try:
            names.append(str(get_language_info(code)["name_translated"]))
        except KeyError:
            names.append(code)
    return ", ".join(names)


@register.simple_tag
def choice_select(field: BoundField) -> str:
    """The `<select>` of a search filter, built in Python: Django's widget renders every
    `<option>` through a template, which cost the search page milliseconds per request."""
    selected = str(field.value() or "")
    invalid = (
        format_html(' aria-invalid="true" aria-describedby="{}-error"', field.auto_id)
        if field.errors
        else ""
    )
    options = select_options(field.field.choices, selected)
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>', field.html_name, field.auto_id, invalid, options
    )


@register.simple_tag
def select_options(choices: list[tuple], selected=None) -> str:
    """`<option>`s of a select, built in Python: a kraj has hundreds of obce, and Django's
    widget renders every option through a template. Values compare as text, as submitted."""
    chosen = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if str(value) == chosen else "", label) for value, label in choices),
    )


@register.simple_tag(takes_context=True)
def service_card(context, hit) -> str:
    """A result card (portal.cards.render_card) in the page's territory."""
    from portal.cards import render_card

    return render_card(
        hit,
        territory_slug=context["territory"].slug,
        municipality_label=context.get("municipality_label") or "",
    )


@register.simple_tag
def capacity_box(report, compact: bool = False) -> str:
    """Free places and waiting list of a service (portal.cards.render_capacity)."""
    from portal.cards import render_capacity

    return render_capacity(report, compact=compact)
