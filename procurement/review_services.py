"""The facilitator's review of the published contracts: candidates, accept, merge, dismiss, undo.

Candidates are read in bounded queries whatever the number of published contracts on the page:
the lots the user may see whose buyer (SIRET or SIREN) or holder (SIRET) is one of the page's,
in one query, and their holders in one more; ``matching`` scores them in Python. Each decision
is one transaction; django-simple-history keeps every state of the published contract.

The candidates are in ``review_candidates``; their names stay importable from here.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clauses.models import Contract, Lot, LotAward, Operation, Trade, facilitation_bodies_of
from common.text import search_key
from partners import register_checks
from partners.models import Commune, Organisation
from partners.permissions import is_administrator
from partners.routing import facilitation_bodies_for
from partners.tasks import schedule_register_check
from placements.eligibility import add_months

from . import cpv, matching
from .models import SOCIAL_CLAUSE, PublishedContract, PublishedHolder
from .review_candidates import (  # noqa: F401
    CANDIDATE_WINDOW,
    CANDIDATES_SHOWN,
    Review,
    _as_followed,
    _as_published,
    _holders_of,
    candidate_lots,
    contract_label,
    lot_label,
    reviews,
)


class ReviewError(Exception):
    """A decision that cannot be taken (already taken by someone else, target out of reach)."""


# Decisions ---------------------------------------------------------------------------------


def _locked(published):
    """The published contract read again under a lock, to decide on what is really there."""
    return PublishedContract.objects.select_for_update().get(pk=published.pk)


def _decide(published, user, status, **fields):
    published.review_status = status
    published.reviewed_by = user
    published.reviewed_at = timezone.now()
    for name, value in fields.items():
        setattr(published, name, value)
    published.save()
    return published


def _require_new(published):
    if published.review_status != PublishedContract.ReviewStatus.NEW:
        raise ReviewError(
            f"Ce marché a déjà été examiné (« {published.get_review_status_display()} ») : "
            "annulez d'abord la décision pour en prendre une autre."
        )


PROCEDURES = (
    ("ouvert", Contract.Procedure.OPEN),
    ("restreint", Contract.Procedure.RESTRICTED),
    ("adapt", Contract.Procedure.ADAPTED),
    ("dialogue", Contract.Procedure.COMPETITIVE_DIALOGUE),
    ("negoci", Contract.Procedure.NEGOTIATED),
)


def procedure_of(text):
    """The procedure of Clausier from the DECP's wording ("Procédure adaptée" → adapted)."""
    key = search_key(text)
    for word, procedure in PROCEDURES:
        if word in key:
            return procedure
    return Contract.Procedure.OTHER if key else Contract.Procedure.ADAPTED


def commune_of(published):
    """The commune of the execution place (code commune INSEE or postal code); else the
    Département's seat (``DEPARTMENT_SEAT_INSEE``)."""
    code = (published.place_code or "").strip()
    kind = (published.place_code_type or "").casefold()
    commune = None
    by_postal_code = Commune.objects.current().filter(postal_codes__contains=code).order_by("-population")
    if code.isdigit() or (len(code) == 5 and code[:2].upper() in ("2A", "2B")):
        if "postal" in kind:
            commune = by_postal_code.first()
        elif "commune" in kind or "insee" in kind:
            commune = Commune.objects.filter(insee_code=code).first()
        elif len(code) == 5:
            commune = Commune.objects.filter(insee_code=code).first() or by_postal_code.first()
    # A commune that merged since: the commune nouvelle, the one the form offers.
    commune = commune.in_force() if commune else None
    return commune or Commune.objects.filter(insee_code=settings.CLAUSIER["DEPARTMENT_SEAT_INSEE"]).first()


def trade_of(published):
    name = cpv.trade_name_for(published.cpv_code)
    return Trade.objects.filter(name=name).first() if name else None


def end_date_of(start, duration_months):
    """The last day of a contract of ``duration_months`` starting on ``start`` (one day when unknown)."""
    if not duration_months:
        return start
    return add_months(start, duration_months) - timedelta(days=1)


def proposed_values(published):
    """What the confirmation form shows before anything is created."""
    trade = trade_of(published)
    start = published.notification_date
    return {
        "operation_title": published.subject[:250],
        "contract_title": published.subject[:250],
        "reference": published.decp_id[:60],
        "commune": commune_of(published),
        "trade": trade,
        "sector": cpv.sector_for(published.cpv_code, trade.sector if trade else None),
        "notification_date": published.notification_date,
        "start_date": start,
        "end_date": end_date_of(start, published.duration_months),
    }


def buyer_organisation(published):
    """The buyer: the organisation already linked, or found by SIRET, or the body with this SIREN
    (the Département is known by its SIREN); else a new contracting authority named as in the DECP."""
    if published.buyer_id:
        return published.buyer
    siret = matching.normalise_siret(published.buyer_siret)
    buyer_kinds = [Organisation.Kind.DEPARTMENT, Organisation.Kind.CONTRACTING_AUTHORITY]
    found = Organisation.objects.filter(siret=siret, kind__in=buyer_kinds).first()
    if found is None and len(siret) >= 9:
        found = Organisation.objects.filter(siren=siret[:9], kind__in=buyer_kinds).order_by("pk").first()
    if found is None:
        if Organisation.objects.filter(siret=siret).exists():
            raise ReviewError(
                f"Le SIRET de l'acheteur ({siret}) est celui d'une organisation de l'annuaire qui n'est pas "
                "un donneur d'ordre : corrigez son type dans l'annuaire."
            )
        found = Organisation.objects.create(
            name=(published.buyer_name or f"Acheteur {siret}")[:200],
            kind=Organisation.Kind.CONTRACTING_AUTHORITY,
            siret=siret if len(siret) == 14 else "",
        )
        schedule_register_check([found.pk])
    return found


