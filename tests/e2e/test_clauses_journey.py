"""In Chromium: a facilitator creates an operation, a contract and lots with clauses; the hours
calculator shows the computation as they type."""

import os

import pytest
from django.core.management import call_command

from clauses.models import Lot
from partners.demo import DEMO_PASSWORD

from .conftest import SCREENSHOTS
from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_facilitator_creates_an_operation_with_lots_and_clauses(page, live_server):
    call_command("seed_demo")
    base = live_server.url
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")

    page.goto(f"{base}/operations/nouvelle/")
    page.get_by_label("Donneur d'ordre").select_option(label="Département de l'Ain")
    page.get_by_label("Intitulé").fill("Rénovation du gymnase du collège de Pont-de-Veyle")
    page.get_by_label("Commune").select_option(label="Pont-de-Veyle (01306)")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter un marché").click()

    page.get_by_label("Référence").fill("CD01-2026-200")
    page.get_by_label("Objet").fill("Travaux de rénovation")
    page.get_by_label("Début d'exécution").fill("2026-02-01")
    page.get_by_label("Fin d'exécution").fill("2027-01-31")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Ajouter un lot").click()

    page.get_by_label("Numéro").fill("1")
    page.get_by_label("Intitulé").fill("Gros œuvre")
    page.get_by_label("Corps d'état").select_option(label="Gros œuvre, maçonnerie (50 %)")
    page.get_by_label("Montant HT (€)").fill("1000000")
    page.get_by_label("Fondement juridique").select_option(label="Condition d'exécution (L2112-2)")
    page.get_by_label("Taux d'insertion (%)").fill("5")
    page.get_by_label("Coût horaire (€/h)").fill("30")
    result = page.locator("#hours-result")
    result.get_by_text("833 heures d'insertion").wait_for()
    assert "1\u202f000\u202f000 € × 50 % × 5 % ÷ 30 €/h = 833 h" in result.inner_text()
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, "lot-calcul-des-heures.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le lot et sa clause").click()
    page.get_by_text("Le lot 1 est enregistré : 833 h calculées.").wait_for()

    # A second lot, cleaning sector with the staff-transfer weighting; a bad amount first.
    page.get_by_role("link", name="Marché CD01-2026-200").click()
    page.get_by_role("link", name="Ajouter un lot").click()
    page.get_by_label("Numéro").fill("2")
    page.get_by_label("Intitulé").fill("Nettoyage de fin de chantier")
    page.get_by_label("Corps d'état").select_option(label="Nettoyage des locaux (80 %)")
    page.get_by_label("Montant HT (€)").fill("-600000")
    page.get_by_label("Fondement juridique").select_option(label="Condition d'exécution (L2112-2)")
    page.get_by_label("Propreté : coefficient et reprise du personnel").check()
    page.get_by_label("Taux d'insertion (%)").fill("10")
    page.get_by_text("Autres modes de calcul").click()
    page.get_by_label("Heures mensuelles du personnel repris (S)").fill("300")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le lot et sa clause").click()
    assert "Le montant ne peut pas être négatif." in page.get_by_role("alert").inner_text()
    page.get_by_label("Montant HT (€)").fill("600000")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le lot et sa clause").click()
    page.get_by_text("Le lot 2 est enregistré").wait_for()

    lots = {lot.number: lot for lot in Lot.objects.filter(contract__reference="CD01-2026-200")}
    assert lots["1"].clause.computed_hours == 833
    # 12 months, S = 300 h: P = 1 − 300 × 25 × 12 ÷ 600,000 = 0.85; 0.85 × 24,000 × 10 % = 2,040 h
    assert lots["2"].clause.computed_hours == 2040
    page.screenshot(path=os.path.join(SCREENSHOTS, "lot-detail.png"), full_page=True)
