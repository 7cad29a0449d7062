"""What the DECP says against what Clausier follows, and the PNAD share (integrations.md,
"What the Département must publish").

- « À suivre »: contracts published with a social consideration that Clausier does not follow
  (still to review, or dismissed);
- « À corriger avec l'acheteur »: contracts Clausier follows whose published record says « Pas de
  considération sociale » (« Sans objet » in older data);
- per buyer and per year: the contracts notified, those with a social consideration, their share
  in number and in amount, against the PNAD target (a setting, 30 % by default).

Everything is computed by the database (filters and aggregates): a fixed number of queries
whatever the number of contracts. The DECP is public data, with no personal data: department
readers read it all.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, Exists, Max, OuterRef, Q, Sum, Value
from django.db.models.functions import Coalesce, ExtractYear

from clauses.models import Clause
from partners.tabular import RATE_FORMAT, Table

from .models import LEGACY_NONE, NONE, PublishedContract
from .pnad_rules import reaches_target, share

MONEY = DecimalField(max_digits=18, decimal_places=2)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    buyer_siret: str = ""

    def apply(self, contracts):
        if self.year:
            contracts = contracts.notified_in(self.year)
        if self.buyer_siret:
            contracts = contracts.filter(buyer_siret=self.buyer_siret)
        return contracts


def says_no_social_consideration():
    """The records that say « none » (and nothing else): in SQL, as ``says_no_social_consideration``."""
    return (Q(social_considerations__contains=NONE) | Q(social_considerations__contains=LEGACY_NONE)) & Q(
        has_social_consideration=False
    )


def to_follow(filters=Filters()):
    """(a) Published with a social consideration, not followed in Clausier."""
    contracts = PublishedContract.objects.with_social_consideration().filter(
        review_status__in=[PublishedContract.ReviewStatus.NEW, PublishedContract.ReviewStatus.DISMISSED]
    )
    return filters.apply(contracts).order_by("-notification_date", "uid")


def to_correct(filters=Filters()):
    """(b) Followed in Clausier, published as without any social consideration; ``has_clause``:
    whether the linked lot (or a lot of the linked contract) has an insertion clause."""
    clause_of_lot = Clause.objects.filter(lot=OuterRef("lot"))
    clause_of_contract = Clause.objects.filter(lot__contract=OuterRef("contract"))
    contracts = (
        PublishedContract.objects.followed()
        .filter(says_no_social_consideration())
        .select_related("contract", "lot")
        .annotate(has_clause=Exists(clause_of_lot) | Exists(clause_of_contract))
    )
    return filters.apply(contracts).order_by("-notification_date", "uid")


def pnad_target():
    """The PNAD target in %, a setting (30 by default)."""
    return Decimal(settings.CLAUSIER["PNAD_TARGET"])


@dataclass(frozen=True)
class ShareRow:
    """The PNAD figures of a buyer (or of everybody) in a year (or over the years chosen)."""

    buyer_siret: str
    buyer_name: str
    year: int | None
    count: int
    amount: Decimal
    social_count: int
    social_amount: Decimal

    @property
    def count_share(self):
        return share(self.social_count, self.count)

    @property
    def amount_share(self):
        return share(self.social_amount, self.amount)

    @property
    def reaches_target(self):
        return reaches_target(self.count_share, pnad_target())


def _figures():
    social = Q(has_social_consideration=True)
    return {
        "contract_count": Count("pk"),
        "total_amount": Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY),
        "social_count": Count("pk", filter=social),
        "social_total": Coalesce(Sum("amount", filter=social), Value(ZERO), output_field=MONEY),
    }


def shares_by_buyer_and_year(filters=Filters()):
    """(c) One row per buyer and year of notification, largest buyers first: one query."""
    rows = (
        filters.apply(PublishedContract.objects.all())
        .annotate(year=ExtractYear("notification_date"))
        .order_by()
        .values("buyer_siret", "year")
        .annotate(buyer_name=Max("buyer_name"), **_figures())
        .order_by("-year", "-total_amount", "buyer_siret")
    )
    return [
        ShareRow(
            buyer_siret=row["buyer_siret"],
            buyer_name=row["buyer_name"] or row["buyer_siret"],
            year=row["year"],
            count=row["contract_count"],
            amount=row["total_amount"],
            social_count=row["social_count"],
            social_amount=row["social_total"],
        )
        for row in rows
    ]


def shares_by_year(filters=Filters()):
    """(c) One row per year for everybody (or the buyer chosen): one query."""
    rows = (
        filters.apply(PublishedContract.objects.all())
        .annotate(year=ExtractYear("notification_date"))
        .order_by()
        .values("year")
        .annotate(**_figures())
        .order_by("-year")
    )
    label = "Tous les acheteurs" if not filters.buyer_siret else ""
    return [
        ShareRow(
            buyer_siret=filters.buyer_siret,
            buyer_name=label,
            year=row["year"],
            count=row["contract_count"],
            amount=row["total_amount"],
            social_count=row["social_count"],
            social_amount=row["social_total"],
        )
        for row in rows
    ]


def years():
    """The years with notified contracts, latest first (for the filter)."""
    dates = PublishedContract.objects.dates("notification_date", "year", order="DESC")
    return [day.year for day in dates]


def buyers():
    """(SIRET, name) of every buyer with published contracts, by name (for the filter)."""
    rows = (
        PublishedContract.objects.order_by()
        .values("buyer_siret")
        .annotate(name=Max("buyer_name"))
        .order_by("name", "buyer_siret")
    )
    return [(row["buyer_siret"], row["name"] or row["buyer_siret"]) for row in rows]


def buyer_name(siret):
    """The buyer's name as published, or None when no contract of this SIRET is known."""
    row = (
        PublishedContract.objects.filter(buyer_siret=siret).order_by().aggregate(name=Max("buyer_name"), n=Count("pk"))
    )
    if not row["n"]:
        return None
    return row["name"] or siret


