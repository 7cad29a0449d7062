"""In Chromium, on the demo: the Département reader opens the PNAD and SPASER returns from the
navigation, builds the year's PDF (a real worker with a broker) and downloads it; its figures are
the page's. The buyer of the demo sees its own share only."""

import os
import subprocess

import pytest
from django.core.management import call_command

from common.templatetags.figures import percent
from compliance import pnad_report
from partners.demo import DEMO_PASSWORD
from partners.models import Organisation

from .conftest import SCREENSHOTS
from .test_login_journey import log_in
from .test_placements_journey import log_out
from .test_reporting_journey import report_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def flat(text):
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_reader_builds_the_pnad_report_and_the_buyer_sees_its_share(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)

    log_in(page, base, "lecteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="PNAD et SPASER").click()
    page.get_by_role("heading", name="Achats socialement responsables : PNAD et SPASER").wait_for()
    expected = pnad_report.build()
    current = expected.current
    assert current is not None
    main = flat(page.locator("main").inner_text())
    assert flat(percent(current.count_share)) in main
    assert page.locator("main svg").count() >= 1
    page.screenshot(path=os.path.join(SCREENSHOTS, "conformite-pnad.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le tableur (XLSX)").click()
    assert download.value.suggested_filename == "pnad-spaser-territoire.xlsx"

    with report_worker():
        with page.expect_navigation():
            page.get_by_role("button", name=f"Construire le bilan PDF {expected.year}").click()
        link = page.get_by_role("link", name="Télécharger le bilan (PDF)")
        link.wait_for(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    pdf = tmp_path / "pnad.pdf"
    download.value.save_as(pdf)
    text = flat(
        subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    )
    for row in expected.until_year().years:  # the yearly PDF stops at its year
        assert flat(percent(row.count_share)) in text, row.year
    assert flat(percent(current.amount_share)) in text
    prefix = os.path.join(SCREENSHOTS, "conformite-pnad-bilan-page")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), prefix], check=True)
    log_out(page)

    log_in(page, base, "acheteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/**")
    page.get_by_role("link", name="Achats responsables").click()
    page.get_by_role("heading", name="Achats socialement responsables : PNAD et SPASER").wait_for()
    buyer = Organisation.objects.get(name="Dynacité, office public de l'habitat de l'Ain")
    own = pnad_report.build(buyer_siret=buyer.siret)
    main = flat(page.locator("main").inner_text())
    assert buyer.name in main and "Tous les acheteurs" not in main
    if own.current:
        assert flat(percent(own.current.count_share)) in main
    assert page.get_by_role("button", name="Construire le bilan PDF").count() == 0
