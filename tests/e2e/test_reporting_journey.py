"""In Chromium: the facilitator's dashboard, the Département's dashboard, an impact report asked
for on its page, followed while a worker builds it, then downloaded; an export. No person's name
reaches the department reader."""

import contextlib
import os
import subprocess

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from common.numbers import french_number
from partners.demo import DEMO_PASSWORD
from partners.models import Organisation, User
from placements.models import Participant
from reporting import indicators
from reporting.permissions import visible_lots
from reporting.rules import Period
from reporting.scope import Scope
from tests.services import real_worker

from .conftest import SCREENSHOTS
from .test_login_journey import log_in
from .test_placements_journey import log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@contextlib.contextmanager
def report_worker():
    """With a broker (CI), a real worker through Redis builds the report; without one, tasks run eagerly."""
    if not django_settings.CELERY_BROKER_URL:
        yield
        return
    with real_worker():
        yield


def test_dashboards_report_and_export(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)
    names = set(Participant.objects.values_list("last_name", flat=True))
    assert names

    # The facilitator lands on the dashboard of her territory.
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("heading", name="Tableau de bord du facilitateur").wait_for()
    assert "Heures à valider" in page.locator("main").inner_text()
    assert page.locator("main svg.chart").count() == 3
    page.screenshot(path=os.path.join(SCREENSHOTS, "tableau-de-bord-facilitateur.png"), full_page=True)
    log_out(page)

    # The department reader lands on the Département's dashboard, then narrows it to a sector.
    log_in(page, base, "lecteur@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.get_by_role("heading", name="Tableau de bord du Département").wait_for()
    page.screenshot(path=os.path.join(SCREENSHOTS, "tableau-de-bord-departement.png"), full_page=True)
    page.get_by_label("Territoire ou donneur d'ordre").select_option(label="Bresse")
    with page.expect_navigation():
        page.get_by_role("button", name="Afficher").click()
    text = page.locator("main").inner_text()
    assert "Secteur départemental : Bresse" in text
    assert not [name for name in names if name in text]
    # A participant's page does not exist for a department reader.
    participant = Participant.objects.first()
    assert page.goto(f"{base}/participants/{participant.pk}/").status == 404
    assert participant.last_name not in page.content()
    page.goto(f"{base}/")

    log_out(page)

    # The facilitator asks for the impact report of her body, follows it while the worker builds it,
    # downloads it; its text holds the figures of her territory.
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    facilitator = User.objects.get(email="facilitatrice@clausier.demo")
    body = Organisation.objects.department().get()
    with report_worker():
        page.get_by_role("link", name="Bilans", exact=True).click()
        page.get_by_label("Périmètre").select_option(label="Structure d'animation")
        page.get_by_label("Structure d'animation").select_option(label=body.name)
        with page.expect_navigation():
            page.get_by_role("button", name="Demander le bilan").click()
        download_link = page.get_by_role("link", name="Télécharger le bilan (PDF)")
        download_link.wait_for(timeout=60_000)
    page.screenshot(path=os.path.join(SCREENSHOTS, "bilan-impact.png"), full_page=True)
    with page.expect_download() as download:
        download_link.click()
    pdf = tmp_path / "bilan.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True).stdout
    assert "Bilan d'impact" in text
    figures = indicators.compute(
        Period.year(timezone.localdate().year),
        Scope.load("facilitation_body", body.pk),
        lots=visible_lots(facilitator),
    )
    flat = text.replace("\u00a0", " ").replace("\u202f", " ")
    for figure in (figures.hours.validated, figures.hours.required, figures.profile.total):
        assert french_number(figure).replace("\u00a0", " ") in flat, figure
    assert not [name for name in names if name in text]
    # The cover and the key figures, as pictures for the README.
    prefix = os.path.join(SCREENSHOTS, "bilan-impact-page")
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "2", str(pdf), prefix], check=True)

    # The national network's table, as a spreadsheet.
    page.goto(f"{base}/bilans/")
    page.get_by_role("link", name="Exports des chiffres en CSV et XLSX").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX — Indicateurs du réseau national").click()
    assert download.value.suggested_filename.startswith("clausier-indicateurs-")
