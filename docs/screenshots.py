#!/usr/bin/env python3
"""Screenshots of the user guides (docs/guide-*.md), taken from the demo with Playwright.

    make guides                                  # the whole run, about two minutes
    .venv/bin/python docs/screenshots.py --only provider,coordinator

What it does, from nothing: a fresh SQLite database (var/guides.sqlite3), `migrate`,
`load_demo`, `runserver` on a free port of 127.0.0.1 with two-factor login off
(SPOJKA_REQUIRE_2FA=0), then Debian's Chromium (/usr/bin/chromium) driven by Playwright's
sync API plays each guide's story through the real pages, logging in through the login
form as the demo users, and saves PNG screenshots into docs/img/ under stable names. No
request leaves the machine: map tiles get a blank image, everything else not for the local
server is aborted.

The story runs in order, because the roles hand work to each other: the resident asks for
help, the social worker takes the request and refers the person, the provider accepts the
referral, the worker follows it. `--only` runs the named guides and the acts they need.

A step that fails (a missing button, an error page, a server error) stops the run with a
message naming the guide and the step, and a screenshot of the page in
var/guides-failure.png; the exit status is then 1.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import socket
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
IMG = ROOT / "docs" / "img"
VAR = ROOT / "var"
DB_FILE = VAR / "guides.sqlite3"
SERVER_LOG = VAR / "guides-server.log"
FAILURE_PNG = VAR / "guides-failure.png"

CHROMIUM = "/usr/bin/chromium"
# Without Chromium's Czech resources (Debian's chromium-l10n) date and time fields show as
# mm/dd/yyyy and 04:00 PM, and file fields say "Choose File".
CZECH_PAK = "/usr/lib/chromium/locales/cs.pak"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
MOBILE = {"width": 390, "height": 844}
MAX_CLIP_HEIGHT = 1600  # an element taller than this is cut: no 5,000 px images
PASSWORD = "spojka-demo"
TERRITORY = "kyjovske-slovacko"

# Who plays which role (demo users of `manage.py load_demo`, Kyjovsko).
SOCIAL_WORKER = "kyjov-pracovnik"
PROVIDER = "kyjov-poskytovatel"  # staff of Educante, z.s.
COMMUNITY_WORKER = "kyjov-komunitni"
COORDINATOR = "kyjov-koordinator"

# The resident of the story; the other roles find her by this name.
RESIDENT_NAME = "Věra Příkladová (demo)"
RESIDENT_SITUATION = (
    "Od září mi bývalý manžel neplatí výživné a nestíhám platit nájem. Mám dvě děti "
    "(6 a 9 let) a bojím se, že přijdeme o byt. Potřebovala bych poradit, co dělat."
)
# The service of the provider (Educante) the worker refers her to.
REFERRAL_SERVICE = "Sociálně aktivizační služba pro rodiny s dětmi Educante"

GUIDES = {
    "resident": "guide-resident.md",
    "social-worker": "guide-social-worker.md",
    "provider": "guide-provider.md",
    "community-worker": "guide-community-worker.md",
    "coordinator": "guide-coordinator.md",
}


def today() -> date:
    return datetime.now(ZoneInfo("Europe/Prague")).date()


def say(line: str = "") -> None:
    print(line, flush=True)


def blank_png() -> bytes:
    """A 1×1 transparent PNG: what the "tile server" answers, as nothing leaves the machine."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 6, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00\x00\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


BLANK_PNG = blank_png()


class StepFailed(Exception):
    pass


# --- the demo server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": f"sqlite:///{DB_FILE}",
            "SPOJKA_ENV": "development",
            "SPOJKA_REQUIRE_2FA": "0",
            "SPOJKA_DEBUG": "1",  # runserver serves the static files
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "LANGUAGE": "cs",
        }
    )
    for name in ("SPOJKA_TEST_DB", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    return env


def manage(*args: str, env: dict[str, str]) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"screenshots: `manage.py {' '.join(args)}` failed (see above)")
    say(f"  manage.py {' '.join(args)}: {time.monotonic() - started:.0f} s")


