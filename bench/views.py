"""The floor: a page with the site's base template, trivial content and no database query."""

from functools import cache

from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template

from territory.models import Territory

# An unsaved territory, so that a base template that shows the territory renders the same
# header as the search page without asking the database.
FLOOR_TERRITORY = Territory(slug="cr", name="Česká republika", kind=Territory.Kind.NATIONAL)


@cache
def base_template_exists() -> bool:
    try:
        get_template("base.html")
    except TemplateDoesNotExist:
        return False
    return True


def floor(request):
    template = "bench/floor.html" if base_template_exists() else "bench/floor_standalone.html"
    return render(request, template, {"territory": FLOOR_TERRITORY})
