"""Exports on the golden dataset: the figures of each table, their CSV and XLSX writing, who
sees whom, and a number of queries that does not grow with the data."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from partners.roles import Role
from reporting import exports
from reporting.rules import Period
from reporting.scope import Scope
from tests.partners.factories import user_with_role
from tests.reporting import dataset

YEAR = Period.year(2026)
LAST_NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo")


@pytest.fixture
def world(db):
    return dataset.build()


@pytest.fixture
def trevoux_buyer(world):
    return user_with_role(Role.BUYER, organisation=world["trevoux"], first_name="Bernard")


def read_csv(content):
    assert content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def read_xlsx(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def by_indicator(rows):
    return {row[1]: row[2] for row in rows[1:]}


def build(name, user, period=YEAR, scope=None, **kwargs):
    if name in ("lots", "indicateurs", "heures-par-regroupement"):
        kwargs.setdefault("on", dataset.ON)
    return exports.BUILDERS[name](user, period, scope or Scope(), **kwargs)


# The national table -------------------------------------------------------------------------


def test_national_table_carries_the_golden_figures(world, department_reader):
    table = build("indicateurs", department_reader)
    values = {row[1]: row[2] for row in table.rows}
    assert values["Heures requises sur la période"] == Decimal("1217")
    assert values["Heures réalisées (validées)"] == Decimal("635")
    assert values["Taux de réalisation (%)"] == Decimal("52.2")
    assert (values["Participants"], values["Femmes"], values["Hommes"]) == (4, 2, 2)
    assert (values["Moins de 26 ans"], values["26 à 49 ans"], values["50 ans et plus"]) == (1, 2, 1)
    assert (values["Bénéficiaires du RSA"], values["Habitants d'un QPV"]) == (2, 1)
    assert (values["Opérations"], values["Marchés"], values["Lots"]) == (2, 2, 3)
    assert values["Bâtiment : heures requises"] == 730 and values["Travaux publics : heures réalisées"] == 285
    assert values["Par type de contrat : CDI"] == 2
    assert values["Marchés réservés aux SIAE (L2113-13) : montant HT (€)"] == Decimal("50000")
    assert values["Marchés réservés aux EA et ESAT (L2113-12) : nombre de lots"] == 1
    assert (values["Actions"], values["Personnes touchées"]) == (2, 35)
    exit_rows = {row[1]: row[2] for row in table.rows if row[0] == "Sorties — À la sortie"}
    assert exit_rows["Taux de sorties dynamiques (%)"] == Decimal("50.0")
    six_rows = {row[1]: row[2] for row in table.rows if row[0] == "Sorties — À 6 mois"}
    assert six_rows["Taux de sorties dynamiques (%)"] == Decimal("100.0")


def test_hours_by_group_hold_every_row_of_the_dashboard_tables(world, department_reader):
    from reporting import indicators

    table = build("heures-par-regroupement", department_reader)
    assert table.headers[:4] == ["Regroupement", "Nom", "Lots", "Heures exigées au prorata"]
    assert table.headers[4] == "Heures attendues au 01/07/2026"
    figures = indicators.compute(YEAR, Scope(), on=dataset.ON)
    groups = {}
    for row in table.rows:
        groups.setdefault(row[0], []).append(row)
    expected = {
        "Secteur départemental": figures.by_sector,
        "EPCI": figures.by_epci,
        "Donneur d'ordre": figures.by_buyer,
        "Secteur d'activité": figures.by_activity,
        "Mode de réalisation": figures.by_mode,
        "Employeur": figures.by_company,
    }
    assert list(groups) == list(expected)
    for group, rows in expected.items():
        assert [row[1] for row in groups[group]] == [row.label for row in rows]
        assert [row[5] for row in groups[group]] == [row.validated for row in rows]
        assert [row[7] for row in groups[group]] == [row.people for row in rows]
    activity = {row[1]: row for row in groups["Secteur d'activité"]}
    assert activity["Bâtiment"][3] == 730 and activity["Travaux publics"][5] == 285
    assert sum(row[5] for row in groups["Employeur"]) == Decimal("635")
    assert all(row[2:5] == [None, None, None] and row[6] is None for row in groups["Employeur"])
    csv_rows = read_csv(exports.as_csv(table))
    assert csv_rows[1][0] == "Secteur départemental" and len(csv_rows) == len(table.rows) + 1


def test_national_table_in_csv_and_xlsx(world, department_reader):
    table = build("indicateurs", department_reader)
    rows = read_csv(exports.as_csv(table))
    assert rows[0] == ["Rubrique", "Indicateur", "Valeur"]
    values = by_indicator(rows)
    assert values["Heures requises sur la période"] == "1217"
    assert values["Heures réalisées (validées)"] == "635"
    assert values["Taux de réalisation (%)"] == "52,2"
    assert values["Participants"] == "4"
    assert values["Femmes"] == "2"
    assert values["Marchés réservés aux SIAE (L2113-13) : montant HT (€)"] == "50000"
    assert "Taux de sorties dynamiques (%)" in values
    assert [row for row in rows if row[0] == "Sorties — À la sortie" and row[1].startswith("Taux")][0][2] == "50"

    sheet, cells = read_xlsx(exports.as_xlsx(table))
    values = by_indicator(cells)
    assert values["Heures requises sur la période"] == 1217
    assert values["Heures réalisées (validées)"] == 635
    assert values["Participants"] == 4 and values["Femmes"] == 2
    assert values["Marchés réservés aux SIAE (L2113-13) : montant HT (€)"] == 50000
    assert [row for row in cells if row[0] == "Sorties — À la sortie" and row[1].startswith("Taux")][0][2] == 50.0


# Lots, placements, hours by month -----------------------------------------------------------


def test_lots_with_their_progress(world, administrator):
    table = build("lots", administrator)
    assert table.headers[11] == "Heures attendues au 01/07/2026"
    rows = {(row[2], row[3]): row for row in table.rows}
    lot1, lot2, lot3, _lot4 = world["lots"]
    assert len(rows) == 3  # lot 4 ends in 2025
    first = rows[(lot1.contract.reference, "1")]
    assert first[:9] == [
        "Collège",
        "Département de l'Ain",
        lot1.contract.reference,
        "1",
        "Gros œuvre",
        "Bâtiment",
        "Condition d'exécution (L2112-2)",
        date(2026, 1, 1),
        date(2026, 12, 31),
    ]
    # 730 h required, 300 validated (December 2025 counts for the lot), 362.99 expected on 1 July.
    assert first[9:] == [Decimal("730"), Decimal("300"), Decimal("362.99"), Decimal("41.1"), "En retard", "Bâti Ain"]
    assert rows[(lot3.contract.reference, "1")][9:] == [
        Decimal("306"),
        Decimal("285"),
        Decimal("122.40"),
        Decimal("93.1"),
        "Dans les temps",
        "TP Dombes",
    ]

    csv_rows = read_csv(exports.as_csv(table))
    first_csv = [row for row in csv_rows if row[2] == lot1.contract.reference and row[3] == "1"][0]
    assert first_csv[7:] == ["01/01/2026", "31/12/2026", "730", "300", "362,99", "41,1", "En retard", "Bâti Ain"]

    sheet, cells = read_xlsx(exports.as_xlsx(table))
    assert cells[0] == table.headers
    row_index = next(index for index, row in enumerate(cells) if row[2] == lot1.contract.reference and row[3] == "1")
    assert cells[row_index][7] == datetime(2026, 1, 1)
    assert cells[row_index][9:13] == [730, 300, 362.99, 41.1]
    assert sheet.cell(row=row_index + 1, column=8).number_format == "DD/MM/YYYY"
    assert sheet.cell(row=row_index + 1, column=13).number_format == "0.0"
    assert lot2.pk  # lot 2 is there too
    assert rows[(lot2.contract.reference, "2")][13] == "En retard"


def test_placements_for_a_facilitator_carry_identity(world, administrator):
    table = build("mises-a-l-emploi", administrator)
    assert table.headers[-5:] == [
        "Nom",
        "Prénom",
        "Date de naissance",
        "Bénéficiaire du RSA à l'entrée",
        "Critères d'éligibilité",
    ]
    by_name = {row[-5]: row for row in table.rows}
    assert set(by_name) == {"Alpha", "Bravo", "Charlie", "Delta"}  # Emma worked on a 2025 lot
    alice = by_name["Alpha"]
    assert alice[1:8] == [
        "Bâti Ain",
        "Embauche directe par l'entreprise",
        "CDD",
        date(2026, 2, 1),
        date(2026, 2, 20),
        Decimal("35.0"),
        Decimal("100"),
    ]
    assert alice[-3:] == [date(1990, 3, 1), True, "Bénéficiaire du RSA"]
    assert by_name["Bravo"][7] == Decimal("120")  # pending and uncounted hours left out
    assert by_name["Delta"][7] == Decimal("285")  # the corrected April counts once
    csv_text = exports.as_csv(table).decode("utf-8-sig")
    assert "Alpha" in csv_text and "01/03/1990" in csv_text and ";Oui;" in csv_text


def test_the_facilitator_fixture_sees_names_on_the_lots_of_its_body(world, facilitator):
    table = build("mises-a-l-emploi", facilitator)
    # The Département's facilitator follows the Département's operation, not Trévoux's.
    assert sorted(row[-5] for row in table.rows) == ["Alpha", "Bravo", "Charlie"]


def test_placements_for_a_department_reader_are_anonymous(world, department_reader):
    table = build("mises-a-l-emploi", department_reader, personal=True)  # asking is not enough
    assert table.headers[-3:] == ["Personne", "Sexe", "Tranche d'âge"]
    people = [row[-3:] for row in table.rows]
    assert sorted(people) == [
        ["Personne 1", "Homme", "Moins de 26 ans"],
        ["Personne 2", "Femme", "26 à 49 ans"],
        ["Personne 3", "Femme", "50 ans et plus"],
        ["Personne 4", "Homme", "26 à 49 ans"],
    ]


def test_a_pseudonym_is_stable_within_an_export(world, department_reader):
    from placements.models import Placement
    from tests.placements.factories import PlacementFactory

    bruno_placement = Placement.objects.get(participant__last_name="Bravo")
    lot3 = world["lots"][2]
    PlacementFactory(
        participant=bruno_placement.participant,
        lot=lot3,
        employer=bruno_placement.employer,
        mode="provision",
        contract_type="temporary",
        start_date=date(2026, 5, 4),
        end_date=date(2026, 6, 30),
    )
    table = build("mises-a-l-emploi", department_reader)
    pseudonyms = [row[-3] for row in table.rows]
    assert len(pseudonyms) == 5 and len(set(pseudonyms)) == 4
    assert pseudonyms[0] == "Personne 1"
    assert [row[-3] for row in table.rows if row[-2] == "Homme" and row[-1] == "Moins de 26 ans"] == [
        pseudonyms[0],
        pseudonyms[0],
    ]


def test_hours_by_month(world, administrator):
    table = build("heures-par-mois", administrator)
    assert table.headers[0] == "Lot" and table.headers[1] == "janv. 2026" and table.headers[-1] == "Total"
    assert len(table.headers) == 14
    assert table.rows[-1][:5] == ["Total", Decimal("180"), Decimal("170"), Decimal("140"), Decimal("145")]
    assert table.rows[-1][-1] == Decimal("635")
    assert [row[-1] for row in table.rows[:-1]] == [Decimal("220"), Decimal("130"), Decimal("285")]
    sheet, cells = read_xlsx(exports.as_xlsx(table))
    assert cells[-1][0] == "Total" and cells[-1][1:5] == [180, 170, 140, 145] and cells[-1][-1] == 635
    assert read_csv(exports.as_csv(table))[-1][:3] == ["Total", "180", "170"]


def test_a_shorter_period_and_a_scope(world, administrator):
    period = Period(date(2026, 2, 1), date(2026, 3, 31))
    scope = Scope.load("contract", world["contracts"][0].pk)
    table = build("heures-par-mois", administrator, period=period, scope=scope)
    assert table.headers == ["Lot", "févr. 2026", "mars 2026", "Total"]
    assert table.rows[-1] == ["Total", Decimal("170"), Decimal("0"), Decimal("170")]
    assert exports.filename("heures-par-mois", period, scope, "csv").startswith(
        "clausier-heures-par-mois-2026-02-01-2026-03-31-m-2026-"
    )
    assert exports.filename("lots", YEAR, Scope(), "xlsx") == "clausier-lots-2026.xlsx"


# Who sees what ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_never_get_a_name(world, users_by_role, trevoux_buyer, role):
    users = [users_by_role[role]] + ([trevoux_buyer] if role == Role.BUYER else [])
    for user in users:
        for name in exports.BUILDERS:
            table = build(name, user)
            for content in (exports.as_csv(table), exports.as_xlsx(table)):
                text = content.decode("utf-8-sig") if content.startswith(b"\xef\xbb\xbf") else ""
                if not text:
                    _sheet, cells = read_xlsx(content)
                    text = "\n".join(str(value) for row in cells for value in row)
                for last_name in LAST_NAMES:
                    assert last_name not in text, (user, name, last_name)
                assert "Prénom" not in text


def test_a_buyer_gets_only_rows_of_its_own_contracts(world, trevoux_buyer):
    lots = build("lots", trevoux_buyer)
    assert [row[1] for row in lots.rows] == ["Commune de Trévoux"]
    placements = build("mises-a-l-emploi", trevoux_buyer)
    assert [(row[1], row[-3]) for row in placements.rows] == [("TP Dombes", "Personne 1")]
    hours = build("heures-par-mois", trevoux_buyer)
    assert [row[0] for row in hours.rows] == [f"{world['contracts'][1].reference} — lot 1 — Gros œuvre", "Total"]
    assert hours.rows[-1][-1] == Decimal("285")
    values = {row[1]: row[2] for row in build("indicateurs", trevoux_buyer).rows}
    assert (values["Heures requises sur la période"], values["Heures réalisées (validées)"]) == (306, 285)
    assert values["Participants"] == 1


def test_a_buyer_without_contracts_gets_empty_tables(world, buyer):
    assert build("lots", buyer).rows == []
    assert build("mises-a-l-emploi", buyer).rows == []
    assert build("heures-par-mois", buyer).rows == [["Total", *[Decimal(0)] * 13]]


# Number of queries --------------------------------------------------------------------------

QUERIES = {
    "lots": 4,
    "mises-a-l-emploi": 6,
    "heures-par-mois": 4,
    "indicateurs": 18,  # three more in the indicators (see test_indicators.QUERIES)
    "heures-par-regroupement": 18,  # the indicators' queries, as "indicateurs"
}


@pytest.mark.parametrize("name", list(QUERIES))
def test_a_bounded_number_of_queries(world, facilitator, django_assert_num_queries, django_user_model, name):
    user = django_user_model.objects.get(pk=facilitator.pk)
    with django_assert_num_queries(QUERIES[name]):
        first = build(name, user)
    dataset.build()  # twice the data: the same number of queries
    user = django_user_model.objects.get(pk=facilitator.pk)
    with django_assert_num_queries(QUERIES[name]):
        second = build(name, user)
    assert len(second.rows) > len(first.rows) or name in ("indicateurs", "heures-par-regroupement")


# Writers ------------------------------------------------------------------------------------


def test_writers_on_a_small_table():
    table = exports.Table(
        "essai",
        "Un titre : bien trop long pour une feuille de calcul [2026]",
        ["Texte", "Entier", "Décimal", "Date", "Vide", "Oui/non"],
        [
            ['=HYPERLINK("http://x")', 1234, Decimal("35.50"), date(2026, 1, 31), None, True],
            ["Ligne\x01 deux", -2, Decimal("-0.25"), date(2026, 12, 1), "", False],
        ],
    )
    rows = read_csv(exports.as_csv(table))
    assert rows[1] == ['\'=HYPERLINK("http://x")', "1234", "35,5", "31/01/2026", "", "Oui"]
    assert rows[2][1:4] == ["-2", "-0,25", "01/12/2026"]

    sheet, cells = read_xlsx(exports.as_xlsx(table))
    assert len(sheet.title) <= 31 and "[" not in sheet.title and ":" not in sheet.title
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in sheet[1])
    formula_cell = sheet.cell(row=2, column=1)
    assert formula_cell.data_type == "s" and formula_cell.value == '=HYPERLINK("http://x")'
    assert cells[1][1:4] == [1234, 35.5, datetime(2026, 1, 31)]
    assert cells[2][0] == "Ligne deux"
    assert sheet.cell(row=2, column=3).number_format == "#,##0.00"
    assert sheet.column_dimensions["A"].width >= 8


def test_national_table_counts_the_lots_with_a_clause_apart(world, department_reader):
    from tests.clauses.factories import ContractFactory, LotFactory

    contract = ContractFactory(operation=world["contracts"][0].operation)
    LotFactory(contract=contract, start_date=date(2026, 2, 1), end_date=date(2026, 5, 31))  # no clause
    values = {row[1]: row[2] for row in build("indicateurs", department_reader).rows}
    assert (values["Opérations"], values["Marchés"], values["Lots"]) == (2, 3, 4)
    assert values["dont lots avec une clause"] == 3
