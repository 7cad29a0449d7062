"""In Chromium: a facilitator uploads a DECP file, follows the import until it ends, reads its
rejected row, reviews a published contract and creates its lot; a department reader reads the
reconciliation of the buyer."""

import os

import pytest
from django.core.management import call_command

from clauses.models import Lot
from partners.demo import DEMO_PASSWORD
from procurement.models import DecpImport, PublishedContract
from tests.procurement.decp_files import table_csv, table_row

from .conftest import SCREENSHOTS
from .test_login_journey import log_in
from .test_placements_journey import log_out
from .test_reporting_journey import report_worker

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_upload_follow_review_create_and_reconcile(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)
    upload = tmp_path / "decp-ain.csv"
    upload.write_bytes(
        table_csv(
            [
                table_row(id="E2E-001", objet="Réfection de la cour du collège de Belley", montant="180000"),
                table_row(id="E2E-002", montant=""),
            ]
        )
    )

    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("link", name="DECP").first.click()
    page.get_by_role("link", name="Imports").click()
    page.get_by_label("Fichier DECP").set_input_files(str(upload))
    page.get_by_role("button", name="Importer le fichier").click()
    page.get_by_role("heading", name="Avancement").wait_for()
    # With a broker (CI) the worker starts only once the page shows the waiting import: the page
    # polls its progress, then reloads whole when the import ends (its rejected rows included).
    with report_worker():
        page.locator("#import-status .badge", has_text="Terminé").wait_for(timeout=60_000)
    decp_import = DecpImport.objects.latest("created_at")
    assert (decp_import.status, decp_import.created_count, decp_import.rejected_count) == ("done", 1, 1)
    main = page.locator("main").inner_text()
    assert "Montant absent." in main
    page.screenshot(path=os.path.join(SCREENSHOTS, "decp-import-termine.png"), full_page=True)

    page.get_by_role("link", name="Examiner les marchés").click()
    page.get_by_role("link", name="Réfection de la cour du collège de Belley").click()
    page.get_by_role("link", name="Créer dans Clausier").first.click()
    page.get_by_role("button", name="Créer l'opération, le marché et le lot").click()
    page.wait_for_load_state()
    published = PublishedContract.objects.get(decp_id="E2E-001")
    assert published.review_status == PublishedContract.ReviewStatus.ACCEPTED
    lot = Lot.objects.get(pk=published.lot_id)
    assert lot.amount_excl_tax == 180000
    log_out(page)

    log_in(page, base, "lecteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/marches-publics/rapprochement/acheteur/{published.buyer_siret}/")
    page.get_by_role("heading", name="Rapprochement : Département de l'Ain").wait_for()
    text = page.locator("main").inner_text()
    assert "Part des marchés avec une considération sociale" in text
    assert "Réfection de la cour du collège de Belley" not in text.split("À corriger")[0].split("À suivre")[1]
    assert "Importer le fichier" not in page.content()
