"""What the PNAD/SPASER page, its PDF and its XLSX show: one read model, so that every figure of
the PDF and of the workbook is the page's (issue 18).

For the territory (or one buyer's SIRET): every year's return (``pnad_returns.returns``), the year
chosen, its buyers (territory only) and the chart of the share per year against the target.
Queries: 5 (returns) + 1 (buyers of the year, territory only), whatever the data.
"""

from dataclasses import dataclass, field, replace
from decimal import Decimal

from clauses.models import today
from procurement.reconciliation import Filters, ShareRow, pnad_target, shares_by_buyer_and_year
from reporting import charts

from .pnad_returns import returns

BUYERS_SHOWN = 30  # the page and the PDF list the largest buyers; the workbook has them all
CHART_TITLE = "Part des marchés notifiés avec au moins une considération sociale, par année"


@dataclass(frozen=True)
class PnadReport:
    buyer_siret: str
    buyer_label: str
    year: int | None
    years: list = field(default_factory=list)  # PnadYear, latest first
    by_buyer: list = field(default_factory=list)  # ShareRow of the year, largest buyers first
    target: Decimal = field(default_factory=pnad_target)

    @property
    def is_territory(self):
        return not self.buyer_siret

    @property
    def current(self):
        """The chosen year's return, or None when nothing was notified that year."""
        return next((row for row in self.years if row.year == self.year), None)

    @property
    def chronological(self):
        return [row for row in reversed(self.years) if row.year]

    @property
    def year_choices(self):
        return [row.year for row in self.years if row.year]

    @property
    def top_buyers(self):
        """The year's largest buyers by amount notified (``by_buyer`` is in that order)."""
        return self.by_buyer[:BUYERS_SHOWN]

    @property
    def other_buyers(self):
        """The other buyers of the year added up in one row, or None when all are shown."""
        others = self.by_buyer[BUYERS_SHOWN:]
        if not others:
            return None
        return ShareRow(
            buyer_siret="",
            buyer_name=f"Les {len(others)} autres acheteurs",
            year=self.year,
            count=sum(row.count for row in others),
            amount=sum((row.amount for row in others), Decimal(0)),
            social_count=sum(row.social_count for row in others),
            social_amount=sum((row.social_amount for row in others), Decimal(0)),
        )

    def until_year(self):
        """The same report without the years after the chosen one (a yearly PDF stops at its year)."""
        if not self.year:
            return self
        return replace(self, years=[row for row in self.years if row.year and row.year <= self.year])

    def chart(self, width=640):
        """Columns: the share in number per year; the line: the target."""
        rows = self.chronological
        return charts.column_chart(
            [(str(row.year), row.count_share or Decimal(0)) for row in rows],
            title=CHART_TITLE,
            unit="%",
            width=width,
            reference=[self.target for _ in rows],
            series_label="Part en nombre",
            reference_label=f"Objectif PNAD ({charts.french_number(self.target)} %)",
        )


def default_year(known):
    """The last complete year when contracts were notified in it (a yearly return is about a year
    that is over), else the latest year with notified contracts."""
    previous = today().year - 1
    if previous in known:
        return previous
    return known[0] if known else None


def build(year=None, buyer_siret="", buyer_label=""):
    """The report of ``year`` (default: ``default_year``)."""
    rows = returns(buyer_siret)
    known = [row.year for row in rows if row.year]
    if year is None:
        year = default_year(known)
    by_buyer = []
    if year and not buyer_siret:
        by_buyer = shares_by_buyer_and_year(Filters(year=year))
    return PnadReport(
        buyer_siret=buyer_siret,
        buyer_label=buyer_label or buyer_siret or "Tous les acheteurs",
        year=year,
        years=rows,
        by_buyer=by_buyer,
    )
