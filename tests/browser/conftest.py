"""Browser tests: Playwright's sync API driving Debian's Chromium against the live server.

Nothing leaves the machine: every request that is not for the live server is answered
locally (map tiles with a blank image) or aborted.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.conftest import load_reference_data

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _blank_png() -> bytes:
    """A 1×1 transparent PNG: what the "tile server" answers, as there is no internet here."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


BLANK_PNG = _blank_png()

MISSING = []
if not Path(CHROMIUM).exists():
    MISSING.append(f"{CHROMIUM} is missing (apt-get install chromium)")
if not AXE_JS.exists():
    MISSING.append(f"{AXE_JS} is missing (npm ci)")
REASON = "!!! BROWSER TESTS SKIPPED: " + "; ".join(MISSING) + " !!!" if MISSING else ""


def pytest_terminal_summary(terminalreporter):
    """Say it loudly at the end of the run, not only in the list of skips."""
    if MISSING:
        terminalreporter.write_sep("!", REASON, red=True, bold=True)


@pytest.fixture(scope="module")
def browser():
    """One Chromium per module; Playwright's event loop stops with it."""
    if MISSING:
        pytest.skip(REASON)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - dev dependency missing
        pytest.skip("!!! BROWSER TESTS SKIPPED: the playwright package is not installed !!!")
    # Playwright's sync API keeps an event loop running in this thread, and Django refuses
    # ORM calls from a thread with a running loop. The fixtures' ORM calls are plain
    # synchronous code, so the guard steps aside, for these tests only.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()


@pytest.fixture
def context(browser, live_server):
    """A Czech browser that reaches only the live server (tiles get a blank image)."""
    context = browser.new_context(locale="cs-CZ", viewport={"width": 1280, "height": 900})
    server = urlsplit(live_server.url).netloc

    def handle(route):
        url = urlsplit(route.request.url)
        if url.netloc == server:
            route.continue_()
        elif route.request.resource_type == "image":  # map tiles
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
        else:
            route.abort()

    context.route("**/*", handle)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A page that records console errors (a CSP violation is one) and uncaught exceptions."""
    page = context.new_page()
    page.errors = []

    def on_console(message):
        if message.type == "error":
            page.errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    page.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, axe_source: str) -> list[dict]:
    """Run axe-core on the page; `evaluate` is not subject to the page's CSP, a script tag is."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    return page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))}))",
        AXE_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:5]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}\n        {summary}")
    return "\n".join(lines)


@pytest.fixture
def portal_reference_data(transactional_db):
    """A transactional test starts from a flushed database: load the reference data again."""
    load_reference_data()


@pytest.fixture(scope="module", autouse=True)
def restore_reference_data(django_db_setup, django_db_blocker):
    """Leave the database as migrations left it, for whatever runs after these tests."""
    yield
    with django_db_blocker.unblock():
        load_reference_data()