@contextlib.contextmanager
def demo_server() -> Iterator[str]:
    """A fresh database with the demo, served by runserver; yields the base URL."""
    VAR.mkdir(exist_ok=True)
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{DB_FILE}{suffix}").unlink(missing_ok=True)
    env = server_env()
    say(f"Database {DB_FILE.relative_to(ROOT)} (fresh)")
    manage("migrate", "--no-input", "-v", "0", env=env)
    manage("load_demo", env=env)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = SERVER_LOG.open("w")
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                log_name = SERVER_LOG.relative_to(ROOT)
                raise SystemExit(f"screenshots: runserver stopped at start-up, see {log_name}")
            try:
                with urllib.request.urlopen(base + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise SystemExit("screenshots: runserver did not answer within 60 s")
            time.sleep(0.3)
        say(f"Server {base} (log: {SERVER_LOG.relative_to(ROOT)})")
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# --- the browser and the screenshots -------------------------------------------------------


@dataclass
class Story:
    """What one act leaves for the next (URLs of things created on the way)."""

    help_request_url: str = ""
    person_url: str = ""
    referral_url: str = ""
    event_url: str = ""
    event_manage_url: str = ""
    meeting_url: str = ""
    project_url: str = ""


@dataclass
class Run:
    base: str
    browser: object
    taken: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    story: Story = field(default_factory=Story)
    guide: str = ""
    current_step: str = ""
    pages: list = field(default_factory=list)

    # -- contexts and pages --

    def new_page(self, *, mobile: bool = False):
        """A Czech browser tab (390 px wide phone or 1280×800 desktop) that reaches only
        the demo server and records server errors and script errors."""
        options = {"locale": "cs-CZ", "timezone_id": "Europe/Prague"}
        if mobile:
            options.update(viewport=MOBILE, is_mobile=True, has_touch=True, device_scale_factor=1)
        else:
            options.update(viewport=DESKTOP, device_scale_factor=1)
        context = self.browser.new_context(**options)
        server = urlsplit(self.base).netloc

        def route(route):
            url = urlsplit(route.request.url)
            if url.netloc == server:
                route.continue_()
            elif route.request.resource_type == "image":  # map tiles
                route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)
            else:
                route.abort()

        context.route("**/*", route)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.problems = []

        def on_response(response):
            if response.status >= 500:
                page.problems.append(
                    f"HTTP {response.status} {response.request.method} {response.url}"
                )

        def on_console(message):
            if message.type == "error" and not message.location.get("url", "").endswith(
                "/favicon.ico"
            ):
                where = f"[{self.guide} / {self.current_step}] {page.url}"
                self.warnings.append(f"{where}: console error: {message.text}")

        page.on("response", on_response)
        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        self.pages.append(page)
        return page

    def close_page(self, page) -> None:
        if page in self.pages:
            self.pages.remove(page)
        page.context.close()

    def url(self, path: str) -> str:
        return self.base + path

    def goto(self, page, path: str) -> None:
        response = page.goto(self.url(path) if path.startswith("/") else path)
        if response is None or response.status >= 400:
            status = response.status if response else "no response"
            raise StepFailed(f"{path} answered {status}")
        settle(page)

    def login(self, page, username: str, next_path: str = "") -> None:
        page.context.clear_cookies()
        path = "/ucet/prihlaseni/" + (f"?next={next_path}" if next_path else "")
        self.goto(page, path)
        form = page.locator("main form").filter(has=page.locator("input[type=password]"))
        form.get_by_label("Uživatelské jméno").fill(username)
        form.locator("input[type=password]").fill(PASSWORD)
        form.get_by_role("button", name="Přihlásit se").click()
        page.wait_for_url(lambda url: "/ucet/prihlaseni/" not in url)
        settle(page)

    # -- steps --

    @contextlib.contextmanager
    def step(self, title: str) -> Iterator[None]:
        self.current_step = title
        say(f"  · {title}")
        try:
            yield
        except Exception as exc:
            for page in self.pages:
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(FAILURE_PNG))
                    break
            raise StepFailed(f"{self.guide} / {title}: {exc}") from exc
        for page in self.pages:
            if page.problems:
                problems = "; ".join(page.problems)
                page.problems.clear()
                raise StepFailed(f"{self.guide} / {title}: {problems}")

    # -- screenshots --

    def shot(
        self,
        page,
        name: str,
        target=None,
        *,
        mark=(),
        pad: int = 8,
        max_height: int = MAX_CLIP_HEIGHT,
        full_width: bool = False,
    ) -> None:
        """docs/img/<name>.png of one of:

        - target None: the top of the page, header included, down to the end of <main>
          (at most one screen);
        - target "viewport": the screen as it is now (scrolled);
        - a locator, or a list of locators: the box around them with `pad` px of margin,
          cut at `max_height`.

        Elements in `mark` get an orange frame for the picture.
        """
        settle(page)
        for locator in mark:
            locator.evaluate(
                "el => { el.dataset.guideOutline = el.style.outline || '';"
                " el.style.outline = '3px solid #e8590c'; el.style.outlineOffset = '2px'; }"
            )
        path = IMG / f"{name}.png"
        options = {"path": str(path), "animations": "disabled", "caret": "hide"}
        try:
            if target == "viewport":
                page.screenshot(**options)
            elif target is None:
                page.evaluate("window.scrollTo(0, 0)")
                viewport = page.viewport_size
                bottom = page.evaluate(
                    "Math.ceil(document.querySelector('main').getBoundingClientRect().bottom)"
                )
                height = max(min(bottom + 16, viewport["height"]), 200)
                page.screenshot(
                    clip={"x": 0, "y": 0, "width": viewport["width"], "height": height}, **options
                )
            else:
                self._clip(
                    page,
                    target,
                    options,
                    pad=pad,
                    max_height=max_height,
                    full_width=full_width,
                    name=name,
                )
        finally:
            for locator in mark:
                with contextlib.suppress(Exception):
                    locator.evaluate(
                        "el => { el.style.outline = el.dataset.guideOutline; "
                        "el.style.outlineOffset = ''; delete el.dataset.guideOutline; }"
                    )
        self.taken.append(path.name)
        say(f"      {path.relative_to(ROOT)}")

    @staticmethod
    def _clip(page, target, options, *, pad, max_height, full_width, name) -> None:
        """Photograph the box around the target element(s).

        Not with Playwright's full-page capture: after it, Chromium no longer delivers
        clicks on a long page. A box taller than the screen is taken by making the
        viewport taller for the moment instead.
        """
        targets = target if isinstance(target, list | tuple) else [target]
        targets[0].scroll_into_view_if_needed()
        scroll_y = page.evaluate("window.scrollY")
        boxes = []
        for locator in targets:
            box = locator.bounding_box()
            if box is None:
                raise StepFailed(f"{name}: the element to photograph is not visible")
            boxes.append(box)
        left = min(b["x"] for b in boxes)
        top = min(b["y"] for b in boxes) + scroll_y  # in document coordinates
        right = max(b["x"] + b["width"] for b in boxes)
        bottom = max(b["y"] + b["height"] for b in boxes) + scroll_y
        viewport = page.viewport_size
        x = 0 if full_width else max(left - pad, 0)
        w = viewport["width"] if full_width else min(right - left + 2 * pad, viewport["width"] - x)
        y = max(top - pad, 0)
        h = min(bottom - top + 2 * pad, max_height)
        taller = h > viewport["height"]
        if taller:
            page.set_viewport_size({"width": viewport["width"], "height": int(h) + 1})
        try:
            page.evaluate("y => window.scrollTo(0, y)", y)
            actual = page.evaluate("window.scrollY")
            page.screenshot(clip={"x": x, "y": y - actual, "width": w, "height": h}, **options)
        finally:
            if taller:
                page.set_viewport_size(viewport)


def settle(page) -> None:
    """Wait until the page has loaded, its fonts are ready and htmx requests are done."""
    page.wait_for_load_state("load")
    page.wait_for_function(
        "document.fonts.status === 'loaded' && !document.querySelector('.htmx-request')"
    )


def main_text(page) -> str:
    return page.locator("main").inner_text()


def expect_text(page, text: str) -> None:
    """Fail unless `text` is on the page (checked after the page settled)."""
    settle(page)
    if text not in main_text(page):
        raise StepFailed(f"expected „{text}“ on {page.url}")


def click_and_wait(page, locator) -> None:
    with page.expect_navigation():
        locator.click()
    settle(page)


# --- the acts --------------------------------------------------------------------------------


@dataclass
class Act:
    name: str
    guide: str
    play: Callable[[Run], None]
    needs: tuple[str, ...] = ()


ACTS: list[Act] = []


def act(name: str, guide: str, needs: tuple[str, ...] = ()):
    def register(function: Callable[[Run], None]) -> Callable[[Run], None]:
        ACTS.append(Act(name, guide, function, needs))
        return function

    return register


# --- resident --------------------------------------------------------------------------------


