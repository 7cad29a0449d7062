import os

import pytest

from tests.services import chromium_path

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# `make screenshots` points this at docs/screenshots (shown in the README); otherwise a temporary folder.
SCREENSHOTS = os.environ.get("SCREENSHOT_DIR") or os.path.join(os.environ.get("TMPDIR", "/tmp"), "clausier-screenshots")


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests empty the tables when they end: put the reference data back."""
    from tests.reference import restore_reference_data

    restore_reference_data()


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


FAILURES = os.path.join(os.environ.get("TMPDIR", "/tmp"), "clausier-e2e-failures")


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        # What the browser showed when the test failed: a screenshot and the HTML, to read after a CI run.
        os.makedirs(FAILURES, exist_ok=True)
        base = os.path.join(FAILURES, request.node.name)
        page.screenshot(path=f"{base}.png", full_page=True)
        with open(f"{base}.html", "w", encoding="utf-8") as handle:
            handle.write(f"<!-- {page.url} -->\n{page.content()}")
        print(f"Page at failure: {page.url} (saved in {base}.png and .html)")
    context.close()
