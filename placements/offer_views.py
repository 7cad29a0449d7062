"""Job offers, pre-selection of candidates, the employer's answers in the portal, the recruitment outlook.

Thin views: the forms (offer_forms) and the pure rules (candidacy_flow) do the work. Every object
comes through ``for_user`` (outsiders get 404); a write without the right role gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Prefetch, Q, Sum, Value, When
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from clauses.models import Lot, Operation
from clauses.permissions import can_edit_operation
from common.dates import today
from common.querystrings import query_without_page
from partners.models import Organisation

from . import candidacy_flow as flow
from .eligibility import add_months
from .models import Candidacy, EligibilityCriterion, JobOffer, Participant
from .offer_forms import (
    CandidacyActionForm,
    CandidacyAnswerForm,
    JobOfferForm,
    NewOfferLotForm,
    OfferFilterForm,
    OutlookForm,
    ProposeForm,
)
from .permissions import can_answer_candidacies, can_follow_participants, can_see_eligibility, is_employer

PAGE_SIZE = 50
POOL_DISPLAY_LIMIT = 100

ACTION_MESSAGES = {
    flow.SEND: "La candidature de {person} est transmise à {employer}.",
    flow.SCHEDULE_INTERVIEW: "L'entretien de {person} est enregistré.",
    flow.HIRE: "L'embauche de {person} est enregistrée : créez maintenant sa mise à l'emploi.",
    flow.REFUSE: "Le refus de la candidature de {person} est enregistré.",
    flow.WITHDRAW: "La candidature de {person} est retirée.",
}
ANSWER_MESSAGES = {
    flow.SCHEDULE_INTERVIEW: "Merci : l'entretien avec {person} le {day:%d/%m/%Y} est enregistré.",
    flow.HIRE: "Merci : l'embauche de {person} est enregistrée. Le facilitateur prendra contact pour la suite.",
    flow.REFUSE: "Merci : votre réponse pour {person} est enregistrée.",
}


def _posted(request):
    """The submitted data on POST (even when empty, so that an empty form shows its errors), else None."""
    return request.POST if request.method == "POST" else None


def _offers(user):
    return JobOffer.objects.for_user(user).select_related(
        "employer", "place", "lot__contract__operation__buyer", "lot__contract__operation__facilitation_body"
    )


def _offer(request, pk):
    return get_object_or_404(_offers(request.user), pk=pk)


def _require_edit(request, lot):
    if not can_edit_operation(request.user, lot.contract.operation):
        raise PermissionDenied


# Offers ------------------------------------------------------------------------------------


def offer_list(request):
    user = request.user
    if not (can_follow_participants(user) or is_employer(user)):
        raise PermissionDenied
    new_offer_form = None
    if can_follow_participants(user):
        editable = Lot.objects.filter(contract__operation__in=Operation.objects.editable_by(user))
        new_offer_form = NewOfferLotForm(
            request.GET if "lot" in request.GET else None, lots=editable.filter(end_date__gte=today())
        )
        if new_offer_form.is_bound and new_offer_form.is_valid():
            return redirect("placements:offer_create", lot_pk=new_offer_form.cleaned_data["lot"].pk)
    visible = JobOffer.objects.for_user(user)
    form = OfferFilterForm(
        request.GET or None,
        employers=Organisation.objects.filter(pk__in=visible.values("employer")).order_by("name"),
        buyers=Organisation.objects.filter(pk__in=visible.values("lot__contract__operation__buyer")).order_by("name"),
        months=list(visible.dates("start_date", "month")),
    )
    offers = form.filter(visible)
    summary = offers.aggregate(
        open=Count("pk", filter=Q(status=JobOffer.Status.OPEN)),
        filled=Count("pk", filter=Q(status=JobOffer.Status.FILLED)),
        cancelled=Count("pk", filter=Q(status=JobOffer.Status.CANCELLED)),
        open_positions=Sum("positions", filter=Q(status=JobOffer.Status.OPEN)),
    )
    counts = {
        "awaiting_count": Count("candidacies", filter=Q(candidacies__status__in=flow.AWAITING_ANSWER)),
        "hired_count": Count("candidacies", filter=Q(candidacies__status=flow.HIRED)),
    }
    show_proposed = can_follow_participants(user)
    if show_proposed:  # employers never learn of candidacies still being prepared
        counts["proposed_count"] = Count("candidacies", filter=Q(candidacies__status=flow.PROPOSED))
    offers = (
        offers.select_related("employer", "place", "lot__contract__operation__buyer")
        .annotate(**counts, open_first=Case(When(status=JobOffer.Status.OPEN, then=0), default=1))
        .order_by("open_first", "start_date", "pk")
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/offers/offer_list.html",
        {
            "form": form,
            "new_offer_form": new_offer_form,
            "page": page,
            "query": query_without_page(request),
            "summary": summary,
            "show_proposed": show_proposed,
            "can_follow": can_follow_participants(user),
        },
    )


def offer_detail(request, pk):
    offer = _offer(request, pk)
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
    lot = get_object_or_404(
        Lot.objects.for_user(request.user).select_related("contract__operation__commune"), pk=lot_pk
    )
    _require_edit(request, lot)
    form = JobOfferForm(_posted(request), lot=lot)
    if request.method == "POST" and form.is_valid():
        offer = form.save()
        messages.success(
            request, f"L'offre « {offer.position} » est créée. Proposez-y maintenant des personnes du vivier."
        )
        return redirect("placements:offer_detail", pk=offer.pk)
    return render(request, "placements/offers/offer_form.html", {"form": form, "lot": lot, "offer": None})


@require_http_methods(["GET", "POST"])
def offer_update(request, pk):
    offer = _offer(request, pk)
    _require_edit(request, offer.lot)
    form = JobOfferForm(_posted(request), instance=offer, lot=offer.lot)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'offre est modifiée.")
        return redirect("placements:offer_detail", pk=offer.pk)
    return render(request, "placements/offers/offer_form.html", {"form": form, "lot": offer.lot, "offer": offer})


# Pre-selection and the facilitator's actions ----------------------------------------------


def _candidate_pool(user, on):
    """Eligible people available on ``on``, RSA beneficiaries first (at entry or by criterion)."""
    rsa_criterion = EligibilityCriterion.objects.filter(participant=OuterRef("pk"), criterion="RSA")
    return (
        Participant.objects.for_user(user)
        .available(on)
        .annotate(has_rsa_criterion=Exists(rsa_criterion))
        .annotate(
            rsa_first=Case(
                When(Q(rsa_at_entry=True) | Q(has_rsa_criterion=True), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-rsa_first", "last_name", "first_name", "pk")
    )


@require_http_methods(["GET", "POST"])
def candidacy_propose(request, pk):
    offer = _offer(request, pk)
    _require_edit(request, offer.lot)
    pool = _candidate_pool(request.user, today())
    already_proposed = set(offer.candidacies.values_list("participant_id", flat=True))
    form = ProposeForm(_posted(request), offer=offer, candidates=pool, already_proposed=already_proposed)
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["participants"])
        with transaction.atomic():
            for participant in chosen:
                Candidacy.objects.create(offer=offer, participant=participant, proposed_by=request.user)
        count = len(chosen)
        messages.success(
            request,
            f"{count} personne{'s' if count > 1 else ''} proposée{'s' if count > 1 else ''} : "
            "transmettez leur candidature à l'employeur quand elle est prête.",
        )
        return redirect("placements:offer_detail", pk=offer.pk)
    search = request.GET.get("q", "").strip()
    shown = pool
    if search:
        shown = shown.filter(Q(last_name__icontains=search) | Q(first_name__icontains=search))
    shown = list(
        shown.select_related("commune").prefetch_related("wished_trades", "criteria")[: POOL_DISPLAY_LIMIT + 1]
    )
    checked = {str(value) for value in (form["participants"].value() or [])}
    return render(
        request,
        "placements/offers/candidacy_propose.html",
        {
            "offer": offer,
            "form": form,
            "candidates": [
                (person, person.pk in already_proposed, str(person.pk) in checked)
                for person in shown[:POOL_DISPLAY_LIMIT]
            ],
            "truncated": len(shown) > POOL_DISPLAY_LIMIT,
            "search": search,
            "show_eligibility": can_see_eligibility(request.user),
        },
    )


def _candidacy(request, pk):
    candidacies = Candidacy.objects.for_user(request.user).select_related(
        "participant__commune", "offer__employer", "offer__place", "offer__lot__contract__operation"
    )
    return get_object_or_404(candidacies, pk=pk)


def _status_history(candidacy):
    """The status changes of a candidacy, oldest first, with who made them."""
    changes, previous = [], None
    for record in candidacy.history.select_related("history_user").order_by("history_date", "history_id"):
        if record.status != previous:
            changes.append(record)
            previous = record.status
    return changes


@require_http_methods(["GET", "POST"])
def candidacy_update(request, pk):
    candidacy = _candidacy(request, pk)
    _require_edit(request, candidacy.offer.lot)
    form = CandidacyActionForm(_posted(request), candidacy=candidacy)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        form.save()
        messages.success(
            request,
            ACTION_MESSAGES[action].format(person=candidacy.participant, employer=candidacy.offer.employer.name),
        )
        return redirect("placements:offer_detail", pk=candidacy.offer_id)
    return render(
        request,
        "placements/offers/candidacy_update.html",
        {"candidacy": candidacy, "offer": candidacy.offer, "form": form, "history": _status_history(candidacy)},
    )


# The employer's portal ---------------------------------------------------------------------


def employer_candidacies(request):
    user = request.user
    if not (is_employer(user) or can_follow_participants(user)):
        raise PermissionDenied
    visible = Candidacy.objects.for_user(user)
    show_all = request.GET.get("vue") == "toutes"
    awaiting = visible.filter(status__in=flow.AWAITING_ANSWER)
    candidacies = (visible if show_all else awaiting).select_related(
        "participant__commune", "offer__employer", "offer__place", "offer__lot"
    )
    candidacies = candidacies.prefetch_related("participant__wished_trades").order_by(
        "offer__start_date", "offer_id", "participant__last_name", "participant__first_name", "pk"
    )
    page = Paginator(candidacies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/portal/candidacy_list.html",
        {
            "page": page,
            "query": query_without_page(request),
            "show_all": show_all,
            "awaiting_count": awaiting.count(),
            "awaiting": flow.AWAITING_ANSWER,
            "can_answer": can_answer_candidacies(user),
            "can_follow": can_follow_participants(user),
        },
    )


@require_http_methods(["GET", "POST"])
def employer_candidacy_answer(request, pk):
    candidacy = _candidacy(request, pk)
    if not can_answer_candidacies(request.user):
        raise PermissionDenied
    form = CandidacyAnswerForm(_posted(request), candidacy=candidacy)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        form.save()
        messages.success(
            request, ANSWER_MESSAGES[action].format(person=candidacy.participant, day=candidacy.interview_date)
        )
        return redirect("placements:employer_candidacies")
    return render(
        request,
        "placements/portal/candidacy_answer.html",
        {
            "candidacy": candidacy,
            "participant": candidacy.participant,
            "offer": candidacy.offer,
            "form": form,
        },
    )


# Recruitment outlook -----------------------------------------------------------------------


def recruitment_outlook(request):
    """Lots starting soon, with their hours, holders and open offers; lots started with open offers."""
    user = request.user
    if not can_follow_participants(user):
        raise PermissionDenied
    form = OutlookForm(request.GET or None)
    months = form.months_value()
    on = today()
    until = add_months(on, months)
    open_offers = (
        JobOffer.objects.for_user(user)
        .open()
        .select_related("employer")
        .annotate(
            candidacy_count=Count("candidacies", filter=~Q(candidacies__status=flow.WITHDRAWN)),
            hired_count=Count("candidacies", filter=Q(candidacies__status=flow.HIRED)),
        )
        .order_by("start_date", "pk")
    )
    lots = list(
        Lot.objects.for_user(user)
        .with_progress_data()
        .filter(clause__isnull=False)
        .annotate(has_open_offer=Exists(JobOffer.objects.open().filter(lot=OuterRef("pk"))))
        .filter(
            Q(start_date__gt=on, start_date__lte=until) | Q(start_date__lte=on, end_date__gte=on, has_open_offer=True)
        )
        .select_related("trade")
        .prefetch_related("awards__company", Prefetch("job_offers", queryset=open_offers, to_attr="open_offers"))
        .order_by("start_date", "contract__operation__title", "number", "pk")
    )
    editable = set(
        Operation.objects.editable_by(user)
        .filter(pk__in={lot.contract.operation_id for lot in lots})
        .values_list("pk", flat=True)
    )
    upcoming = [lot for lot in lots if lot.start_date > on]
    started = [lot for lot in lots if lot.start_date <= on]
    return render(
        request,
        "placements/offers/outlook.html",
        {
            "form": form,
            "months": months,
            "until": until,
            "upcoming": upcoming,
            "started": started,
            "editable": editable,
            "upcoming_hours": sum((lot.hours_required for lot in upcoming), 0),
            "upcoming_without_offer": sum(1 for lot in upcoming if not lot.open_offers),
        },
    )
