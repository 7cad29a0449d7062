"""The AVE yearly return's figures: each one is the impact indicators' figure for that facilitation
body (and for all of them in the total), in the page, in the workbook; only counts; bounded queries.

The data is the indicators' known dataset (tests/reporting/dataset.py), year 2026, read at the
suite's fixed date (10 March 2027): the Département's body follows lots 1 and 2, « Animation
Dombes » lot 3."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from clauses.models import Lot
from common.dates import today
from compliance import ave_export, ave_return
from partners.models import Organisation
from reporting import indicators, rules
from reporting.scope import FACILITATION_BODY, Scope
from tests.reporting import dataset

YEAR = 2026
NAMES = ("Alpha", "Bravo", "Charlie", "Delta", "Echo", "Prénom")


@pytest.fixture
def world(db):
    return dataset.build()


@pytest.fixture
def bodies(world):
    return [world["department"], world["other_body"]]


def expected_return(bodies):
    """The return as the indicators give it, body by body with ``compute`` and its scope."""
    period = rules.Period.year(YEAR)
    columns = [indicators.compute(period, Scope(FACILITATION_BODY, body.pk)) for body in bodies]
    union = Lot.objects.filter(contract__operation__facilitation_body__in=[body.pk for body in bodies])
    columns.append(indicators.compute(period, Scope(), lots=union))
    kinds = sorted({row.label for figures in columns for row in figures.buyers_by_kind})
    return {
        (key, label): tuple(get(figures) for figures in columns)
        for key, _title, lines in ave_return._sections(kinds)
        for label, _kind, get in lines
    }


def figures_of(report):
    return {(section.key, figure.label): figure.values for section in report.sections for figure in section.figures}


def test_every_figure_is_the_indicators_figure_of_the_body_and_of_the_total(bodies):
    report = ave_return.build(YEAR, bodies=bodies)
    assert report.columns == [body.name for body in bodies] + ["Total"]
    assert figures_of(report) == expected_return(bodies)


def test_figures_worked_out_by_hand(bodies):
    figures = figures_of(ave_return.build(YEAR, bodies=bodies))
    # Validated hours: lots 1 and 2 (100 + 120 + 60 + 70), lot 3 (140 + 145 in its second version).
    assert figures[("heures", "Heures réalisées (validées)")] == (Decimal(350), Decimal(285), Decimal(635))
    assert figures[("publics", "Participants")] == (3, 1, 4)
    assert figures[("publics", "Femmes")] == (2, 0, 2)
    assert figures[("publics", "Bénéficiaires du RSA (à l'entrée ou par le critère)")] == (1, 1, 2)
    assert figures[("mises", "Par mode : Mise à disposition (ETTI, AI, GEIQ)")] == (1, 0, 1)
    assert figures[("clauses", "Lots réservés aux SIAE : montant HT (€)")] == (0, Decimal(50000), Decimal(50000))
    assert figures[("clauses", "Lots réservés aux EA et ESAT (L2113-12)")] == (1, 0, 1)
    # Emma's 6-month outcome (lot 4, Animation Dombes, ended in 2025) is due in 2026: a CDI.
    assert figures[("sorties", "À 6 mois : Emploi durable")] == (1, 1, 2)
    assert all(isinstance(value, Decimal) for value in figures[("heures", "Heures prévues sur l'année")])


def test_all_bodies_by_default_and_one_body(world, bodies):
    everyone = ave_return.build(YEAR)
    assert [body.pk for body in everyone.bodies] == list(ave_return.facilitation_bodies().values_list("pk", flat=True))
    one = ave_return.build(YEAR, bodies=[world["other_body"]])
    hours = figures_of(one)[("heures", "Heures réalisées (validées)")]
    assert hours == (Decimal(285), Decimal(285))


def test_the_lots_the_user_may_read_limit_the_return(world, bodies):
    report = ave_return.build(YEAR, lots=Lot.objects.filter(pk=world["lots"][0].pk), bodies=bodies)
    assert figures_of(report)[("heures", "Heures réalisées (validées)")] == (Decimal(220), 0, Decimal(220))


def workbook_of(report):
    return load_workbook(io.BytesIO(ave_export.as_xlsx(report)))


def test_the_workbook_holds_the_same_figures_a_sheet_per_category(bodies):
    report = ave_return.build(YEAR, bodies=bodies)
    book = workbook_of(report)
    assert book.sheetnames == [section.title for section in report.sections] + ["Non couvert"]
    for section in report.sections:
        sheet = book[section.title]
        assert sheet["A1"].value.startswith("Bilan AVE 2026")
        assert f"généré le {today():%d/%m/%Y}" in sheet["A2"].value
        rows = list(sheet.iter_rows(min_row=4, values_only=True))
        assert list(rows[0]) == ["Indicateur", *report.columns]
        assert len(rows) - 1 == len(section.figures)
        for row, figure in zip(rows[1:], section.figures, strict=True):
            assert row[0] == figure.label
            assert [None if v is None else Decimal(str(v)) for v in row[1:]] == [
                None if v is None else Decimal(v) for v in figure.values
            ], figure.label
    rate = next(row for row in book["Heures d'insertion"].iter_rows(min_row=5) if row[0].value.startswith("Taux"))
    assert {cell.number_format for cell in rate[1:] if cell.value is not None} == {"0.0"}
    note = list(book["Non couvert"].iter_rows(min_row=5, values_only=True))
    assert note == [tuple(row) for row in ave_return.NOT_COVERED]


def test_no_personal_data_in_the_workbook(world, bodies):
    book = workbook_of(ave_return.build(YEAR, bodies=bodies))
    texts = [
        cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)
    ]
    assert not [text for text in texts if any(name in text for name in NAMES)]
    births = {person.birth_date for person in world["people"]}
    cells = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert not [cell for cell in cells if hasattr(cell, "date") and cell.date() in births]


def test_a_bounded_number_of_queries_whatever_the_bodies_and_rows(world, django_assert_num_queries):
    one = [world["department"]]
    with django_assert_num_queries(QUERIES):
        ave_return.build(YEAR, bodies=one)
    dataset.build()  # twice the rows, and a third body (a second « Animation Dombes »)
    three = list(Organisation.objects.facilitation_bodies())
    assert len(three) == 3
    with django_assert_num_queries(QUERIES):
        report = ave_return.build(YEAR, bodies=three)
    assert figures_of(report)[("publics", "Participants")][-1] == 8


# Those of one ``indicators.compute`` but the two of the awareness actions.
QUERIES = 14