def holder_organisation(holder):
    """The holder's company: linked, or found by SIRET, or created (kind company, name, SIRET)."""
    if holder.organisation_id:
        return holder.organisation
    siret = matching.normalise_siret(holder.identifier)
    if len(siret) != 14:
        return None
    found = Organisation.objects.filter(siret=siret).first()
    if found is None:
        found = Organisation.objects.create(
            name=(holder.name or f"Entreprise {siret}")[:200], kind=Organisation.Kind.COMPANY, siret=siret
        )
        register_checks.record_known_entry(found)
        schedule_register_check([found.pk])
    elif found.kind not in (Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE):
        return None
    return found


def facilitation_body_for(user, buyer, commune):
    """The user's own body (the one the coverage rules give, when they have several); for an
    administrator without one, the body the coverage rules give, else the Département."""
    own = facilitation_bodies_of(user)
    routed = facilitation_bodies_for(buyer, commune)
    if own:
        chosen = next((body for body in routed if body.pk in own), None)
        return chosen or Organisation.objects.get(pk=own[0])
    if is_administrator(user):
        return routed[0] if routed else Organisation.objects.department().first()
    raise ReviewError("Vous ne suivez les marchés d'aucune structure d'animation.")


@dataclass
class Accepted:
    operation: Operation
    contract: Contract
    lot: Lot
    holders: list
    needs_clause: bool


@transaction.atomic
def accept(published, user, values):
    """Create the operation, contract and lot of a published contract (with its holders) and link
    them, all or nothing. ``values``: the confirmation form's cleaned data (``proposed_values``)."""
    published = _locked(published)
    _require_new(published)
    buyer = buyer_organisation(published)
    commune = values["commune"]
    operation = Operation.objects.create(
        buyer=buyer,
        title=values["operation_title"],
        commune=commune,
        start_date=values["start_date"],
        end_date=values["end_date"],
        facilitation_body=facilitation_body_for(user, buyer, commune),
        description=f"Créée depuis les données essentielles de la commande publique (DECP), marché {published.uid}.",
    )
    contract = Contract.objects.create(
        operation=operation,
        reference=values["reference"],
        title=values["contract_title"],
        procedure=procedure_of(published.procedure),
        is_purchase_order_framework="bons de commande" in published.execution_terms.casefold(),
        notification_date=values["notification_date"],
        start_date=values["start_date"],
        end_date=values["end_date"],
    )
    trade = values.get("trade")
    lot = Lot.objects.create(
        contract=contract,
        number="1",
        title=values["contract_title"],
        trade=trade,
        sector=values.get("sector") or cpv.sector_for(published.cpv_code, trade.sector if trade else None),
        amount_excl_tax=published.amount,
        start_date=values["start_date"],
        end_date=values["end_date"],
    )
    holders = []
    for holder in published.holders.select_related("organisation"):
        company = holder_organisation(holder)
        if company is None or any(company.pk == known.pk for known in holders):
            continue
        LotAward.objects.create(lot=lot, company=company, role=LotAward.Role.HOLDER)
        if holder.organisation_id != company.pk:
            PublishedHolder.objects.filter(pk=holder.pk).update(organisation=company)
        holders.append(company)
    _decide(published, user, PublishedContract.ReviewStatus.ACCEPTED, contract=contract, lot=lot, buyer=buyer)
    return Accepted(operation, contract, lot, holders, needs_clause=SOCIAL_CLAUSE in published.considerations)


@transaction.atomic
def merge(published, user, contract, lot=None):
    """Link a published contract to a contract (and lot) already followed."""
    published = _locked(published)
    _require_new(published)
    if lot is not None and lot.contract_id != contract.pk:
        raise ReviewError("Ce lot n'est pas un lot de ce marché.")
    return _decide(
        published,
        user,
        PublishedContract.ReviewStatus.MERGED,
        contract=contract,
        lot=lot,
        buyer=published.buyer or contract.operation.buyer,
    )


@transaction.atomic
def dismiss(published, user, reason, note=""):
    published = _locked(published)
    _require_new(published)
    return _decide(published, user, PublishedContract.ReviewStatus.DISMISSED, dismissal_reason=reason, review_note=note)


@transaction.atomic
def undo(published, user):
    """Back to « À examiner ». What an acceptance created stays in Clausier (placements may hang on it)."""
    published = _locked(published)
    if published.review_status == PublishedContract.ReviewStatus.NEW:
        raise ReviewError("Ce marché est déjà à examiner.")
    return _decide(
        published,
        user,
        PublishedContract.ReviewStatus.NEW,
        contract=None,
        lot=None,
        dismissal_reason="",
        review_note="",
    )
