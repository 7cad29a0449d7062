"""In Chromium, logged out: the open data page shows and its CSV downloads."""

import os

import pytest
from django.core.management import call_command

from common.dates import today

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_visitor_opens_the_open_data_page_and_downloads_the_csv(page, live_server, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    page.goto(f"{live_server.url}/compte/login/")
    page.get_by_role("link", name="Données ouvertes").click()
    page.wait_for_url(f"{live_server.url}/donnees-ouvertes/")
    assert page.get_by_role("heading", name="Données ouvertes des clauses sociales").is_visible()
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "donnees-ouvertes.png"), full_page=True)
    name = f"clauses-sociales-ain-{today().year - 1}.csv"
    with page.expect_download() as download:
        page.get_by_role("link", name=name).click()
    path = download.value.path()
    with open(path, encoding="utf-8") as handle:
        header = handle.readline()
    assert header.startswith("annee,identifiant_lot,acheteur_siret")
