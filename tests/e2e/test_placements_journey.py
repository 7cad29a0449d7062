"""In Chromium: a facilitator takes a person from eligibility to an offer, the employer answers in
the portal, the facilitator creates the placement, records a follow-up and the outcome at exit."""

import os
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from partners.demo import DEMO_PASSWORD
from placements.models import Candidacy, JobOffer, Outcome, Participant, Placement

from .conftest import SCREENSHOTS
from .test_login_journey import log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_out(page):
    page.get_by_test_id("current-user").click()
    page.get_by_role("button", name="Se déconnecter").click()
    page.wait_for_url("**/compte/login/")


def test_from_eligibility_to_outcome(page, live_server):
    call_command("seed_demo")
    base = live_server.url
    today = timezone.localdate()
    os.makedirs(SCREENSHOTS, exist_ok=True)

    # The facilitator records a person and her eligibility.
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/participants/nouveau/")
    page.locator("#id_first_name").fill("Aïcha")
    page.locator("#id_last_name").fill("Benali")
    page.locator("#id_birth_date").fill("1990-05-04")
    page.locator("#id_sex_0").check()
    page.locator("#id_commune").select_option(label="Bourg-en-Bresse (01053)")
    page.locator("#id_education_level").select_option("cap_bep")
    page.locator("#id_rsa_at_entry").check()
    page.locator("#id_data_information_date").fill(today.isoformat())
    page.locator("#id_criteria-0-criterion").select_option("RSA")
    page.locator("#id_criteria-0-assessed_on").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    assert "Indiquez le justificatif vu ou le prescripteur" in page.get_by_role("alert").first.inner_text()
    page.locator("#id_criteria-0-proof").fill("Attestation CAF d'octobre")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("heading", name="Aïcha BENALI").wait_for()
    participant = Participant.objects.get(last_name="Benali")

    # She is proposed to the open offer of Bâtir Bresse and the candidacy sent to the employer.
    offer = JobOffer.objects.get(position="Coffreur ou coffreuse bancheur")
    page.goto(f"{base}/offres/{offer.pk}/")
    page.get_by_role("link", name="Proposer des personnes", exact=True).click()
    page.get_by_label("BENALI Aïcha").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Proposer les personnes cochées").click()
    candidacy = Candidacy.objects.get(participant=participant)
    page.goto(f"{base}/candidatures/{candidacy.pk}/")
    page.get_by_label("Transmettre la candidature à l'employeur").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer").click()
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.SENT
    log_out(page)

    # The employer answers in the portal, and sees no eligibility data.
    log_in(page, base, "employeur@clausier.demo", DEMO_PASSWORD)
    page.goto(f"{base}/portail/candidatures/")
    body = page.locator("main").inner_text()
    assert "Aïcha Benali" in body and "RSA" not in body
    page.screenshot(path=os.path.join(SCREENSHOTS, "portail-candidatures.png"), full_page=True)
    page.goto(f"{base}/portail/candidatures/{candidacy.pk}/")
    page.get_by_label("Je reçois la personne en entretien").check()
    page.get_by_label("Date de l'entretien").fill((today + timedelta(days=2)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma réponse").click()
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.INTERVIEW
    page.goto(f"{base}/portail/candidatures/{candidacy.pk}/")
    page.get_by_label("J'embauche la personne").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Envoyer ma réponse").click()
    candidacy.refresh_from_db()
    assert candidacy.status == Candidacy.Status.HIRED
    log_out(page)

    # The facilitator creates the placement from the hired candidacy; dates outside the lot are refused.
    log_in(page, base, "facilitatrice@clausier.demo", DEMO_PASSWORD)
    page.goto(f"{base}/mises-a-l-emploi/nouvelle/?candidacy={candidacy.pk}")
    lot = candidacy.offer.lot
    page.get_by_label("Date de début").fill((lot.start_date - timedelta(days=5)).isoformat())
    page.get_by_label("Date de fin").fill((today - timedelta(days=2)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la mise à l'emploi").click()
    assert "la mise à l'emploi doit commencer dans ces dates" in page.get_by_role("alert").first.inner_text()
    page.get_by_label("Date de début").fill((today - timedelta(days=60)).isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la mise à l'emploi").click()
    placement = Placement.objects.get(participant=participant)
    page.wait_for_url(f"{base}/mises-a-l-emploi/{placement.pk}/")
    page.screenshot(path=os.path.join(SCREENSHOTS, "mise-a-l-emploi.png"), full_page=True)

    # A follow-up, then the outcome at exit.
    start_follow_up = placement.follow_ups.get(kind="start")
    page.goto(f"{base}/suivis/{start_follow_up.pk}/")
    page.get_by_label("Réalisé le").fill((today - timedelta(days=60)).isoformat())
    page.get_by_label("Notes").fill("Prise de poste confirmée avec le chef de chantier.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le suivi").click()
    start_follow_up.refresh_from_db()
    assert start_follow_up.done_on is not None
    exit_outcome = placement.outcomes.get(moment=Outcome.Moment.EXIT)
    page.goto(f"{base}/sorties/{exit_outcome.pk}/")
    page.locator("#id_situation").select_option("long_fixed_term")
    page.locator("#id_rsa_status").select_option("left")
    page.get_by_label("Recueillie le").fill(today.isoformat())
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la situation").click()
    exit_outcome.refresh_from_db()
    assert exit_outcome.is_dynamic and exit_outcome.rsa_status == "left"
    page.goto(f"{base}/participants/{participant.pk}/")
    assert "CDD ou intérim de 6 mois ou plus" in page.locator("main").inner_text()