@dataclass
class Reconciliation:
    filters: Filters
    to_follow: list
    to_correct: list
    by_year: list
    by_buyer: list
    target: Decimal = field(default_factory=pnad_target)


def reconcile(filters=Filters(), limit=None):
    """Everything the page shows: 4 queries (the two lists are cut at ``limit`` rows each)."""
    follow, correct = to_follow(filters), to_correct(filters)
    if limit is not None:
        follow, correct = follow[:limit], correct[:limit]
    return Reconciliation(
        filters=filters,
        to_follow=list(follow),
        to_correct=list(correct),
        by_year=shares_by_year(filters),
        by_buyer=shares_by_buyer_and_year(filters),
    )


def counts(filters=Filters()):
    """How many rows each list has in all (the page shows the first ones): one query."""
    social_open = Q(has_social_consideration=True) & Q(
        review_status__in=[PublishedContract.ReviewStatus.NEW, PublishedContract.ReviewStatus.DISMISSED]
    )
    followed = Q(review_status__in=[PublishedContract.ReviewStatus.ACCEPTED, PublishedContract.ReviewStatus.MERGED])
    return filters.apply(PublishedContract.objects.all()).aggregate(
        to_follow=Count("pk", filter=social_open),
        to_correct=Count("pk", filter=followed & says_no_social_consideration()),
    )


# Exports -----------------------------------------------------------------------------------

SHARE_HEADERS = [
    "Acheteur",
    "SIRET de l'acheteur",
    "Année de notification",
    "Marchés notifiés",
    "Montant notifié (€ HT)",
    "Marchés avec considération sociale",
    "Montant avec considération sociale (€ HT)",
    "Part en nombre (%)",
    "Part en montant (%)",
    "Objectif PNAD (%)",
    "Objectif atteint (en nombre)",
]
CONTRACT_HEADERS = [
    "Identifiant national",
    "Acheteur",
    "SIRET de l'acheteur",
    "Objet",
    "Code CPV",
    "Notification",
    "Durée (mois)",
    "Montant HT (€)",
    "Considérations sociales",
    "Titulaires",
    "Décision",
]


def share_cells(row):
    return [
        row.buyer_name,
        row.buyer_siret,
        row.year,
        row.count,
        row.amount,
        row.social_count,
        row.social_amount,
        row.count_share,
        row.amount_share,
        pnad_target(),
        row.reaches_target,
    ]


def _contract_cells(contract):
    holders = ", ".join(holder.name or holder.identifier for holder in contract.holders.all())
    return [
        contract.uid,
        contract.buyer_name,
        contract.buyer_siret,
        contract.subject,
        contract.cpv_code,
        contract.notification_date,
        contract.duration_months,
        contract.amount,
        ", ".join(contract.considerations),
        holders,
        contract.get_review_status_display(),
    ]


def _suffix(filters):
    parts = []
    if filters.year:
        parts.append(str(filters.year))
    if filters.buyer_siret:
        parts.append(f"acheteur {filters.buyer_siret}")
    return f" ({', '.join(parts)})" if parts else ""


def export_table(name, filters=Filters()):
    """The table of one export, built whole before anything is written (all or nothing)."""

    if name == "par-acheteur":
        table = Table(name, "Part des marchés avec considération sociale" + _suffix(filters), SHARE_HEADERS)
        table.rows = [share_cells(row) for row in shares_by_buyer_and_year(filters)]
        table.formats = {7: RATE_FORMAT, 8: RATE_FORMAT, 9: RATE_FORMAT}
        return table
    if name == "a-suivre":
        contracts = to_follow(filters).prefetch_related("holders")
        title = "Marchés avec considération sociale à suivre"
    elif name == "a-corriger":
        contracts = to_correct(filters).prefetch_related("holders")
        title = "Marchés suivis publiés sans considération sociale"
    else:
        raise KeyError(name)
    table = Table(name, title + _suffix(filters), CONTRACT_HEADERS)
    table.rows = [_contract_cells(contract) for contract in contracts]
    return table


EXPORTS = {
    "par-acheteur": "Part des marchés avec considération sociale, par acheteur et par année",
    "a-suivre": "Marchés avec considération sociale à suivre",
    "a-corriger": "Marchés suivis publiés sans considération sociale (à corriger avec l'acheteur)",
}
