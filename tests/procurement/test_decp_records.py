"""Reading one DECP record: amounts, SIRET, dates, social considerations, places, modifications."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest

from partners.identifiers import build_siren, build_siret, is_valid_siret
from procurement.decp_parsers import read_file
from procurement.decp_records import (
    RowError,
    department_of_place,
    from_json,
    from_table,
    parse_amount,
    parse_considerations,
    parse_siret,
)
from tests.procurement.decp_files import BUYER, HOLDER, OTHER_HOLDER, marche, table_row

LEADING_ZERO_SIRET = build_siret(build_siren("01234567"), "0001")
# The official example of the DECP schema v2 (shared/data/decp), kept with the tests so that a clone reads it.
EXAMPLE = Path(__file__).resolve().parent / "data" / "exemple_marches_avec_modifications.json"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (120000, Decimal("120000.00")),
        (123456.89, Decimal("123456.89")),
        ("123456.89", Decimal("123456.89")),
        ("123 456,89", Decimal("123456.89")),
        ("1.234.567,50", Decimal("1234567.50")),
        ("1,234,567.50", Decimal("1234567.50")),
        ("45 000 €", Decimal("45000.00")),
    ],
)
def test_amounts_in_every_writing(raw, expected):
    assert parse_amount(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(None, "Montant absent."), ("", "Montant absent."), ("environ 40k", "Montant illisible"), ("-5", "négatif")],
)
def test_bad_amounts_are_refused_with_their_reason(raw, reason):
    with pytest.raises(RowError, match=reason):
        parse_amount(raw)


def test_a_siret_that_lost_its_leading_zero_is_given_back_when_valid():
    valid = LEADING_ZERO_SIRET
    assert valid.startswith("0") and is_valid_siret(valid)
    assert parse_siret(valid[1:], "du titulaire") == valid


def test_a_siret_of_13_digits_that_is_no_siret_is_refused():
    with pytest.raises(RowError, match="13 chiffres au lieu de 14"):
        parse_siret("2101028300012", "de l'acheteur")
    with pytest.raises(RowError, match="illisible"):
        parse_siret("22010001A00019", "de l'acheteur")
    assert parse_siret("220 100 010 00019", "de l'acheteur") == BUYER


def test_social_considerations_from_a_list_or_a_text():
    assert parse_considerations({"considerationSociale": ["Critère social", "Clause sociale"]}) == (
        "Clause sociale",
        "Critère social",
    )
    assert parse_considerations("['clause sociale', 'Marché réservé']") == ("Clause sociale", "Marché réservé")
    assert parse_considerations("Pas de considération sociale") == ("Pas de considération sociale",)
    assert parse_considerations("Sans objet") == ("Sans objet",)
    assert parse_considerations(None) == ()


@pytest.mark.parametrize(
    ("code", "kind", "department"),
    [
        ("01427", "Code commune", "01"),
        ("01100", "Code postal", "01"),
        ("1100", "Code postal", "01"),
        ("1", "Code département", "01"),
        ("69003", "Code postal", "69"),
        ("2A004", "Code commune", "2A"),
        ("97411", "Code commune", "974"),
        ("84", "Code région", ""),
        ("", "Code postal", ""),
    ],
)
def test_department_of_the_place_of_execution(code, kind, department):
    assert department_of_place(code, kind) == department


def test_a_json_contract_gets_its_modifications_in_order():
    record = from_json(
        marche(
            modifications=[
                {"modification": {"id": 2, "montant": 150000, "dateNotificationModification": "2026-10-01"}},
                {
                    "modification": {
                        "id": 1,
                        "dureeMois": 30,
                        "montant": 130000,
                        "titulaires": [{"titulaire": {"id": OTHER_HOLDER, "typeIdentifiant": "SIRET"}}],
                        "dateNotificationModification": "2026-08-01",
                    }
                },
            ]
        )
    )
    assert record.uid == f"{BUYER}2026-101"
    assert record.amount == Decimal("150000.00")  # the latest modification
    assert record.duration_months == 30
    assert [holder.identifier for holder in record.holders] == [OTHER_HOLDER]
    assert record.modification_count == 2
    assert record.considerations == ("Marché réservé",)
    assert record.has_social_consideration
    assert record.techniques == "Accord-cadre" and record.execution_terms == "Bons de commande"
    assert record.in_territory("01")


def test_the_official_example_is_read_and_its_bad_holder_refused():
    """The example of 139bercy/format-commande-publique: its modification names a holder whose
    SIRET has 15 digits, so the record is refused with that reason."""
    with EXAMPLE.open("rb") as handle:
        kind, items = read_file(handle, EXAMPLE.name)
        results = list(items)
    assert kind == "json"
    assert len(results) == 2
    for _, item in results:
        assert isinstance(item, RowError)
        assert item.reason == "SIRET du titulaire de 15 chiffres au lieu de 14 : 868768687576575."
        assert item.key.startswith("217500016300")
    example = json.loads(EXAMPLE.read_text())["marches"]["marche"][0]
    example["modifications"] = []
    record = from_json(example)
    assert record.amount == Decimal("575000.00")  # the contract, not its subcontracting (123,456.89)
    assert record.considerations == ("Clause sociale", "Critère social")
    assert record.notification_date.year == 2024
    assert not record.in_territory("01")


def test_a_table_row_is_one_contract_with_one_holder():
    record = from_table(table_row(montant="250 000,50", titulaire_id=LEADING_ZERO_SIRET[1:]))
    assert record.amount == Decimal("250000.50")
    assert record.holders[0].identifier == LEADING_ZERO_SIRET
    assert record.notification_date == datetime.date(2026, 9, 1)
    assert record.buyer_department_code == "01"
    assert record.holders[0].name == "Bâtir Bresse Construction"
    assert record.holders[0].identifier != HOLDER


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"montant": ""}, "Montant absent."),
        ({"acheteur_id": ""}, "Acheteur inconnu"),
        ({"acheteur_id": "2201000100001"}, "SIRET de l'acheteur de 13 chiffres"),
        ({"titulaire_id": "123"}, "SIRET du titulaire de 3 chiffres"),
        ({"id": ""}, "Identifiant du marché absent."),
        ({"objet": " "}, "Objet du marché absent."),
        ({"dateNotification": ""}, "Date de notification absente."),
        ({"dateNotification": "31/02/2026"}, "Date de notification illisible"),
        ({"dureeMois": "douze"}, "Durée illisible"),
    ],
)
def test_every_kind_of_bad_row_has_its_reason(values, reason):
    with pytest.raises(RowError, match=reason) as caught:
        from_table(table_row(**values))
    assert caught.value.excerpt.startswith("Département de l'Ain · ")
