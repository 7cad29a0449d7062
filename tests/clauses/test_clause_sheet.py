"""The "fiche clause" PDF: who may download it, and what a buyer reads in it (text from pdftotext)."""

import subprocess
from datetime import date
from decimal import Decimal

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from clauses import sheet
from clauses.models import Clause, ClauseSheetTemplate, InvoicedAmount
from common.numbers import legal_number
from partners.models import Organisation
from partners.roles import Role
from tests.clauses.factories import ClauseFactory, ContractFactory, LotAwardFactory, LotFactory
from tests.partners.factories import OrganisationFactory, user_with_role


def pdf_text(content, tmp_path):
    """The text of a PDF, whitespace collapsed (pdftotext breaks lines where the PDF does)."""
    path = tmp_path / "fiche.pdf"
    path.write_bytes(content)
    # No skip when pdftotext is missing: the test must fail (poppler-utils is a test dependency).
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True, encoding="utf-8"
    )
    return " ".join(result.stdout.split())


@pytest.fixture
def world(users_by_role):
    """A contract of the buyer fixture, followed by the Département: lot 1 with the published example
    (833 h), awarded to the employer fixture; lot 2 with contractual hours; lot 3 without a clause."""
    buyer_org = users_by_role[Role.BUYER].memberships.get().organisation
    contract = ContractFactory(
        operation__buyer=buyer_org,
        operation__title="Construction du collège de Lagnieu",
        reference="2026-TX/014",
        title="Construction du collège",
        start_date=date(2026, 3, 1),
        end_date=date(2027, 6, 30),
    )
    lot1 = ClauseFactory(lot__contract=contract, lot__number="1", lot__title="Gros œuvre, maçonnerie").lot
    lot2 = ClauseFactory(
        lot__contract=contract,
        lot__number="2",
        lot__title="Peinture intérieure",
        lot__amount_excl_tax=Decimal("300000"),
        labour_share=Decimal("70"),
        insertion_rate=Decimal("7"),
        hourly_cost=Decimal("30"),
        computed_hours=Decimal("490"),
        contractual_hours=Decimal("500"),
        adjustment_reason="Arrondi demandé par l'acheteur",
    ).lot
    lot3 = LotFactory(contract=contract, number="3", title="Espaces verts et clôtures")
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    LotAwardFactory(lot=lot1, company=company)
    return {"contract": contract, "lots": [lot1, lot2, lot3], "users": users_by_role}


def download(client, user, url):
    client.force_login(user)
    return client.get(url)