@act("resident-portal", "resident")
def resident_portal(run: Run) -> None:
    page = run.new_page(mobile=True)
    with run.step("Úvodní stránka území na telefonu"):
        run.goto(page, f"/{TERRITORY}/")
        run.shot(page, "resident-home-mobile")
    run.close_page(page)

    page = run.new_page()
    with run.step("Úvodní stránka: hledání, obec a Požádat o pomoc"):
        run.goto(page, f"/{TERRITORY}/")
        hero = page.locator(".hero")
        hero.get_by_label("Co hledáte?").fill("péče o maminku")
        kyjov = page.locator("#home-obec option", has_text=re.compile(r"^\s*Kyjov\b")).first
        page.locator("#home-obec").select_option(kyjov.get_attribute("value"))
        run.shot(page, "resident-home-search", hero, pad=0, full_width=True)
    with run.step("Životní situace"):
        section = page.locator("section", has=page.locator("#situations-heading"))
        run.shot(page, "resident-situations", section, max_height=700)
    with run.step("Výsledky hledání"):
        click_and_wait(page, hero.get_by_role("button", name="Hledat"))
        expect_text(page, "maminku")
        run.shot(page, "resident-search-results")
    with run.step("Filtry: Upřesnit hledání a Jen s volným místem"):
        filters = page.locator("details.filters")
        if not filters.evaluate("el => el.open"):  # open already when a filter is active
            filters.locator("summary").click()
        page.locator("#id_volna").check()  # the results follow without a click on Hledat
        page.wait_for_url(re.compile(r"volna=1"))
        settle(page)
        run.shot(
            page,
            "resident-search-filters",
            page.locator(".search-form"),
            mark=[page.locator("label[for=id_volna]")],
        )
    with run.step("Karta služby s volnými místy"):
        card = page.locator("article.card").filter(has=page.locator(".capacity--free")).first
        run.shot(page, "resident-card-free", card)
    with run.step("Karta služby s neověřenou kapacitou"):
        run.goto(page, f"/{TERRITORY}/hledat/?q=rehabilitace")
        stale = page.locator("article.card").filter(has=page.locator(".capacity--stale")).first
        if not stale.count():
            raise StepFailed("no service with an unverified (stale) capacity report in the demo")
        run.shot(page, "resident-card-unverified", stale)
    with run.step("Stránka služby"):
        run.goto(page, f"/{TERRITORY}/hledat/?q=pe%C4%8Dovatelsk%C3%A1+slu%C5%BEba")
        click_and_wait(page, page.locator("article.card h3 a").first)
        run.shot(page, "resident-service")
        side = page.locator("aside.layout-two__side > section")
        run.shot(page, "resident-service-capacity", [side.nth(0), side.nth(1)])
    run.close_page(page)


@act("resident-help", "resident")
def resident_help(run: Run) -> None:
    page = run.new_page(mobile=True)
    with run.step("Požádat o pomoc na telefonu"):
        run.goto(page, f"/{TERRITORY}/")
        click_and_wait(page, page.get_by_role("link", name="Požádat o pomoc").first)
        form = page.locator("form.help-form")
        form.get_by_label("S čím potřebujete pomoci?").fill(RESIDENT_SITUATION)
        municipality = form.get_by_label("Vaše obec")
        kyjov = municipality.locator("option", has_text=re.compile(r"^\s*Kyjov\b")).first
        municipality.select_option(kyjov.get_attribute("value"))
        form.get_by_label("Jméno nebo přezdívka").fill(RESIDENT_NAME)
        form.get_by_label("telefonem").check()
        form.get_by_label("Telefon, e-mail nebo kde vás zastihneme").fill("777 123 456")
        form.locator("input[name=consent]").check()
        run.shot(page, "resident-help-form-mobile", page.locator("main"), max_height=1180)
        consent = form.locator(".field--check-block")
        run.shot(
            page,
            "resident-help-consent-mobile",
            [consent, form.get_by_role("button", name="Odeslat žádost")],
            pad=12,
        )
    with run.step("Žádost je odeslaná"):
        click_and_wait(page, form.get_by_role("button", name="Odeslat žádost"))
        expect_text(page, "žádost je odeslaná")
        run.shot(page, "resident-help-sent-mobile")
    run.close_page(page)


@act("resident-events", "resident")
def resident_events(run: Run) -> None:
    page = run.new_page()
    with run.step("Kalendář akcí"):
        run.goto(page, f"/{TERRITORY}/")
        click_and_wait(page, page.get_by_role("link", name="Kalendář všech akcí"))
        run.shot(page, "resident-calendar")
    with run.step("Akce, na kterou je plno: čekací listina"):
        click_and_wait(page, page.get_by_role("link", name="Kurz první pomoci pro seniory").first)
        form = page.locator("form.event-form")
        form.get_by_label("Jméno a příjmení").fill("Marie Ukázková")
        form.get_by_label("E-mail").fill("marie.ukazkova@example.cz")
        form.locator("input[name=souhlas]").check()
        run.shot(page, "resident-event")
        run.shot(page, "resident-event-form", page.locator("aside .box"))
    with run.step("Přihláška: stránka s odkazem ke zrušení"):
        click_and_wait(page, form.get_by_role("button", name="Přihlásit se"))
        expect_text(page, "Vaše přihláška")
        run.shot(page, "resident-registration")
    with run.step("Zrušit přihlášku"):
        click_and_wait(page, page.locator("main").get_by_role("button", name="Zrušit přihlášku"))
        expect_text(page, "Přihláška je zrušená")
        run.shot(page, "resident-registration-cancelled")
    run.close_page(page)


@act("resident-language", "resident")
def resident_language(run: Run) -> None:
    page = run.new_page()
    with run.step("Přepnutí jazyka"):
        run.goto(page, f"/{TERRITORY}/")
        button = page.locator(".language-switch button")
        run.shot(
            page,
            "resident-language-switch",
            page.locator("header.site-header"),
            pad=0,
            mark=[button],
        )
        click_and_wait(page, button)
        if page.locator("html").get_attribute("lang") != "en":
            raise StepFailed("the page did not switch to English")
        run.shot(page, "resident-english")
        click_and_wait(page, page.locator(".language-switch button"))
    run.close_page(page)


# --- social worker: intake and referral ------------------------------------------------------


def open_row(page, table_heading: str, text: str) -> None:
    """Click the link of the first row mentioning `text` in the table after `table_heading`."""
    table = page.locator("table").filter(has=page.locator("caption", has_text=table_heading))
    if not table.count():
        table = page.locator("main table")
    row = table.locator("tr").filter(has_text=text).first
    if not row.count():
        raise StepFailed(f"no row with „{text}“ on {page.url}")
    click_and_wait(page, row.locator("a").first)


