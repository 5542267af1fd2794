"""
Browser tests: Playwright driving the system's Chromium against pytest-django's live server.

Without Chromium the tests skip with a hint on how to install it, so `make test` passes on
a laptop; with IJTECH_REQUIRE_BROWSER=1 (as .ci/run sets) a missing browser fails them.
"""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = Path(os.environ.get("IJTECH_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = "install it with: sudo apt-get install -y chromium"


def _unavailable(reason: str):
    message = f"Browser tests need Chromium at {CHROMIUM}: {reason}; {INSTALL_HINT}"
    if os.environ.get("IJTECH_REQUIRE_BROWSER") == "1":
        pytest.fail(message + " (IJTECH_REQUIRE_BROWSER=1, so this is a failure)")
    pytest.skip(message)


@pytest.fixture(scope="package")
def browser():
    """
    One headless Chromium for the whole set of browser tests.

    Package scope: the browser closes when the last browser test is done. While it runs,
    Playwright's sync API keeps an asyncio loop running in the test thread, and Django
    refuses database access from a thread with a running loop; the tests are synchronous,
    so that check is switched off until the browser closes, and back on for the rest of
    the suite.
    """
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        _unavailable("it is not installed")
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
    finally:
        playwright.stop()
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_context(browser, live_server):
    """Make fresh browser contexts (no cookies, no storage) based at the live server."""
    contexts = []

    def make(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    """A page in a new context, one per test."""
    return new_context().new_page()


@pytest.fixture
def corpus(transactional_db):
    """The real corpus from fixtures/, loaded into the live server's database."""
    call_command("load_corpus", stdout=io.StringIO())
