"""The PNAD/SPASER workbook: the page's figures (``pnad_report``), one sheet per table."""

from common.tabular import RATE_FORMAT, Table, as_xlsx_book
from procurement.reconciliation import SHARE_HEADERS, share_cells

YEAR_HEADERS = [
    "Année de notification",
    "Marchés notifiés",
    "Montant notifié (€ HT)",
    "Marchés avec considération sociale",
    "Montant avec considération sociale (€ HT)",
    "Part en nombre (%)",
    "Part en montant (%)",
    "Objectif PNAD (%)",
    "Écart à l'objectif (points)",
    "Heures d'insertion validées",
    "Personnes en insertion",
    "Achats auprès de SIAE (€ HT)",
    "Achats auprès d'EA et d'ESAT (€ HT)",
    "Achats auprès d'entreprises de l'ESS (€ HT)",
]


def year_cells(row, target):
    return [
        row.year,
        row.count,
        row.amount,
        row.social_count,
        row.social_amount,
        row.count_share,
        row.amount_share,
        target,
        row.gap,
        row.hours,
        row.people,
        row.siae_amount,
        row.disability_amount,
        row.ess_amount,
    ]


def filename(report):
    who = "territoire" if report.is_territory else f"acheteur-{report.buyer_siret}"
    return f"pnad-spaser-{who}.xlsx"


def tables(report):
    years = Table("annees", f"PNAD et SPASER par année — {report.buyer_label}", YEAR_HEADERS)
    years.rows = [year_cells(row, report.target) for row in report.years]
    years.formats = {5: RATE_FORMAT, 6: RATE_FORMAT, 7: RATE_FORMAT, 8: RATE_FORMAT}
    result = [years]
    if report.is_territory and report.year:
        buyers = Table("acheteurs", f"Acheteurs {report.year}", SHARE_HEADERS)
        buyers.rows = [share_cells(row) for row in report.by_buyer]
        buyers.formats = {7: RATE_FORMAT, 8: RATE_FORMAT, 9: RATE_FORMAT}
        result.append(buyers)
    return result


def workbook(report):
    return as_xlsx_book(tables(report), title=f"PNAD et SPASER — {report.buyer_label}")
