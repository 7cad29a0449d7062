"""In Chromium: the department reader opens the AVE yearly return from the Département's
dashboard, reads it (screenshot docs/screenshots/conformite-ave.png with SCREENSHOT_DIR) and
downloads its workbook: the same hours as the page, no person's name."""

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from partners.demo import DEMO_PASSWORD
from placements.models import Participant

from .conftest import SCREENSHOTS
from .test_accessibility import audit
from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_department_reader_reads_and_downloads_the_ave_return(page, live_server):
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)
    names = set(Participant.objects.values_list("last_name", flat=True))

    log_in(page, base, "lecteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Bilan AVE", exact=True).click()  # a tab of the dashboard
    heading = page.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text().startswith("Bilan AVE ")
    text = page.locator("main").inner_text()
    assert "Heures réalisées (validées)" in text and "Non couvert par Clausier" in text
    assert not [name for name in names if name in text]
    page.screenshot(path=os.path.join(SCREENSHOTS, "conformite-ave.png"), full_page=True)

    row = page.locator("#ave-heures ~ div table tr", has_text="Heures réalisées (validées)")
    total_on_page = row.locator("td").last.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le bilan (XLSX)").click()
    assert download.value.suggested_filename.startswith("clausier-bilan-ave-")
    book = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert book.sheetnames[-1] == "Non couvert"
    sheet = book["Heures d'insertion"]
    line = next(row for row in sheet.iter_rows(values_only=True) if row[0] == "Heures réalisées (validées)")
    assert total_on_page.replace("\u202f", "").replace("\u00a0", " ").startswith(f"{int(line[-1]):,}".replace(",", " "))
    texts = [cell for ws in book for r in ws.iter_rows(values_only=True) for cell in r if isinstance(cell, str)]
    assert not [text for text in texts if any(name in text for name in names)]


@pytest.fixture
def a11y_page(browser):
    """A page where axe-core may be injected (as in test_accessibility: the context bypasses the CSP)."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def test_the_ave_return_has_no_serious_accessibility_problem(a11y_page, live_server):
    """axe-core (WCAG 2.1 AA) on the page, as in test_accessibility; the wide table scrolls inside
    its own box, never the page."""
    call_command("seed_demo")
    log_in(a11y_page, live_server.url, "lecteur@clausier.demo", DEMO_PASSWORD)
    a11y_page.wait_for_url(f"{live_server.url}/")
    assert audit(a11y_page, live_server.url, [reverse("compliance:ave_return")]) == []
