"""The candidates of the facilitator's review (``review_services``): the followed lots a published contract may be.

Read in bounded queries whatever the number of published contracts on the page: the lots the user
may see whose buyer (SIRET or SIREN) or holder (SIRET) is one of the page's, in one query, and their
holders in one more; ``matching`` scores them in Python.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from clauses.models import Lot, LotAward

from . import matching
from .models import PublishedContract

CANDIDATES_SHOWN = 3
# Lots started this long before the earliest notification of the page (or after the latest) are
# not read: a contract is notified before it starts, rarely years before.
CANDIDATE_WINDOW = timedelta(days=3 * 365)


# Candidates --------------------------------------------------------------------------------


def _holders_of(published):
    return frozenset(
        matching.normalise_siret(holder.identifier)
        for holder in published.holders.all()
        if holder.identifier_type.upper() == "SIRET" or len(matching.normalise_siret(holder.identifier)) == 14
    )


def _as_published(published):
    return matching.Published(
        buyer_siret=published.buyer_siret,
        subject=published.subject,
        amount=published.amount,
        notification_date=published.notification_date,
        holder_sirets=_holders_of(published),
        decp_id=published.decp_id,
    )


def candidate_lots(user, published_list):
    """The lots the user may see that share a buyer or a holder with one of ``published_list``
    (``holders`` prefetched), with their contract's total amount and number of lots: two queries."""
    buyers = {matching.normalise_siret(p.buyer_siret) for p in published_list} - {""}
    holders = set().union(*(_holders_of(p) for p in published_list)) if published_list else set()
    if not buyers and not holders:
        return []
    dates = [p.notification_date for p in published_list if p.notification_date]
    condition = Q(contract__operation__buyer__siret__in=buyers) | Q(
        contract__operation__buyer__siren__in={siret[:9] for siret in buyers}
    )
    if holders:
        holder_lots = LotAward.objects.filter(role=LotAward.Role.HOLDER, company__siret__in=holders).values("lot")
        condition |= Q(pk__in=holder_lots)
    contract_total = (
        Lot.objects.filter(contract=OuterRef("contract"))
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount_excl_tax"))
        .values("total")
    )
    lot_count = (
        Lot.objects.filter(contract=OuterRef("contract"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    money = DecimalField(max_digits=16, decimal_places=2)
    lots = (
        Lot.objects.for_user(user)
        .filter(condition)
        .select_related("contract__operation__buyer")
        .annotate(
            contract_total=Coalesce(Subquery(contract_total, output_field=money), Decimal(0), output_field=money),
            contract_lot_count=Subquery(lot_count),
        )
    )
    if dates:
        lots = lots.filter(start_date__gte=min(dates) - CANDIDATE_WINDOW, start_date__lte=max(dates) + CANDIDATE_WINDOW)
    holder_awards = LotAward.objects.filter(role=LotAward.Role.HOLDER).select_related("company")
    return list(lots.prefetch_related(Prefetch("awards", queryset=holder_awards, to_attr="holder_awards")))


def lot_label(lot):
    return f"lot {lot.number} « {lot.title} » du marché {lot.contract.reference}"


def contract_label(contract):
    return f"marché {contract.reference} « {contract.title} »"


def _as_followed(lot):
    contract = lot.contract
    return matching.Followed(
        lot_id=lot.pk,
        contract_id=contract.pk,
        buyer_siret=contract.operation.buyer.siret or contract.operation.buyer.siren,
        title=f"{contract.title} {lot.title}",
        lot_amount=lot.amount_excl_tax,
        contract_amount=getattr(lot, "contract_total", None),
        lot_count=getattr(lot, "contract_lot_count", None) or 1,
        notification_date=contract.notification_date,
        start_date=contract.start_date,
        holder_sirets=frozenset(
            matching.normalise_siret(award.company.siret)
            for award in getattr(lot, "holder_awards", [])
            if award.company.siret
        ),
        reference=contract.reference,
        label=lot_label(lot),
        contract_label=contract_label(contract),
    )


@dataclass
class Review:
    """A published contract with its best candidates and what is proposed."""

    published: PublishedContract
    candidates: list
    proposal: matching.Proposal
    lots: dict  # lot id → Lot, for the links of the page


def reviews(user, published_list, limit=CANDIDATES_SHOWN):
    """Each published contract with its best candidates among the lots ``user`` may see."""
    published_list = list(published_list)
    lots = candidate_lots(user, published_list)
    followed = [_as_followed(lot) for lot in lots]
    by_id = {lot.pk: lot for lot in lots}
    result = []
    for published in published_list:
        scores = matching.best_candidates(_as_published(published), followed, limit=limit)
        result.append(Review(published, scores, matching.propose(scores), by_id))
    return result
