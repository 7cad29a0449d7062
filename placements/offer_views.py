"""Job offers and the recruitment outlook (candidacies: candidacy_views).

Thin views: the forms (offer_forms) and the read models (offer_list, recruitment_outlook) do the
work. Every object comes through ``for_user`` (outsiders get 404); a write without the right role gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from clauses.access import LOTS
from clauses.models import Lot, Operation
from clauses.permissions import can_edit_operation
from common.dates import today
from common.querystrings import query_without_page

from . import candidacy_flow as flow
from . import offer_list as offer_list_page
from . import recruitment_outlook as outlook_page
from .models import Candidacy, JobOffer
from .offer_forms import JobOfferForm, NewOfferLotForm, OutlookForm
from .permissions import can_answer_candidacies, can_follow_participants, can_see_eligibility, is_employer
from .view_support import PAGE_SIZE, offer_or_404, posted, require_edit

# Offers ------------------------------------------------------------------------------------


def offer_list(request):
    user = request.user
    if not (can_follow_participants(user) or is_employer(user)):
        raise PermissionDenied
    new_offer_form = _new_offer_form(request)
    if new_offer_form is not None and new_offer_form.is_bound and new_offer_form.is_valid():
        return redirect("placements:offer_create", lot_pk=new_offer_form.cleaned_data["lot"].pk)
    visible = JobOffer.objects.for_user(user)
    form = offer_list_page.filter_form(request.GET or None, visible)
    offers = form.filter(visible)
    show_proposed = can_follow_participants(user)
    listed = offer_list_page.listed(offers, show_proposed)
    return render(
        request,
        "placements/offers/offer_list.html",
        {
            "form": form,
            "new_offer_form": new_offer_form,
            "summary": offer_list_page.summary(offers),
            "page": Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query_without_page(request),
            "show_proposed": show_proposed,
            "can_follow": can_follow_participants(user),
        },
    )


def _new_offer_form(request):
    """For facilitators: the choice of a running lot they may edit, to create an offer on it."""
    if not can_follow_participants(request.user):
        return None
    editable = Lot.objects.filter(contract__operation__in=Operation.objects.editable_by(request.user))
    return NewOfferLotForm(request.GET if "lot" in request.GET else None, lots=editable.filter(end_date__gte=today()))


def offer_detail(request, pk):
    offer = offer_or_404(request, pk)
    user = request.user
    candidacies = (
        Candidacy.objects.for_user(user)
        .filter(offer=offer)
        .select_related("participant__commune", "placement")
        .order_by("created_at", "pk")
    )
    show_eligibility = can_see_eligibility(user)
    if show_eligibility:
        candidacies = candidacies.prefetch_related("participant__criteria")
    can_edit = can_edit_operation(user, offer.lot.contract.operation)
    rows = [
        (candidacy, flow.allowed_actions(candidacy.status, flow.FACILITATOR) if can_edit else [])
        for candidacy in candidacies
    ]
    return render(
        request,
        "placements/offers/offer_detail.html",
        {
            "offer": offer,
            "rows": rows,
            "can_edit": can_edit,
            "can_answer": can_answer_candidacies(user) and not can_edit,
            "show_eligibility": show_eligibility,
            "awaiting": flow.AWAITING_ANSWER,
        },
    )


@require_http_methods(["GET", "POST"])
def offer_create(request, lot_pk):
    lot = LOTS.to_change(request, lot_pk, refine=lambda lots: lots.select_related("contract__operation__commune"))
    form = JobOfferForm(posted(request), lot=lot)
    if request.method == "POST" and form.is_valid():
        offer = form.save()
        messages.success(
            request, f"L'offre « {offer.position} » est créée. Proposez-y maintenant des personnes du vivier."
        )
        return redirect("placements:offer_detail", pk=offer.pk)
    return render(request, "placements/offers/offer_form.html", {"form": form, "lot": lot, "offer": None})


@require_http_methods(["GET", "POST"])
def offer_update(request, pk):
    offer = offer_or_404(request, pk)
    require_edit(request, offer.lot)
    form = JobOfferForm(posted(request), instance=offer, lot=offer.lot)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'offre est modifiée.")
        return redirect("placements:offer_detail", pk=offer.pk)
    return render(request, "placements/offers/offer_form.html", {"form": form, "lot": offer.lot, "offer": offer})


# Recruitment outlook -----------------------------------------------------------------------


def recruitment_outlook(request):
    """Lots starting soon, with their hours, holders and open offers; lots started with open offers."""
    if not can_follow_participants(request.user):
        raise PermissionDenied
    form = OutlookForm(request.GET or None)
    context = outlook_page.outlook(request.user, form.months_value(), today())
    return render(request, "placements/offers/outlook.html", {"form": form, **context})
