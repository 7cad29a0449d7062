"""The AVE return as a workbook: one sheet per category, one column per facilitation body and the
total, the year and the day it was made above the headers, and a « Non couvert » sheet listing
what the AVE return asks that Clausier does not hold. Written by the tables' one XLSX writer
(``common.tabular``); only counts and sums, as in ``ave_return``."""

from django.utils.text import slugify

from common.tabular import RATE_FORMAT, Table, as_xlsx_book

from .ave_return import NOT_COVERED, RATE

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _preamble(report):
    return [
        f"{report.title} — Alliance Villes Emploi — par structure d'animation des clauses",
        f"Année {report.year} ; généré le {report.generated_on:%d/%m/%Y} par Clausier",
        "Chiffres agrégés : aucune personne n'y est nommée.",
    ]


def tables(report):
    """The sheets of the workbook, as tables."""
    result = []
    for section in report.sections:
        table = Table(section.key, section.title, ["Indicateur", *report.columns], preamble=_preamble(report))
        table.rows = [[figure.label, *figure.values] for figure in section.figures]
        table.row_formats = {index: RATE_FORMAT for index, figure in enumerate(section.figures) if figure.kind == RATE}
        result.append(table)
    note = Table("non-couvert", "Non couvert", ["Champ du bilan AVE", "Pourquoi"], preamble=_preamble(report))
    note.rows = [list(row) for row in NOT_COVERED]
    result.append(note)
    return result


def as_xlsx(report):
    return as_xlsx_book(tables(report), title=report.title)


def filename(report, body=None):
    """clausier-bilan-ave-2026.xlsx; clausier-bilan-ave-2026-departement-de-l-ain.xlsx."""
    parts = ["clausier-bilan-ave", str(report.year)]
    if body is not None:
        parts.append(slugify(body.name)[:50])
    return "-".join(parts) + ".xlsx"
