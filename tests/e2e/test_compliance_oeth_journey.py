"""In Chromium: the administrator records the year's OETH inputs and a purchase with its attestation;
the Département reader opens the OETH table and downloads it as XLSX."""

import io
import os
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import call_command

from common.dates import today
from compliance.models import OethPurchase, OethYear
from partners.demo import DEMO_PASSWORD

from .conftest import SCREENSHOTS
from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def test_the_administrator_records_a_purchase_and_the_reader_downloads_the_table(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    base, year = live_server.url, today().year
    log_in(page, base, "admin@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="Pilotage", exact=True).click()  # the OETH table is a tab of the dashboard
    page.get_by_role("link", name="OETH", exact=True).click()
    page.get_by_role("link", name=str(year), exact=True).click()
    page.get_by_role("link", name="Saisir la contribution et le taux").click()
    page.get_by_label("Contribution avant déduction (€)").fill("30000")
    page.get_by_label("Taux d'emploi direct de travailleurs handicapés (%)").fill("2,5")
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{base}/conformite/oeth/{year}/")
    assert page.get_by_text(f"La contribution et le taux de {year} sont enregistrés.").is_visible()

    page.get_by_role("link", name="Ajouter un achat").click()
    page.locator("#id_supplier").select_option(label="Atelier Bugey Adapté (EA) — EA")
    page.get_by_label("Référence du marché ou de la commande").fill("BC-E2E-001 reprographie")
    page.get_by_label("Montant facturé dans l'année (€ HT)").fill("12 500,00")
    page.get_by_label("Part de main-d'œuvre (%) selon l'attestation").fill("60")
    page.get_by_label("Attestation du fournisseur").set_input_files(
        {"name": "attestation-atelier-bugey.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Enregistrer").click()
    page.wait_for_url(f"{base}/conformite/oeth/{year}/")
    assert page.get_by_role("link", name="attestation-atelier-bugey.pdf").is_visible()
    purchase = OethPurchase.objects.get(contract_reference="BC-E2E-001 reprographie")
    assert (purchase.amount_invoiced, purchase.labour_share) == (Decimal("12500.00"), Decimal("60"))
    assert OethYear.objects.get(year=year).employment_rate == Decimal("2.5")

    page.context.clear_cookies()
    log_in(page, base, "lecteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="OETH", exact=True).click()
    page.get_by_role("link", name=str(year), exact=True).click()
    page.wait_for_url(f"{base}/conformite/oeth/{year}/")
    assert page.get_by_role("heading", name=f"Déduction OETH {year}").is_visible()
    assert page.get_by_text("BC-E2E-001 reprographie").is_visible()
    assert page.get_by_role("link", name="Ajouter un achat").count() == 0
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "conformite-oeth.png"), full_page=True)
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tableau OETH {year} (XLSX)").click()
    assert download.value.suggested_filename == f"clausier-oeth-{year}.xlsx"
    with open(download.value.path(), "rb") as handle:
        sheet = openpyxl.load_workbook(io.BytesIO(handle.read())).active
    labels = [row[0] for row in sheet.iter_rows(values_only=True)]
    assert "Atelier Bugey Adapté (EA)" in labels and "Déduction retenue (€)" in labels
