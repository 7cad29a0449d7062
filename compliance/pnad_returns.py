"""The PNAD and SPASER returns of a year (issue 18): one computation for the page (and later the
PDF and the XLSX).

Per year, for the whole territory (or one buyer SIRET):
- PNAD: contracts notified (DECP) in number and amount, those with at least one social
  consideration, their share against the target (``procurement.reconciliation.shares_by_year``,
  the same rule as the reconciliation page);
- hours and people from clauses: the validated hours and the people with validated hours of the
  year, as the impact indicators give them (``reporting.indicators.yearly``), territory only;
- purchases from SIAE, EA/ESAT and ESS: the DECP contracts notified in the year of which at least
  one holder's SIRET is an organisation of the directory that is an inclusion structure of that
  kind (or flagged ``is_siae`` / ``is_ess`` by Sirene), at the contract's whole amount. A contract
  counts once per kind (never twice in a kind even with two such holders); the kinds are not added
  together (a contract may be both SIAE and ESS).
Queries: 1 (shares) + 3 (hours, territory only) + 1 (purchases) = 5, whatever the data.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import ExtractYear

from partners.models import DISABILITY_STRUCTURE_KINDS, Organisation
from procurement.models import PublishedContract, PublishedHolder
from procurement.pnad_rules import gap_to_target, reaches_target, share
from procurement.reconciliation import Filters, pnad_target, shares_by_year
from reporting.indicators import yearly

ZERO = Decimal(0)
SIAE_KINDS = frozenset(
    {
        Organisation.StructureKind.ACI,
        Organisation.StructureKind.AI,
        Organisation.StructureKind.EI,
        Organisation.StructureKind.ETTI,
        Organisation.StructureKind.EITI,
    }
)
PURCHASE_KINDS = {
    "siae": Q(structure_kind__in=SIAE_KINDS) | Q(is_siae=True),
    "disability": Q(structure_kind__in=DISABILITY_STRUCTURE_KINDS),
    "ess": Q(is_ess=True),
}


@dataclass
class PnadYear:
    year: int
    target: Decimal
    count: int = 0
    amount: Decimal = ZERO
    social_count: int = 0
    social_amount: Decimal = ZERO
    hours: Decimal | None = None
    people: int | None = None
    siae_amount: Decimal = ZERO
    disability_amount: Decimal = ZERO
    ess_amount: Decimal = ZERO

    @property
    def count_share(self):
        return share(self.social_count, self.count)

    @property
    def amount_share(self):
        return share(self.social_amount, self.amount)

    @property
    def reaches_target(self):
        return reaches_target(self.count_share, self.target)

    @property
    def gap(self):
        return gap_to_target(self.count_share, self.target)


def _holder_of_kind(condition):
    organisations = Organisation.objects.filter(condition).exclude(siret="")
    return Exists(
        PublishedHolder.objects.filter(published_contract=OuterRef("pk"), identifier__in=organisations.values("siret"))
    )


def _purchases(filters):
    contracts = filters.apply(PublishedContract.objects.all()).annotate(
        year=ExtractYear("notification_date"), **{f"is_{k}": _holder_of_kind(q) for k, q in PURCHASE_KINDS.items()}
    )
    rows = (
        contracts.order_by()
        .values("year")
        .annotate(
            n=Count("pk"), **{f"{k}_amount": Sum("amount", filter=Q(**{f"is_{k}": True})) for k in PURCHASE_KINDS}
        )
    )
    return {row["year"]: row for row in rows}


def returns(buyer_siret=""):
    """The PNAD/SPASER figures of every year with notified contracts, latest first."""
    target = pnad_target()
    filters = Filters(buyer_siret=buyer_siret)
    years = {
        row.year: PnadYear(
            year=row.year,
            target=target,
            count=row.count,
            amount=row.amount,
            social_count=row.social_count,
            social_amount=row.social_amount,
        )
        for row in shares_by_year(filters)
    }
    if not years:
        return []
    if not buyer_siret:
        for row in yearly(sorted(years)):
            years[row.key].hours, years[row.key].people = row.validated, row.people
    for year, row in _purchases(filters).items():
        figures = years[year]
        figures.siae_amount = row["siae_amount"] or ZERO
        figures.disability_amount = row["disability_amount"] or ZERO
        figures.ess_amount = row["ess_amount"] or ZERO
    return sorted(years.values(), key=lambda row: -row.year)
