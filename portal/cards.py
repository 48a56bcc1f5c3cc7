"""Result cards and capacity boxes of the directory, rendered in Python.

A results page shows twenty cards. Through the template engine each cost about a third of
a millisecond — more than the search behind the page at national scale — because a card
is some fifty small nodes, each resolved on its own. The same HTML built with
`format_html` costs a fraction of that. The texts are the templates' texts (same message
ids, so translations apply unchanged); the markup is documented by the tests.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from directory.search import Hit
from portal.templatetags.portal_tags import content_lang, km, report_age


def render_card(hit: Hit, *, territory_slug: str, municipality_label: str = "") -> SafeString:
    """One result card: name, provider, kind of help, for whom, where, free places."""
    service = hit.service
    url = reverse("portal:service", kwargs={"territory": territory_slug, "pk": service.pk})
    service_type = service.service_type
    kind = format_html("{}", service_type.label)
    if service_type.paragraph:
        kind = format_html('{} <span class="muted">({})</span>', kind, service_type.paragraph_label)
    facts = [format_html("<div><dt>{}</dt><dd>{}</dd></div>", _("Druh"), kind)]
    groups = ", ".join(group.label for group in service.listed_target_groups)
    ages = ", ".join(age.label for age in service.listed_age_groups)
    if groups or ages:
        facts.append(
            format_html(
                "<div><dt>{}</dt><dd>{}</dd></div>",
                _("Pro koho"),
                "; ".join(part for part in (groups, ages) if part),
            )
        )
    facts.append(
        format_html("<div><dt>{}</dt><dd>{}</dd></div>", _("Kde"), _where(hit, municipality_label))
    )
    return format_html(
        '<article class="card"><h3 class="card__title"><a href="{}">{}</a></h3>'
        '<p class="card__provider">{}</p><dl class="facts">{}</dl>{}</article>',
        url,
        service.name,
        service.organization.name,
        mark_safe("".join(facts)),  # each part built by format_html
        render_capacity(service.latest_capacity, compact=True),
    )


def _where(hit: Hit, municipality_label: str) -> SafeString:
    if hit.comes_to_you:
        where = format_html("<strong>{}</strong>", _("přijedou za vámi"))
        if municipality_label:
            note = _("terénní služba pro obec %(name)s") % {"name": municipality_label}
            where = format_html('{} <span class="muted">({})</span>', where, note)
        return where
    service = hit.service
    locations = list(service.locations.all())
    if locations:
        where = format_html("{}", "; ".join(loc.public_address for loc in locations[:2]))
        if len(locations) > 2:
            more = len(locations) - 2
            where = format_html(
                "{} {}",
                where,
                ngettext("a %(n)s další místo", "a %(n)s dalších míst", more) % {"n": more},
            )
    elif service.is_field_service:
        where = format_html("{}", _("terénní služba – přijedou za vámi"))
    else:
        where = format_html("{}", _("místo neuvádí"))
    if hit.distance_km is not None:
        distance = _("vzdálenost %(distance)s") % {"distance": km(hit.distance_km)}
        where = format_html('{} <span class="distance">{}</span>', where, distance)
    return where


def render_capacity(report, *, compact: bool) -> SafeString:
    """Free places and waiting list of one service; `report` may be None (never reported).

    A report older than the stale limit shows "neověřeno" rather than its number.
    """
    label = format_html('<span class="capacity__label">{}</span>', _("Volná místa:"))
    if not report:
        return format_html(
            '<p class="capacity capacity--unknown">{} {}</p>', label, _("kapacitu neuvádí")
        )
    if report.is_stale:
        age = _("poslední hlášení %(age)s") % {"age": report_age(report.reported_at)}
        return format_html(
            '<div class="capacity capacity--stale"><p>{} <strong>{}</strong></p>'
            '<p class="capacity__age">{}</p></div>',
            label,
            _("neověřeno"),
            age,
        )
    free = report.free_places
    if free:
        places = ngettext("%(n)s volné místo", "%(n)s volných míst", free) % {"n": free}
    else:
        places = _("teď žádné")
    lines = [format_html("<p>{} <strong>{}</strong></p>", label, places)]
    if report.waiting_list:
        n = report.waiting_list
        text = ngettext("V pořadníku čeká %(n)s člověk.", "V pořadníku čeká %(n)s lidí.", n)
        lines.append(format_html("<p>{}</p>", text % {"n": n}))
    if report.typical_wait_days:
        n = report.typical_wait_days
        text = ngettext("Obvykle se čeká %(n)s den.", "Obvykle se čeká %(n)s dní.", n)
        lines.append(format_html("<p>{}</p>", text % {"n": n}))
    if report.note and not compact:
        lines.append(format_html("<p{}>{}</p>", content_lang(), report.note))
    age = _("aktualizováno %(age)s") % {"age": report_age(report.reported_at)}
    lines.append(format_html('<p class="capacity__age">{}</p>', age))
    return format_html(
        '<div class="capacity {}">{}</div>',
        "capacity--free" if free else "capacity--full",
        mark_safe("".join(lines)),  # each line built by format_html
    )
