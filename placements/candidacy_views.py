"""Pre-selection of candidates, the facilitator's actions on a candidacy, the employer's answers in the portal.

Thin views: the forms (offer_forms), the pool (proposal) and the pure rules (candidacy_flow) do the
work. Every object comes through ``for_user`` (outsiders get 404); a write without the right role gets 403.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.dates import today
from common.querystrings import query_without_page

from . import candidacy_flow as flow
from . import proposal
from .access import CANDIDACIES
from .models import Candidacy
from .offer_forms import CandidacyActionForm, CandidacyAnswerForm, ProposeForm
from .permissions import can_answer_candidacies, can_follow_participants, can_see_eligibility, is_employer
from .services import propose_candidates
from .view_support import PAGE_SIZE, offer_or_404, posted, require_edit

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


# Pre-selection and the facilitator's actions ----------------------------------------------


@require_http_methods(["GET", "POST"])
def candidacy_propose(request, pk):
    offer = offer_or_404(request, pk)
    require_edit(request, offer.lot)
    pool = proposal.candidate_pool(request.user, today())
    already_proposed = set(offer.candidacies.values_list("participant_id", flat=True))
    form = ProposeForm(posted(request), offer=offer, candidates=pool, already_proposed=already_proposed)
    if request.method == "POST" and form.is_valid():
        count = propose_candidates(offer, form.cleaned_data["participants"], request.user)
        messages.success(
            request,
            f"{count} personne{'s' if count > 1 else ''} proposée{'s' if count > 1 else ''} : "
            "transmettez leur candidature à l'employeur quand elle est prête.",
        )
        return redirect("placements:offer_detail", pk=offer.pk)
    search = request.GET.get("q", "").strip()
    checked = {str(value) for value in (form["participants"].value() or [])}
    candidates, truncated = proposal.shown_candidates(pool, search, already_proposed, checked)
    return render(
        request,
        "placements/offers/candidacy_propose.html",
        {
            "offer": offer,
            "form": form,
            "candidates": candidates,
            "truncated": truncated,
            "search": search,
            "show_eligibility": can_see_eligibility(request.user),
        },
    )


def _candidacy(request, pk):
    return CANDIDACIES.to_view(
        request,
        pk,
        refine=lambda candidacies: candidacies.select_related(
            "participant__commune", "offer__employer", "offer__place", "offer__lot__contract__operation"
        ),
    )


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
    require_edit(request, candidacy.offer.lot)
    form = CandidacyActionForm(posted(request), candidacy=candidacy)
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
    form = CandidacyAnswerForm(posted(request), candidacy=candidacy)
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
