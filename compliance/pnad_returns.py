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

from clauses.sourcing_rules import SIAE_KINDS
from partners.models import DISABILITY_STRUCTURE_KINDS, Organisation
from procurement.models import PublishedContract, PublishedHolder
from procurement.pnad_rules import gap_to_target
from procurement.reconciliation import Filters, ShareRow, pnad_target, shares_by_year
from reporting.indicators import yearly

ZERO = Decimal(0)
PURCHASE_KINDS = {
    "siae": Q(structure_kind__in=SIAE_KINDS) | Q(is_siae=True),
    "disability": Q(structure_kind__in=DISABILITY_STRUCTURE_KINDS),
    "ess": Q(is_ess=True),
}


@dataclass(frozen=True)
class PnadYear(ShareRow):
    """The reconciliation's share row of the year (same figures, same rule), with the clauses' hours
    and people and the purchases from inclusive suppliers."""

    hours: Decimal | None = None
    people: int | None = None
    siae_amount: Decimal = ZERO
    disability_amount: Decimal = ZERO
    ess_amount: Decimal = ZERO

    @property
    def gap(self):
        return gap_to_target(self.count_share, pnad_target())


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
    filters = Filters(buyer_siret=buyer_siret)
    shares = shares_by_year(filters)
    if not shares:
        return []
    clauses = {} if buyer_siret else {row.key: row for row in yearly(sorted(row.year for row in shares if row.year))}
    purchases = _purchases(filters)
    result = []
    for row in shares:
        bought, done = purchases.get(row.year, {}), clauses.get(row.year)
        result.append(
            PnadYear(
                **vars(row),
                hours=done.validated if done else None,
                people=done.people if done else None,
                siae_amount=bought.get("siae_amount") or ZERO,
                disability_amount=bought.get("disability_amount") or ZERO,
                ess_amount=bought.get("ess_amount") or ZERO,
            )
        )
    return result
