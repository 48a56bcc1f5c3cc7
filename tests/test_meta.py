"""Project-wide guards: page structure, migrations, translations and template hygiene."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from portal import urls as portal_urls
from tests.factories import KYJOV, make_organization, make_service, make_territory

BASE_DIR = Path(settings.BASE_DIR)
TEMPLATE_DIRS = [BASE_DIR / "templates", *sorted(BASE_DIR.glob("*/templates"))]


class PageStructure(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.h1 = 0
        self.titles: list[str] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
            self.titles.append("")

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.titles[-1] += data


def assert_page_structure(response, where: str) -> None:
    parser = PageStructure()
    parser.feed(response.content.decode())
    assert parser.h1 == 1, f"{where}: {parser.h1} <h1> elements, expected exactly one"
    assert len(parser.titles) == 1, f"{where}: {len(parser.titles)} <title> elements"
    title = " ".join(parser.titles[0].split())
    assert title and not title.startswith("–"), f"{where}: empty title {title!r}"


@pytest.fixture
def portal_pages(db) -> dict[str, str]:
    """One URL for every named page of the portal."""
    territory = make_territory("kyjovsko", (KYJOV,), name="Kyjovsko")
    org = make_organization("Charita Kyjov")
    service = make_service(org, type_code="37", name="Poradna Kyjov", free_places=1)
    kw = {"territory": territory.slug}
    return {
        "index": reverse("portal:index"),
        "home": reverse("portal:home", kwargs=kw),
        "search": reverse("portal:search", kwargs=kw),
        "search?map": reverse("portal:search", kwargs=kw) + "?zobrazeni=mapa&q=poradna",
        "search?empty": reverse("portal:search", kwargs=kw) + "?q=xyzzy&druh=nic",
        "service": reverse("portal:service", kwargs={**kw, "pk": service.pk}),
        "organization": reverse("portal:organization", kwargs={**kw, "pk": org.pk}),
        "municipality": reverse("portal:municipality", kwargs={**kw, "code": KYJOV}),
        "help_request": reverse("portal:help_request", kwargs=kw),
        "help_request_sent": reverse("portal:help_request_sent", kwargs=kw),
        "privacy": reverse("portal:privacy", kwargs=kw),
        "404": "/neexistujici-uzemi/",
    }


# Views that answer with a redirect, not with a page.
REDIRECTS = {"situation"}


def test_every_portal_page_is_covered_by_the_meta_tests(portal_pages):
    names = {p.name for p in portal_urls.urlpatterns} - REDIRECTS
    assert names <= {name.split("?")[0] for name in portal_pages}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["cs", "en"])
def test_every_portal_page_has_one_h1_and_a_title(client, portal_pages, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name, url in portal_pages.items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), url
        assert_page_structure(response, url)


def _argumentless_urls(resolver=None, prefix: str = "") -> list[str]:
    resolver = resolver or get_resolver()
    urls = []
    for pattern in resolver.url_patterns:
        route = str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/") or "<" in route:
                continue
            urls += _argumentless_urls(pattern, prefix + route)
        elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
            urls.append("/" + prefix + route.lstrip("^").rstrip("$"))
    return urls


@pytest.mark.django_db
def test_every_argumentless_page_has_one_h1_and_a_title(client):
    checked = 0
    for url in _argumentless_urls():
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue  # redirects to log in, POST-only endpoints
        assert_page_structure(response, url)
        checked += 1
    assert checked >= 1


def test_server_error_page_renders_without_a_request():
    from django.template import loader

    html = loader.get_template("500.html").render({})
    parser = PageStructure()
    parser.feed(html)
    assert parser.h1 == 1
    assert parser.titles


@pytest.mark.django_db
def test_server_error_page_is_served_on_exception(settings):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    from unittest import mock

    with mock.patch("portal.views.Territory.objects.order_by", side_effect=RuntimeError):
        response = client.get(reverse("portal:index"))
    assert response.status_code == 500
    assert "Něco se pokazilo" in response.content.decode()


@pytest.mark.django_db
def test_no_pending_migrations():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit:  # pragma: no cover - the failure path
        pytest.fail(f"models have changes without a migration:\n{out.getvalue()}")


def test_each_locale_translates_a_known_string():
    with translation.override("en"):
        assert translation.gettext("Hledat pomoc") == "Find help"
        assert (
            translation.ngettext("Nalezena %(counter)s služba", "Nalezeno %(counter)s služeb", 3)
            == "Found %(counter)s services"
        )
    with translation.override("cs"):
        # Czech has a form for 2–4 that the source strings alone cannot express.
        assert (
            translation.ngettext("Nalezena %(counter)s služba", "Nalezeno %(counter)s služeb", 3)
            == "Nalezeny %(counter)s služby"
        )


def _templates() -> list[Path]:
    return [path for directory in TEMPLATE_DIRS for path in sorted(directory.rglob("*.html"))]


def test_templates_exist():
    assert len(_templates()) >= 5


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_template_blocktranslate_is_trimmed(path):
    # Without `trimmed` the template's line breaks and indentation end up in the msgid.
    text = path.read_text(encoding="utf-8")
    untrimmed = [
        tag
        for tag in re.findall(r"{%\s*blocktrans(?:late)?\b[^%]*%}", text)
        if "trimmed" not in tag
    ]
    assert untrimmed == []


@pytest.mark.parametrize("path", _templates(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_template_has_no_inline_script_or_style(path):
    # The CSP allows only scripts and styles from our own files.
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"\sstyle\s*=", text), "style= attribute"
    assert not re.search(r"<style[\s>]", text), "<style> element"
    assert not re.search(r"\son[a-z]+\s*=\s*[\"']", text), "inline event handler"
    assert not re.search(r"javascript:", text, re.I), "javascript: URL"
    for tag in re.findall(r"<script\b[^>]*>", text):
        assert "src=" in tag, f"inline script: {tag}"
