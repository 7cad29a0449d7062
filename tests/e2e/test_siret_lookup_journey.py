"""In Chromium: a facilitator creates a company by its SIRET alone (the Sirene register, a local
stand-in, fills the form), and sees a closed holder flagged on her dashboard."""

import os

import pytest
from django.core.management import call_command

from partners.demo import DEMO_PASSWORD
from partners.models import Organisation
from tests.partners.test_register_lookup import SIRET, answer, result

from .conftest import SCREENSHOTS
from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_company_created_by_its_siret_alone(page, live_server, settings, httpserver):
    settings.CLAUSIER = {**settings.CLAUSIER, "SIRENE_API_URL": httpserver.url_for("")}
    httpserver.expect_request("/search").respond_with_json(answer(result()))
    call_command("seed_demo")
    base = live_server.url
    os.makedirs(SCREENSHOTS, exist_ok=True)

    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    assert "Titulaires fermés" in page.locator("main").inner_text()
    page.goto(f"{base}/partenaires/nouveau/company/")
    page.get_by_label("SIRET").fill(SIRET)
    page.get_by_text("Au répertoire Sirene : BRESSE ENERGIES BATIMENT").wait_for()
    assert page.get_by_label("Nom").input_value() == "BRESSE ENERGIES BATIMENT"
    assert page.get_by_label("Adresse").input_value() == "12 RUE DES ARTISANS"
    assert page.get_by_label("Code NAF").input_value() == "4322A"
    page.screenshot(path=os.path.join(SCREENSHOTS, "annuaire-siret.png"), full_page=True)
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="BRESSE ENERGIES BATIMENT").wait_for()
    company = Organisation.objects.get(siret=SIRET)
    assert company.commune.insee_code == "01053" and company.is_ess and company.register_status == "active"
    assert "ESS" in page.locator("main").inner_text()