@act("worker-intake", "social-worker", needs=("resident-help",))
def worker_intake(run: Run) -> None:
    page = run.new_page()
    with run.step("Přihlášení"):
        run.goto(page, "/ucet/prihlaseni/")
        form = page.locator("main form").filter(has=page.locator("input[type=password]"))
        form.get_by_label("Uživatelské jméno").fill(SOCIAL_WORKER)
        form.locator("input[type=password]").fill(PASSWORD)
        run.shot(page, "worker-login")
        run.login(page, SOCIAL_WORKER)
    with run.step("Dvoufázové ověření: nastavení aplikace"):
        run.goto(page, "/ucet/overeni/nastaveni/")
        run.shot(page, "worker-2fa-setup")
    with run.step("Schránka"):
        run.goto(page, "/prace/")
        run.shot(page, "worker-inbox")
    with run.step("Žádosti o pomoc"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Žádosti o pomoc"))
        run.shot(page, "worker-requests")
        open_row(page, "Žádosti o pomoc", RESIDENT_NAME)
        run.story.help_request_url = page.url
        run.shot(page, "worker-request")
    with run.step("Převzít žádost"):
        click_and_wait(page, page.get_by_role("button", name="Převzít žádost"))
        expect_text(page, "Žádost jste převzali")
        run.shot(
            page,
            "worker-request-taken",
            page.locator("aside .box"),
            mark=[page.get_by_role("link", name="Zaznamenat osobu z žádosti")],
        )
    with run.step("Zaznamenat osobu z žádosti"):
        click_and_wait(page, page.get_by_role("link", name="Zaznamenat osobu z žádosti"))
        page.get_by_label("Rok narození").fill("1988")
        run.shot(page, "worker-person-form", page.locator("main"), max_height=1100)
        click_and_wait(
            page, page.locator("main form").get_by_role("button", name="Zaznamenat osobu")
        )
        run.story.person_url = page.url.split("/souhlas/")[0] + "/"
    with run.step("Souhlas s předáním"):
        expect_text(page, "Souhlas:")
        run.shot(page, "worker-consent-form", page.locator("main"), max_height=1500)
        click_and_wait(
            page, page.locator("main form").get_by_role("button", name="Zaznamenat souhlas")
        )
        expect_text(page, "Potvrzení o vašem souhlasu")
    with run.step("Potvrzení o souhlasu k vytištění"):
        run.shot(page, "worker-consent-receipt")
        print_shot(run, page, "worker-consent-receipt-print", page.locator("article.receipt"))
    with run.step("Předat do služby: návrhy služeb"):
        click_and_wait(page, page.get_by_role("link", name="Pokračovat: předat do služby"))
        run.shot(page, "worker-referral-suggestions")
    with run.step("Předat do služby: hledání a výběr"):
        search = page.locator("form.search-form")
        search.get_by_label("Co osoba potřebuje").fill("rodina s dětmi")
        click_and_wait(page, search.get_by_role("button", name="Hledat služby"))
        choice = page.locator("li.choice").filter(has_text=REFERRAL_SERVICE).first
        if not choice.count():
            raise StepFailed(f"„{REFERRAL_SERVICE}“ is not among the suggestions")
        choice.locator("input[type=radio]").check()
        page.get_by_label("Zpráva pro přijímající službu").fill(
            "Paní Příkladová je samoživitelka se dvěma dětmi, má dluh na nájemném a bojí se "
            "ztráty bydlení. Prosím o kontakt telefonem, nejlépe dopoledne."
        )
        run.shot(
            page,
            "worker-referral-form",
            [
                page.locator("fieldset.service-choice"),
                page.get_by_role("button", name="Předat do vybrané služby"),
            ],
            mark=[choice],
        )
        click_and_wait(page, page.get_by_role("button", name="Předat do vybrané služby"))
        expect_text(page, "Předání do služby")
        run.story.referral_url = page.url
        run.shot(page, "worker-referral-sent")
    run.close_page(page)


# --- provider: capacity, service, referrals ----------------------------------------------------


@act("provider-service", "provider")
def provider_service(run: Run) -> None:
    page = run.new_page()
    with run.step("Můj účet: služby organizace"):
        run.login(page, PROVIDER)
        run.shot(page, "provider-dashboard")
    with run.step("Aktualizovat volná místa a pořadník"):
        card = page.locator("article.card").filter(has_text=REFERRAL_SERVICE)
        click_and_wait(page, card.get_by_role("link", name="Aktualizovat kapacitu"))
        page.get_by_label("Volná místa").fill("2")
        page.get_by_label("Čeká v pořadníku").fill("1")
        page.get_by_label("Obvyklá čekací doba (dny)").fill("14")
        page.get_by_label("Poznámka").fill("Další místo se uvolní v lednu.")
        run.shot(page, "provider-capacity-form", page.locator("main"), max_height=900)
        click_and_wait(page, page.get_by_role("button", name="Uložit"))
        run.shot(page, "provider-capacity-saved")
    with run.step("Upravit popis služby"):
        run.goto(page, "/ucet/")
        card = page.locator("article.card").filter(has_text=REFERRAL_SERVICE)
        click_and_wait(page, card.get_by_role("link", name="Upravit popis"))
        run.shot(page, "provider-service-edit")
        click_and_wait(page, page.get_by_role("button", name="Uložit službu"))
        expect_text(page, "je uložená")
    run.close_page(page)


@act("provider-referrals", "provider", needs=("worker-intake",))
def provider_referrals(run: Run) -> None:
    page = run.new_page()
    with run.step("Schránka: nové předání"):
        run.login(page, PROVIDER, "/prace/")
        run.shot(page, "provider-inbox")
    with run.step("Předání: co vidí přijímající služba"):
        run.goto(page, run.story.referral_url)
        run.shot(page, "provider-referral")
    with run.step("Přijmout předání"):
        click_and_wait(page, page.locator("form.transition").get_by_role("button", name="Přijmout"))
        expect_text(page, "přijaté")
        run.shot(page, "provider-referral-accepted", page.locator("main"), max_height=420)
    with run.step("Zpráva předávající organizaci"):
        page.get_by_label("Zpráva druhé organizaci").fill(
            "Dobrý den, s paní Příkladovou jsme domluvení na čtvrtek v 10:00 u nás v poradně."
        )
        click_and_wait(page, page.get_by_role("button", name="Odeslat zprávu"))
        expect_text(page, "Zpráva je odeslaná")
        run.shot(page, "provider-message", page.locator("section", has=page.locator("#zpravy")))
    with run.step("Odmítnout jiné předání s důvodem"):
        run.goto(page, "/prace/predani/?smer=prijate&stav=sent")
        table = page.locator("main table")
        row = table.locator("tbody tr").filter(has_not_text=RESIDENT_NAME).first
        if not row.count():
            raise StepFailed("the demo has no other sent referral to decline")
        click_and_wait(page, row.locator("a").first)
        decline = page.locator("form.transition").filter(has=page.locator("select[name=reason]"))
        decline.locator("select[name=reason]").select_option(
            label="osoba nepatří do cílové skupiny"
        )
        decline.get_by_label("Poznámka (nepovinná)").fill(
            "Klub je pro děti a mládež do 26 let; doporučujeme sociální poradnu."
        )
        run.shot(page, "provider-decline", decline)
        click_and_wait(page, decline.get_by_role("button", name="Odmítnout"))
        expect_text(page, "odmítnuté")
        run.shot(page, "provider-declined", page.locator("main"), max_height=300)
    run.close_page(page)


# --- social worker: following the referral, GDPR ---------------------------------------------


@act("worker-follow", "social-worker", needs=("provider-referrals",))
def worker_follow(run: Run) -> None:
    page = run.new_page()
    with run.step("Oznámení o změně předání"):
        run.login(page, SOCIAL_WORKER, "/prace/")
        run.shot(page, "worker-notifications", page.locator("main section").first, max_height=600)
    with run.step("Sledovat předání a odpovědět na zprávu"):
        run.goto(page, run.story.referral_url)
        page.get_by_label("Zpráva druhé organizaci").fill(
            "Děkuji. Paní Příkladová o termínu ví, vezme s sebou výpis dluhů."
        )
        click_and_wait(page, page.get_by_role("button", name="Odeslat zprávu"))
        run.shot(page, "worker-referral-followed")
        run.shot(
            page,
            "worker-referral-history",
            page.locator("section", has=page.locator("#history-heading")),
        )
    with run.step("Přehled předání"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Předání"))
        run.shot(page, "worker-referrals")
    with run.step("Karta osoby a její práva (GDPR)"):
        run.goto(page, run.story.person_url)
        run.shot(page, "worker-person")
        actions = page.locator("aside .box")
        run.shot(
            page,
            "worker-person-actions",
            actions,
            mark=[actions.get_by_role("link", name="Stáhnout všechny údaje (JSON)")],
        )
    with run.step("Export údajů osoby (čl. 15)"):
        with page.expect_download() as info:
            page.get_by_role("link", name="Stáhnout všechny údaje (JSON)").click()
        download = info.value
        content = Path(download.path()).read_text(encoding="utf-8")
        if RESIDENT_NAME not in content:
            raise StepFailed("the export does not contain the person's name")
    with run.step("Oprava údajů (čl. 16)"):
        click_and_wait(page, page.get_by_role("link", name="Opravit údaje"))
        page.get_by_label("E-mail").fill("vera.prikladova@example.cz")
        run.shot(page, "worker-person-edit", page.locator("main"), max_height=1000)
        click_and_wait(page, page.get_by_role("button", name="Uložit opravu"))
        expect_text(page, "Údaje osoby jsou opravené")
    with run.step("Anonymizace (výmaz, čl. 17)"):
        run.goto(page, "/prace/osoby/nova/")
        page.get_by_label("Jméno nebo pseudonym").fill("Karel Zkušební (demo)")
        page.get_by_label("Rok narození").fill("1961")
        click_and_wait(
            page, page.locator("main form").get_by_role("button", name="Zaznamenat osobu")
        )
        click_and_wait(page, page.get_by_role("link", name="← Zpět na kartu osoby"))
        click_and_wait(page, page.get_by_role("link", name="Anonymizovat (výmaz)"))
        run.shot(page, "worker-anonymise")
        click_and_wait(page, page.get_by_role("button", name="Ano, anonymizovat"))
        expect_text(page, "anonymizována")
        run.shot(page, "worker-anonymised", page.locator("main"), max_height=500)
    run.close_page(page)


# --- provider: completing the referral, events ------------------------------------------------


@act("provider-complete", "provider", needs=("worker-follow",))
def provider_complete(run: Run) -> None:
    page = run.new_page()
    with run.step("Zahájit spolupráci"):
        run.login(page, PROVIDER, "/prace/")
        run.goto(page, run.story.referral_url)
        click_and_wait(page, page.get_by_role("button", name="Zahájit spolupráci"))
        expect_text(page, "probíhá")
    with run.step("Dokončit s výsledkem"):
        complete = page.locator("form.transition").filter(has=page.locator("select[name=outcome]"))
        complete.locator("select[name=outcome]").select_option(label="pomoc poskytnuta")
        complete.get_by_label("Poznámka (nepovinná)").fill(
            "Splátkový kalendář s pronajímatelem domluven, výživné vymáhá advokátka."
        )
        run.shot(
            page, "provider-complete", page.locator("section", has=page.locator("#decide-heading"))
        )
        click_and_wait(page, complete.get_by_role("button", name="Dokončit"))
        expect_text(page, "dokončené")
        run.shot(page, "provider-completed")
    run.close_page(page)


def next_weekday(weekday: int, weeks_ahead: int = 2) -> date:
    day = today()
    return day + timedelta(days=(weekday - day.weekday()) % 7 + 7 * weeks_ahead)


EVENT_TITLE = "Poradna pro rodiče: rodinný rozpočet a dávky"


@act("provider-events", "provider")
def provider_events(run: Run) -> None:
    page = run.new_page()
    with run.step("Akce, které pořádáte"):
        run.login(page, PROVIDER, "/ucet/akce/")
        run.shot(page, "provider-events")
    with run.step("Nová akce: formulář"):
        click_and_wait(page, page.get_by_role("link", name="Přidat akci"))
        form = page.locator("form.event-form")
        form.locator("select[name=kind]").select_option(label="kurz")
        form.locator("input[name=title]").fill(EVENT_TITLE)
        form.locator("textarea[name=description]").fill(
            "Malá skupina, ve které si s poradkyní sestavíte rodinný rozpočet a zjistíte, "
            "na jaké dávky a příspěvky máte nárok. Hlídání dětí zajistíme."
        )
        form.locator("input[name=day]").fill(next_weekday(3).isoformat())
        form.locator("input[name=start_time]").fill("16:00")
        form.locator("input[name=end_time]").fill("18:00")
        form.locator("select[name=territory]").select_option(label="Kyjovské Slovácko v pohybu")
        form.get_by_label("na místě organizace").check()
        location = form.locator("select[name=location] option:not([value=''])").first
        form.locator("select[name=location]").select_option(location.get_attribute("value"))
        form.get_by_label("přihláška, místo je hned potvrzené").check()
        form.locator("input[name=capacity]").fill("2")
        fieldsets = form.locator("fieldset")
        run.shot(page, "provider-event-form", [fieldsets.nth(0), fieldsets.nth(1)], max_height=1300)
        run.shot(page, "provider-event-form-registration", fieldsets.last)
    with run.step("Zveřejnit akci"):
        click_and_wait(page, form.get_by_role("button", name="Zveřejnit akci"))
        row = page.locator("main tr").filter(has_text=EVENT_TITLE).first
        if not row.count():
            raise StepFailed("the new event is not in the organiser's list")
        run.story.event_url = row.get_by_role("link", name=EVENT_TITLE, exact=True).get_attribute(
            "href"
        )
        run.story.event_manage_url = row.get_by_role(
            "link", name=re.compile("^Přihlášky")
        ).get_attribute("href")
        run.shot(page, "provider-event-published", mark=[row])
    with run.step("Lidé se přihlašují (dva potvrzení, třetí na čekací listině)"):
        visitor = run.new_page()
        for name, email in (
            ("Jana Ukázková", "jana.ukazkova@example.cz"),
            ("Petr Vzorový", "petr.vzorovy@example.cz"),
            ("Eva Modelová", "eva.modelova@example.cz"),
        ):
            run.goto(visitor, run.story.event_url)
            signup = visitor.locator("form.event-form")
            signup.get_by_label("Jméno a příjmení").fill(name)
            signup.get_by_label("E-mail").fill(email)
            signup.locator("input[name=souhlas]").check()
            click_and_wait(visitor, signup.get_by_role("button", name="Přihlásit se"))
            expect_text(visitor, "Vaše přihláška")
        expect_text(visitor, "Jste na čekací listině")
        run.close_page(visitor)
    with run.step("Přihlášky a čekací listina"):
        run.goto(page, run.story.event_manage_url)
        run.shot(page, "provider-event-registrations")
    with run.step("Zrušit přihlášku: z čekací listiny se posune další"):
        click_and_wait(page, page.get_by_role("button", name="Zrušit přihlášku – Petr Vzorový"))
        expect_text(page, "posunut/a z čekací listiny")
        run.shot(page, "provider-event-promoted")
    run.close_page(page)


# --- community worker --------------------------------------------------------------------------

MEETING_TITLE = "Setkání k dopravě seniorů k lékaři"
TOPIC_TITLE = "Doprava seniorů k lékaři do Kyjova"
LEADER_NAME = "Josef Aktivní (demo)"


def print_shot(run: Run, page, name: str, target, max_height: int = MAX_CLIP_HEIGHT) -> None:
    """The page as it prints: print styles on a sheet about as wide as A4 (794 px)."""
    size = page.viewport_size
    page.set_viewport_size({"width": 794, "height": size["height"]})
    page.emulate_media(media="print")
    try:
        run.shot(page, name, target, pad=24, max_height=max_height)
    finally:
        page.emulate_media(media="screen")
        page.set_viewport_size(size)


def add_participant(page, name: str, year: str) -> None:
    details = page.locator(
        "details", has=page.locator("summary", has_text="Nový účastník se souhlasem")
    )
    if not details.evaluate("el => el.open"):
        details.locator("summary").click()
    details.get_by_label("Jméno a příjmení").fill(name)
    details.get_by_label("Rok narození").fill(year)
    obec = details.get_by_label("Obec, kde žije")
    kyjov = obec.locator("option", has_text=re.compile(r"^\s*Kyjov\b")).first
    obec.select_option(kyjov.get_attribute("value"))
    details.locator("input[type=checkbox][name$=consent]").check()
    return details


@act("community", "community-worker")
def community(run: Run) -> None:
    page = run.new_page()
    with run.step("Komunitní práce: přehled"):
        run.login(page, COMMUNITY_WORKER, "/komunita/")
        run.shot(page, "community-home")
    with run.step("Naplánovat setkání"):
        click_and_wait(page, page.get_by_role("link", name="Naplánovat nebo zapsat setkání"))
        form = page.locator("main form")
        form.get_by_label("Název setkání").fill(MEETING_TITLE)
        form.get_by_label("plánované").check()
        form.get_by_label("Datum").fill((today() - timedelta(days=1)).isoformat())
        form.get_by_label("Začátek").fill("17:00")
        place = form.get_by_label("Místo organizace")
        place.select_option(place.locator("option:not([value=''])").first.get_attribute("value"))
        form.get_by_label("Místo (jiné nebo upřesnění)").fill("klubovna v přízemí")
        form.get_by_label(re.compile("komunitní pracovník")).check()
        run.shot(page, "community-meeting-form", page.locator("main"), max_height=1400)
        click_and_wait(page, form.get_by_role("button", name="Uložit setkání"))
        expect_text(page, MEETING_TITLE)
        run.story.meeting_url = page.url
        run.shot(page, "community-meeting")
    with run.step("Téma na setkání"):
        topic_form = page.locator(
            "form", has=page.get_by_role("button", name="Přidat téma na setkání")
        )
        topic_form.get_by_label("Nové téma").fill(TOPIC_TITLE)
        topic_form.get_by_label("Co k tématu zaznělo").fill(
            "Autobus do Kyjova jezdí ráno jen jednou; senioři z Bukovan a Bohuslavic se "
            "k lékaři nedostanou. Pan Aktivní by rád zorganizoval sousedské vození."
        )
        run.shot(page, "community-topic-add", page.locator("#temata"))
        click_and_wait(page, topic_form.get_by_role("button", name="Přidat téma na setkání"))
        expect_text(page, TOPIC_TITLE)
    with run.step("Účastníci se souhlasem"):
        details = add_participant(page, LEADER_NAME, "1957")
        run.shot(page, "community-participant-form", details)
        click_and_wait(page, details.get_by_role("button", name="Zapsat nového účastníka"))
        expect_text(page, LEADER_NAME)
        details = add_participant(page, "Alena Sousedská (demo)", "1949")
        click_and_wait(page, details.get_by_role("button", name="Zapsat nového účastníka"))
        expect_text(page, "Alena Sousedská")
    with run.step("Úkol ze setkání"):
        follow = page.locator("form", has=page.get_by_role("button", name="Uložit úkol"))
        follow.get_by_label("Co se má udělat").fill(
            "Zeptat se starosty Bukovan na obecní auto pro cesty k lékaři ve čtvrtek."
        )
        follow.get_by_label("Kdo (z vaší organizace)").select_option(index=1)
        follow.get_by_label("Do kdy").fill((today() + timedelta(days=14)).isoformat())
        click_and_wait(page, follow.get_by_role("button", name="Uložit úkol"))
        run.shot(page, "community-follow-up", page.locator("#ukoly"))
    with run.step("Prezenční listina k tisku"):
        click_and_wait(page, page.get_by_role("link", name="Prezenční listina k tisku"))
        run.shot(page, "community-sheet")
        print_shot(run, page, "community-sheet-print", page.locator(".sheet"))
    with run.step("Zapsat účast z podepsané listiny"):
        click_and_wait(page, page.get_by_role("link", name="Zapsat účast z podepsané listiny"))
        form = page.locator("form.sheet-record")
        for box in form.locator(".sheet-record__listed input[type=checkbox]").all():
            box.check()
        form.get_by_label("Nový účastník 1: jméno").fill("Marta Nová (demo)")
        form.get_by_label("Nový účastník 1: rok narození").fill("1952")
        form.get_by_label("Nový účastník 1: podpisem dal/a souhlas").check()
        form.get_by_label("Účastníci bez registrace (počet)").fill("3")
        run.shot(page, "community-sheet-record", page.locator("main"), max_height=1400)
        click_and_wait(page, form.get_by_role("button", name="Uložit účast"))
        run.goto(page, run.story.meeting_url)
        run.shot(page, "community-attendance", page.locator("#ucastnici table"))
    with run.step("Po setkání: stav, zápis a dohody"):
        click_and_wait(page, page.get_by_role("link", name="Upravit setkání, zápis a dohody"))
        form = page.locator("main form")
        form.get_by_label("proběhlo").check()
        form.get_by_label("Zápis").fill(
            "Přišlo 14 lidí ze čtyř obcí. Hlavní potíž: cesta k lékaři do Kyjova a zpět."
        )
        form.get_by_label("Na čem jsme se dohodli").fill(
            "Pan Aktivní sestaví seznam sousedů, kteří mohou ve čtvrtek vozit. MAS osloví starosty."
        )
        click_and_wait(page, form.get_by_role("button", name="Uložit změny"))
        expect_text(page, "proběhlo")
        run.shot(page, "community-meeting-held", page.locator("#zapis"))
    with run.step("Témata komunity"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Témata"))
        run.shot(page, "community-topics")
        click_and_wait(page, page.get_by_role("link", name=TOPIC_TITLE).first)
        change = page.locator("form", has=page.get_by_role("button", name="Uložit stav"))
        change.get_by_label("řeší se").check()
        change.get_by_label("Poznámka ke změně").fill("MAS jedná se starosty o obecním autě.")
        click_and_wait(page, change.get_by_role("button", name="Uložit stav"))
        run.shot(page, "community-topic")
    with run.step("Úkoly ze setkání"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Úkoly"))
        run.shot(page, "community-follow-ups")
        click_and_wait(page, page.get_by_role("button", name=re.compile("^Splněno")).first)
        run.shot(page, "community-follow-ups-done", page.locator("main"), max_height=700)
    with run.step("Komunitní lídr"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Komunitní lídři"))
        click_and_wait(
            page, page.locator("main").get_by_role("link", name="Přidat komunitního lídra")
        )
        form = page.locator("main form")
        person = form.get_by_label("Osoba")
        person.select_option(
            person.locator("option", has_text=LEADER_NAME).first.get_attribute("value")
        )
        form.get_by_label("Lídrem/lídryní od").fill((today() - timedelta(days=1)).isoformat())
        form.get_by_label("Jakou aktivitu garantuje (slovy)").fill(
            "organizuje sousedské vození seniorů k lékaři"
        )
        run.shot(page, "community-leader-form", page.locator("main"), max_height=1300)
        click_and_wait(page, form.get_by_role("button", name="Uložit lídra"))
        expect_text(page, LEADER_NAME)
        run.shot(page, "community-leader")
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Komunitní lídři"))
        run.shot(page, "community-leaders")
    with run.step("Lídři v čase (území s delší historií: Vltavotýnsko)"):
        run.login(page, "tyn-komunitni", "/komunita/lidri/")
        form = section(page, "over-time-heading").locator("form")
        form.get_by_label("Od", exact=False).first.fill("2023-01-01")
        form.get_by_label("Rozdělit po").select_option(label="čtvrtletích")
        click_and_wait(page, form.get_by_role("button", name="Zobrazit"))
        run.shot(page, "community-leaders-over-time", section(page, "over-time-heading"))
    with run.step("Prezenční listina akce"):
        run.login(page, COMMUNITY_WORKER, "/komunita/")
        sheets = page.locator("section", has=page.locator("#sheets-heading"))
        run.shot(page, "community-event-sheets", sheets)
    run.close_page(page)


# --- coordinator -------------------------------------------------------------------------------


@act("coordinator", "coordinator", needs=("provider-referrals",))
def coordinator(run: Run) -> None:
    page = run.new_page()
    with run.step("Můj účet: území, která koordinujete"):
        run.login(page, COORDINATOR)
        territories = page.locator("section", has=page.locator("#territories-heading"))
        run.shot(page, "coordinator-dashboard", territories)
    with run.step("Koordinace území: organizace a uživatelé"):
        click_and_wait(page, territories.get_by_role("link").first)
        run.shot(page, "coordinator-territory")
    with run.step("Přidat uživatele k organizaci"):
        add = page.locator("section", has=page.locator("#add-member-heading"))
        add.get_by_label("Organizace").select_option(label="Krok Kyjov, z.ú.")
        add.get_by_label("Uživatelské jméno").fill("krok-socialni")
        add.get_by_label("E-mail").fill("socialni@krok-kyjov.example.cz")
        add.get_by_label("Role").select_option(label="sociální pracovník")
        run.shot(page, "coordinator-add-member", add)
        click_and_wait(page, add.get_by_role("button", name="Přidat uživatele"))
        expect_text(page, "Uživatel přidán")
        run.shot(page, "coordinator-member-added")
    with run.step("Přidat organizaci"):
        click_and_wait(page, page.get_by_role("link", name="Zpět na koordinaci území"))
        add = page.locator("section", has=page.locator("#add-org-heading"))
        add.get_by_label("Název organizace").fill("Spolek Sousedé Kyjovska, z.s.")
        obec = add.get_by_label("Sídlo (obec)")
        kyjov = obec.locator("option", has_text=re.compile(r"^\s*Kyjov\b")).first
        obec.select_option(kyjov.get_attribute("value"))
        run.shot(page, "coordinator-add-organization", add)
        click_and_wait(page, add.get_by_role("button", name="Přidat organizaci"))
        expect_text(page, "Spolek Sousedé Kyjovska")
    with run.step("Texty portálu"):
        click_and_wait(page, page.get_by_role("link", name="Upravit texty portálu"))
        run.shot(page, "coordinator-texts", page.locator("main"), max_height=1300)
        click_and_wait(page, page.get_by_role("button", name="Uložit texty"))
    with run.step("Předání bez odpovědi (eskalace)"):
        run.goto(page, "/prace/")
        run.shot(page, "coordinator-escalation", page.locator("main"), max_height=500)
    with run.step("Audit: hledání"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Audit"))
        form = page.locator("main form")
        form.get_by_label("Uživatel").fill(SOCIAL_WORKER)
        form.get_by_label("Druh záznamu").select_option(label="osoba")
        click_and_wait(page, form.get_by_role("button", name="Filtrovat"))
        run.shot(page, "coordinator-audit")
    with run.step("Audit: export CSV"):
        with page.expect_download() as info:
            page.get_by_role("link", name="Stáhnout jako CSV").click()
        content = Path(info.value.path()).read_text(encoding="utf-8-sig")
        if SOCIAL_WORKER not in content:
            raise StepFailed("the audit export does not contain the filtered user's entries")
    run.close_page(page)


# --- coordinator: project monitoring ----------------------------------------------------------


def section(page, heading_id: str):
    return page.locator("section", has=page.locator(f"#{heading_id}"))


@act("coordinator-monitoring", "coordinator")
def coordinator_monitoring(run: Run) -> None:
    page = run.new_page()
    with run.step("Monitoring projektů"):
        run.login(page, COORDINATOR)
        link = page.locator("main a[href='/monitoring/']")
        if link.count():
            click_and_wait(page, link.first)
        else:  # no link to it from the account page (yet)
            run.goto(page, "/monitoring/")
        run.shot(page, "monitoring-projects")
    with run.step("Přehled projektu: plnění indikátorů"):
        click_and_wait(page, page.locator("main table a").first)
        run.story.project_url = page.url
        run.shot(page, "monitoring-project")
        run.shot(page, "monitoring-indicators", section(page, "progress-heading"), max_height=1300)
        run.shot(
            page, "monitoring-periods-chart", section(page, "periods-heading"), max_height=1100
        )
    with run.step("Monitorovací období: znovu otevřít s důvodem"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Období a zprávy"))
        run.shot(page, "monitoring-periods")
        box = page.locator("section.box").last
        box.get_by_label("Důvod znovuotevření").fill(
            "Schválení ručně zadané hodnoty setkání partnerů, která zůstala neschválená."
        )
        run.shot(page, "monitoring-period-reopen", box)
        click_and_wait(page, box.get_by_role("button", name=re.compile("^Znovu otevřít")))
        expect_text(page, "otevřené")
    with run.step("Ručně zadaná hodnota: schválit"):
        run.goto(page, run.story.project_url)
        pending = page.locator("main table tr").filter(has_text="čeká na schválení").first
        if not pending.count():
            raise StepFailed("no indicator with a value waiting for approval in the demo")
        click_and_wait(page, pending.locator("a").first)
        values = section(page, "values-heading")
        run.shot(
            page,
            "monitoring-value-pending",
            values,
            max_height=1300,
            mark=[values.get_by_role("button", name=re.compile("^Schválit")).first],
        )
        click_and_wait(page, values.get_by_role("button", name=re.compile("^Schválit")).first)
        expect_text(page, "Hodnota je schválená")
    with run.step("Uzamknout období jako vykázané"):
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Období a zprávy"))
        box = page.locator("section.box").filter(has_text="otevřené").first
        click_and_wait(page, box.get_by_role("button", name=re.compile("^Uzamknout jako vykázané")))
        run.shot(page, "monitoring-period-locked", page.locator("section.box").last)
    with run.step("Příloha zprávy o realizaci"):
        box = page.locator("section.box").last
        with page.expect_download() as info:
            box.get_by_role("link", name=re.compile("^Příloha ZoR \\(XLSX\\)")).click()
        if not Path(info.value.path()).read_bytes().startswith(b"PK"):
            raise StepFailed("the XLSX report is not an XLSX file")
        click_and_wait(
            page, box.get_by_role("link", name=re.compile("^Příloha zprávy o realizaci"))
        )
        run.shot(page, "monitoring-report")
        print_shot(run, page, "monitoring-report-print", page.locator("main"), max_height=1000)
    with run.step("Plánování v území: nenaplněná poptávka"):
        run.goto(page, run.story.project_url)
        click_and_wait(page, page.locator("nav").get_by_role("link", name="Plánování v území"))
        run.shot(page, "monitoring-planning")
    run.close_page(page)


# --- main ----------------------------------------------------------------------------------


def selected_acts(only: list[str]) -> list[Act]:
    """The acts of the chosen guides and, before them, the acts those need (in story order)."""
    if not only:
        return list(ACTS)
    unknown = sorted(set(only) - set(GUIDES))
    if unknown:
        raise SystemExit(
            f"screenshots: unknown guide {', '.join(unknown)}; choose from {', '.join(GUIDES)}"
        )
    by_name = {a.name: a for a in ACTS}
    wanted: set[str] = set()

    def need(name: str) -> None:
        if name not in wanted:
            wanted.add(name)
            for other in by_name[name].needs:
                need(other)

    for a in ACTS:
        if a.guide in only:
            need(a.name)
    return [a for a in ACTS if a.name in wanted]


def referenced_images() -> set[str]:
    names: set[str] = set()
    for guide in GUIDES.values():
        path = ROOT / "docs" / guide
        if path.exists():
            names |= set(re.findall(r"\]\(img/([^)\s]+\.png)\)", path.read_text(encoding="utf-8")))
    return names


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated guides (" + ", ".join(GUIDES) + "); default: all",
    )
    parser.add_argument(
        "--act",
        default="",
        help="run only these acts (comma-separated, no prerequisites); for writing the script",
    )
    parser.add_argument(
        "--server",
        default="",
        help="use this already running demo (e.g. http://127.0.0.1:8000) instead of a fresh "
        "one; for writing the script, not for the committed images",
    )
    args = parser.parse_args()
    only = [name.strip() for name in args.only.split(",") if name.strip()]
    acts = selected_acts(only)
    if args.act:
        names = {name.strip() for name in args.act.split(",")}
        acts = [a for a in ACTS if a.name in names]
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"screenshots: {CHROMIUM} is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit(
            "screenshots: the playwright package is missing (make dev-venv installs it)"
        ) from None
    if not Path(CZECH_PAK).exists():
        say(
            f"warning: {CZECH_PAK} is missing: date and time fields will show in US format "
            "(apt-get install chromium-l10n)"
        )
    IMG.mkdir(parents=True, exist_ok=True)
    FAILURE_PNG.unlink(missing_ok=True)
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        base = args.server.rstrip("/") if args.server else stack.enter_context(demo_server())
        playwright = stack.enter_context(sync_playwright())
        # Chromium takes the language of its own controls (date and time fields, file
        # pickers) from LANG, not from the page's locale.
        browser_env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANGUAGE")}
        browser_env["LANG"] = "cs_CZ.UTF-8"
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=browser_env
        )
        stack.callback(browser.close)
        run = Run(base=base, browser=browser)
        try:
            for item in acts:
                run.guide = item.guide
                say(f"[{item.guide}] {item.name}")
                act_started = time.monotonic()
                item.play(run)
                say(f"  ({time.monotonic() - act_started:.0f} s)")
        except StepFailed as exc:
            say("")
            say(f"SCREENSHOTS FAILED: {exc}")
            if FAILURE_PNG.exists():
                say(f"The page at that moment: {FAILURE_PNG.relative_to(ROOT)}")
            if not args.server:
                say(f"Server log: {SERVER_LOG.relative_to(ROOT)}")
            return 1
    elapsed = time.monotonic() - started
    for warning in run.warnings:
        say(f"warning: {warning}")
    if not only and not args.act:
        unused = sorted(p.name for p in IMG.glob("*.png") if p.name not in run.taken)
        if unused:
            say("warning: not produced by this run (delete them?): " + ", ".join(unused))
        referenced = referenced_images()
        missing = sorted(referenced - set(run.taken))
        if missing:
            say("warning: referenced by a guide but not produced: " + ", ".join(missing))
        unreferenced = sorted(set(run.taken) - referenced)
        if unreferenced:
            say("warning: produced but used by no guide: " + ", ".join(unreferenced))
    size = sum((IMG / name).stat().st_size for name in set(run.taken))
    say(
        f"OK: {len(set(run.taken))} screenshots in docs/img/ ({size / 1_000_000:.1f} MB) "
        f"for {len({a.guide for a in acts})} guides in {elapsed:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
