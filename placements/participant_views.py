"""Participants, their eligibility and path, and the candidate pool. Thin: forms and querysets work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Case, Exists, OuterRef, Prefetch, Q, Subquery, Value, When
from django.shortcuts import redirect, render

from common.dates import today
from common.querystrings import query_without_page
from partners.models import Commune, Epci

from . import eligibility, participant_page
from .access import PARTICIPANTS
from .models import (
    EligibilityCriterion,
    Participant,
    PersonalDataAccess,
    Placement,
)
from .participant_forms import (
    CandidatePoolFilterForm,
    DuplicateConfirmationForm,
    ParticipantFilterForm,
    ParticipantForm,
    criterion_formset,
    forms_are_valid,
    save_participant,
)
from .permissions import can_follow_participants, can_see_eligibility
from .personal_data import log_access

PAGE_SIZE = 50


def _require_follow(user):
    if not can_follow_participants(user):
        raise PermissionDenied


def _territories(user):
    """EPCIs of Ain, and the communes where the people the user follows live."""
    communes = Commune.objects.filter(pk__in=Participant.objects.for_user(user).values("commune")).order_by("name")
    return {"epcis": list(Epci.objects.order_by("name")), "communes": list(communes)}


def _with_ages(page, on):
    page.object_list = list(page.object_list)
    for participant in page.object_list:
        participant.age = eligibility.age_on(participant.birth_date, on)
    return page


# Lists -------------------------------------------------------------------------------------


def participant_list(request):
    _require_follow(request.user)
    on = today()
    form = ParticipantFilterForm(request.GET or None, **_territories(request.user))
    participants = (
        Participant.objects.for_user(request.user)
        .select_related("commune")
        .prefetch_related(
            "criteria",
            Prefetch(
                "placements",
                queryset=Placement.objects.running(on).select_related("lot", "employer"),
                to_attr="running_placements",
            ),
        )
    )
    participants = form.filter(participants, Participant.objects.available(on))
    page = Paginator(participants.order_by("last_name", "first_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "placements/participants/participant_list.html",
        {
            "form": form,
            "page": _with_ages(page, on),
            "query": query_without_page(request),
            "show_eligibility": can_see_eligibility(request.user),
        },
    )


def candidate_pool(request):
    """Eligible people not in a running placement: RSA beneficiaries first, then the latest assessed."""
    _require_follow(request.user)
    on = today()
    form = CandidatePoolFilterForm(request.GET or None, **_territories(request.user))
    criteria = EligibilityCriterion.objects.filter(participant=OuterRef("pk"))
    pool = (
        Participant.objects.for_user(request.user)
        .filter(pk__in=Participant.objects.available(on).values("pk"))
        .annotate(
            has_rsa_criterion=Exists(criteria.filter(criterion="RSA")),
            latest_assessment=Subquery(criteria.order_by("-assessed_on").values("assessed_on")[:1]),
        )
        .annotate(
            rsa_first=Case(When(Q(rsa_at_entry=True) | Q(has_rsa_criterion=True), then=Value(0)), default=Value(1))
        )
        .select_related("commune")
        .prefetch_related("criteria", "wished_trades")
    )
    pool = form.filter(pool).order_by("rsa_first", "-latest_assessment", "last_name", "first_name", "pk")
    page = Paginator(pool, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "placements/participants/candidate_pool.html",
        {
            "form": form,
            "page": _with_ages(page, on),
            "query": query_without_page(request),
            "show_eligibility": can_see_eligibility(request.user),
        },
    )


# Create and update -------------------------------------------------------------------------


def _edit(request, participant):
    data = request.POST if request.method == "POST" else None
    form = ParticipantForm(data, instance=participant, user=request.user)
    formset = criterion_formset(data, instance=participant)
    confirmation = DuplicateConfirmationForm(data)
    if data is not None and forms_are_valid(form, formset):
        if form.find_duplicates() and not confirmation.confirmed():
            confirmation.require_confirmation()
        else:
            is_new = participant.pk is None
            saved = save_participant(form, formset, request.user)
            messages.success(
                request,
                f"La fiche de {saved} est {'créée' if is_new else 'modifiée'}, avec ses critères d'éligibilité.",
            )
            return redirect("placements:participant_detail", pk=saved.pk)
    return render(
        request,
        "placements/participants/participant_form.html",
        {
            "form": form,
            "formset": formset,
            "confirmation": confirmation,
            "duplicates": form.duplicates,
            "participant": participant if participant.pk else None,
        },
    )


def participant_create(request):
    _require_follow(request.user)
    return _edit(request, Participant())


def participant_update(request, pk):
    participant = PARTICIPANTS.to_change(request, pk)
    return _edit(request, participant)


# The participant's page --------------------------------------------------------------------


def participant_detail(request, pk):
    participant = PARTICIPANTS.to_view(request, pk, refine=participant_page.with_page_data)
    context = participant_page.page_context(participant, request.user, today())
    log_access(request, [participant.pk], PersonalDataAccess.Kind.PAGE)
    return render(request, "placements/participants/participant_detail.html", context)
