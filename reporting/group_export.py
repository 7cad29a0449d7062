"""The export of the hours by group (``heures-par-regroupement``): every row of the dashboards' and
reports' tables by territory, buyer, activity, mode and employer, which those show only in part
(``leading_rows``). Built only from ``indicators.compute``: counts and sums, no person."""

from common.tabular import Table

from . import indicators
from .export_reading import _title
from .permissions import visible_lots

NAME = "heures-par-regroupement"


def _groups(figures):
    """(group label, rows, whether the rows carry required hours) in the order of the dashboard."""
    return [
        ("Secteur départemental", figures.by_sector, True),
        ("EPCI", figures.by_epci, True),
        ("Donneur d'ordre", figures.by_buyer, True),
        ("Secteur d'activité", figures.by_activity, True),
        ("Mode de réalisation", figures.by_mode, False),
        ("Employeur", figures.by_company, False),
    ]


def hours_by_group(user, period, scope, on=None):
    """One row per group of each table: lots, hours required pro rata, expected by ``on`` and
    validated, rate and people with validated hours (the tables by mode and employer count
    validated hours only: their required cells are empty)."""
    figures = indicators.compute(period, scope, lots=visible_lots(user), on=on)
    table = Table(
        NAME,
        _title("Heures par regroupement", period, scope),
        [
            "Regroupement",
            "Nom",
            "Lots",
            "Heures exigées au prorata",
            f"Heures attendues au {figures.on:%d/%m/%Y}",
            "Heures validées",
            "Taux de réalisation (%)",
            "Personnes",
        ],
    )
    for group, rows, with_required in _groups(figures):
        for row in rows:
            if with_required:
                required = [row.lots, row.required, row.expected, row.validated, row.done_rate]
            else:
                required = [None, None, None, row.validated, None]
            table.rows.append([group, row.label, *required, row.people])
    return table