# Who may download ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.ADMINISTRATOR, Role.BUYER, Role.DEPARTMENT_READER])
def test_contract_sheet_downloads_for_the_roles_that_advise_or_buy(client, world, role):
    response = download(client, world["users"][role], reverse("clauses:contract_sheet", args=[world["contract"].pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fiche-clause-2026-tx014.pdf"'
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.BUYER])
def test_lot_sheet_downloads_with_the_lot_in_its_filename(client, world, role):
    lot = world["lots"][0]
    response = download(client, world["users"][role], reverse("clauses:lot_sheet", args=[lot.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fiche-clause-2026-tx014-lot-1.pdf"'


def test_another_buyer_gets_404(client, world):
    other_buyer = user_with_role(Role.BUYER)
    client.force_login(other_buyer)

    assert client.get(reverse("clauses:contract_sheet", args=[world["contract"].pk])).status_code == 404
    assert client.get(reverse("clauses:lot_sheet", args=[world["lots"][0].pk])).status_code == 404


def test_a_facilitator_of_another_body_gets_404(client, world):
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    client.force_login(user_with_role(Role.FACILITATOR, organisation=other_body))

    assert client.get(reverse("clauses:contract_sheet", args=[world["contract"].pk])).status_code == 404
    assert client.get(reverse("clauses:lot_sheet", args=[world["lots"][0].pk])).status_code == 404


def test_employer_gets_403_on_its_own_lot_and_404_on_a_lot_not_awarded_to_it(client, world):
    client.force_login(world["users"][Role.EMPLOYER])
    own_lot, other_lot, _ = world["lots"]

    assert client.get(reverse("clauses:lot_sheet", args=[own_lot.pk])).status_code == 403
    assert client.get(reverse("clauses:contract_sheet", args=[world["contract"].pk])).status_code == 403
    assert client.get(reverse("clauses:lot_sheet", args=[other_lot.pk])).status_code == 404


def test_anonymous_user_is_sent_to_login(client, world):
    response = client.get(reverse("clauses:contract_sheet", args=[world["contract"].pk]))

    assert response.status_code == 302
    assert "login" in response["Location"] or "connexion" in response["Location"]


def test_lot_without_clause_has_no_sheet(client, world):
    response = download(
        client, world["users"][Role.FACILITATOR], reverse("clauses:lot_sheet", args=[world["lots"][2].pk])
    )

    assert response.status_code == 404


# What the buyer reads ------------------------------------------------------------------------


def test_contract_sheet_text(client, world, tmp_path):
    facilitator = world["users"][Role.FACILITATOR]
    response = download(client, facilitator, reverse("clauses:contract_sheet", args=[world["contract"].pk]))
    text = pdf_text(response.content, tmp_path)

    assert "Fiche clause sociale d'insertion" in text
    buyer_name = world["contract"].operation.buyer.name
    assert buyer_name in text
    assert "Construction du collège de Lagnieu" in text
    assert "du 01/03/2026 au 30/06/2027" in text
    # The published example, with its computation.
    assert "1 000 000 € × 50 % × 5 % ÷ 30 €/h = 833 h" in text
    assert "833 h" in text
    assert "Condition d'exécution (L2112-2)" in text
    # The model text with its variables filled.
    assert "l'exécution du lot 1 « Gros œuvre, maçonnerie » du marché 2026-TX/014 « Construction du collège »" in text
    assert "réserver au moins 833 heures de travail" in text
    assert "{heures}" not in text and "{lot}" not in text and "{facilitateur}" not in text
    # Lot 3 has no clause: left out.
    assert "Espaces verts et clôtures" not in text
    # Total of the two lots with a clause: 833 + 500.
    assert "Total 1 333 h" in text
    # Modes, publics, contact.
    assert "Comment réaliser les heures" in text
    assert "Mise à disposition de personnel" in text and "GEIQ" in text and "ESAT" in text
    assert "Formation" not in text  # off by default (local setting)
    assert "Qui peut en bénéficier" in text
    assert "revenu de solidarité active" in text and "quartier prioritaire" in text
    assert "Votre contact" in text
    assert facilitator.get_full_name() in text and facilitator.email in text
    assert "Département de l'Ain" in text
    # Footer: build date and page numbers.
    assert f"édité le {timezone.localdate():%d/%m/%Y}" in text
    assert "Page 1 / " in text


def test_contractual_hours_are_shown_with_their_reason(client, world, tmp_path):
    response = download(client, world["users"][Role.BUYER], reverse("clauses:lot_sheet", args=[world["lots"][1].pk]))
    text = pdf_text(response.content, tmp_path)

    assert "Heures contractuelles : 500 h (calculées : 490 h)" in text
    assert "Motif de l'ajustement : Arrondi demandé par l'acheteur" in text
    assert "300 000 € × 70 % × 7 % ÷ 30 €/h = 490 h" in text
    assert "réserver au moins 500 heures" in text


def test_lot_sheet_contains_only_that_lot(client, world, tmp_path):
    response = download(client, world["users"][Role.BUYER], reverse("clauses:lot_sheet", args=[world["lots"][1].pk]))
    text = pdf_text(response.content, tmp_path)

    assert "Lot 2 — Peinture intérieure" in text
    assert "Gros œuvre" not in text
    assert "833" not in text
    assert "Total" not in text


def test_the_administrators_template_is_used_and_unknown_braces_are_kept(client, world, tmp_path):
    ClauseSheetTemplate.objects.filter(legal_basis=Clause.LegalBasis.EXECUTION_CONDITION).update(
        model_text="Pour {acheteur} : {heures} heures sur le {lot}. Contact : {facilitateur}. Voir {annexe}."
    )
    facilitator = world["users"][Role.FACILITATOR]
    response = download(client, facilitator, reverse("clauses:lot_sheet", args=[world["lots"][0].pk]))
    text = pdf_text(response.content, tmp_path)

    buyer_name = world["contract"].operation.buyer.name
    assert f"Pour {buyer_name} : 833 heures sur le lot 1 « Gros œuvre, maçonnerie »." in text
    assert f"Contact : {facilitator.get_full_name()}, {facilitator.email} — Département de l'Ain." in text
    assert "Voir {annexe}." in text


def test_a_contract_without_any_clause_gets_a_sheet_that_says_so(client, users_by_role, tmp_path):
    contract = ContractFactory(reference="2026-FCS/002")
    LotFactory(contract=contract, title="Fournitures de bureau")
    response = download(client, users_by_role[Role.FACILITATOR], reverse("clauses:contract_sheet", args=[contract.pk]))
    text = pdf_text(response.content, tmp_path)

    assert response.status_code == 200
    assert "Aucun lot de ce marché ne comporte encore de clause sociale d'insertion" in text
    assert "Fournitures de bureau" not in text
    assert "Clause type à insérer" not in text
    assert "Votre contact" in text


def test_training_mode_appears_when_the_local_rule_counts_it(client, world, tmp_path, settings):
    with override_settings(CLAUSIER={**settings.CLAUSIER, "TRAINING_HOURS_COUNT": True}):
        response = download(
            client, world["users"][Role.FACILITATOR], reverse("clauses:lot_sheet", args=[world["lots"][0].pk])
        )
    text = pdf_text(response.content, tmp_path)

    assert "Formation les heures de formation" in text


def test_per_euro_invoiced_lot_shows_its_rule_and_hours_to_date(client, world, tmp_path):
    contract = world["contract"]
    clause = ClauseFactory(
        lot__contract=contract,
        lot__number="10",
        lot__title="Entretien courant",
        method=Clause.Method.PER_EURO_INVOICED,
        euros_per_hour=Decimal("2000"),
        labour_share=None,
        insertion_rate=None,
        hourly_cost=None,
        computed_hours=Decimal("0"),
    )
    InvoicedAmount.objects.create(
        lot=clause.lot, period_start=date(2026, 3, 1), period_end=date(2026, 3, 31), amount=Decimal("50000")
    )
    response = download(client, world["users"][Role.FACILITATOR], reverse("clauses:contract_sheet", args=[contract.pk]))
    text = pdf_text(response.content, tmp_path)

    assert "1 h pour 2 000 € HT facturés" in text
    assert "50 000 € facturés à ce jour = 25 h" in text
    # Lots in natural order: 1, 2, then 10.
    assert text.index("Lot 1 — ") < text.index("Lot 2 — ") < text.index("Lot 10 — ")


# Pure helpers --------------------------------------------------------------------------------


def test_legal_number():
    assert legal_number(Decimal("1000000")) == "1\u202f000\u202f000"
    assert legal_number(Decimal("1234.5")) == "1\u202f234,50"
    assert legal_number(Decimal("833")) == "833"


def test_natural_order_of_lot_numbers():
    assert sorted(["10", "2", "1", "2a"], key=sheet.natural_key) == ["1", "2", "2a", "10"]


def test_fill_variables_leaves_other_braces():
    values = {"heures": "833", "lot": "lot 1", "marche": "M", "acheteur": "A", "facilitateur": "F"}

    assert sheet.fill_variables("{heures} h, {lot}, {autre}, {", values) == "833 h, lot 1, {autre}, {"
