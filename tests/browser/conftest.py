"""Browser tests drive Debian's Chromium through Playwright against a live server.

In CI (CI=true) a missing browser is a failure, not a skip."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("JAMSOSDESA_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after themselves: load what the pages need."""
    from django.db import connection

    from jamsosdesa.contributions.defaults import load as rules_load
    from jamsosdesa.contributions.models import Rate
    from jamsosdesa.core.append_only import DROP, INSTALL
    from jamsosdesa.participants.loader import occupations_load
    from jamsosdesa.regions.loader import regions_load
    from jamsosdesa.regions.models import Region

    # Sukoharjo (desa A, B, D) and Gianyar (desa C: the coverage dashboard's second kabupaten)
    if Region.objects.filter(code__in=("33.11.11.2004", "51.04.01.2001")).count() < 2:
        regions_load(prefixes=("33.11", "51.04"))
    occupations_load()
    if not Rate.objects.exists():  # the rules the data migration wrote are flushed with everything else
        rules_load()
    with connection.cursor() as cursor:
        for sql in INSTALL.get(connection.vendor, []) if connection.vendor == "sqlite" else []:
            cursor.execute(sql)
    yield
    # The test database is flushed after a transactional test; on SQLite that is a DELETE, which the
    # audit trail refuses. Lift the guard for the flush only (PostgreSQL flushes with TRUNCATE).
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in DROP["sqlite"]:
                cursor.execute(sql)


@pytest.fixture
def page(browser, live_server, reference_data):
    context = browser.new_context(viewport={"width": 360, "height": 760}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    refused = []  # what the Content-Security-Policy blocked: every page must work within it
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    yield page
    context.close()
    assert refused == [], refused


def log_in(page, username: str, password: str = "rahasia-123") -> None:
    """Log in through the login page as a user made with tests.conftest.make_user; lands on the registry."""
    page.goto(page.base_url + "/masuk/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url("**/peserta/")


def nav_to(page, label: str) -> None:
    """Follow a link of the top navigation as a user does: on a phone the links are behind the Menu button."""
    toggle = page.locator("[data-menu-toggle]")
    if toggle.is_visible():
        toggle.click()
    page.click(f"#menu-links >> text={label}")
    page.wait_for_load_state()  # the next page's scripts run before the test acts on it
