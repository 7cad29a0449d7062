"""Placements, their follow-ups and outcomes.

Thin views: the forms (placement_forms) check the input, ``services.save_placement`` saves and
plans. Every object comes through ``for_user`` (outsiders get 404); a write without the right
role gets 403. Employers see the page of a placement of theirs, read-only and without eligibility.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from clauses.models import Lot
from common.dates import today
from common.querystrings import query_without_page
from partners.permissions import load_memberships

from . import eligibility, outcomes
from .access import CANDIDACIES, FOLLOW_UPS, OUTCOMES, PLACEMENTS
from .models import Candidacy, FollowUp, Outcome, Participant, Placement
from .permissions import can_edit_placement, can_follow_participants, can_see_eligibility
from .placement_forms import FollowUpFilterForm, FollowUpForm, OutcomeForm, PlacementForm
from .services import save_placement

PAGE_SIZE = 50
PLACEMENT_RELATED = ("participant", "lot__contract__operation__buyer", "employer", "candidacy__offer")


def _placements(user):
    return Placement.objects.for_user(user).select_related(*PLACEMENT_RELATED)


def _placement(request, pk):
    return PLACEMENTS.to_view(request, pk, refine=lambda placements: placements.select_related(*PLACEMENT_RELATED))


def _next_url(request, default):
    url = request.GET.get("next", "")
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


# Placements --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def placement_create(request):
    user = request.user
    if not can_follow_participants(user):
        raise PermissionDenied
    candidacy = None
    if "candidacy" in request.GET:
        candidacy = CANDIDACIES.to_change(
            request,
            request.GET["candidacy"],
            refine=lambda candidacies: candidacies.select_related(
                "participant", "offer__employer", "offer__lot__contract__operation"
            ),
        )
        existing = Placement.objects.filter(candidacy=candidacy).first()
        if existing is not None:
            messages.info(request, f"La mise à l'emploi de {candidacy.participant} est déjà enregistrée.")
            return redirect("placements:placement_detail", pk=existing.pk)
        if candidacy.status != Candidacy.Status.HIRED:
            messages.error(
                request,
                f"La candidature de {candidacy.participant} est « {candidacy.get_status_display()} » : seule "
                "une candidature embauchée donne lieu à une mise à l'emploi. Enregistrez d'abord l'embauche.",
            )
            return redirect("placements:offer_detail", pk=candidacy.offer_id)
    initial = {name: int(request.GET[name]) for name in ("participant", "lot") if request.GET.get(name, "").isdigit()}
    form = PlacementForm(request.POST or None, user=user, candidacy=candidacy, initial=initial)
    if request.method == "POST" and form.is_valid():
        placement = save_placement(form.save(commit=False), user)
        planned = placement.outcomes.count()
        message = f"La mise à l'emploi de {placement.participant} est enregistrée ; les suivis sont planifiés"
        message += f", ainsi que {planned} recueils de sortie." if planned else "."
        messages.success(request, message)
        return redirect("placements:placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/placements/placement_form.html",
        {"form": form, "placement": None, "candidacy": candidacy},
    )


@require_http_methods(["GET", "POST"])
def placement_update(request, pk):
    placement = _placement(request, pk)
    if not can_edit_placement(request.user, placement):
        raise PermissionDenied
    form = PlacementForm(request.POST or None, instance=placement, user=request.user)
    if request.method == "POST" and form.is_valid():
        save_placement(form.save(commit=False), request.user)
        messages.success(request, "La mise à l'emploi est modifiée ; les suivis et sorties à venir suivent ses dates.")
        return redirect("placements:placement_detail", pk=placement.pk)
    return render(
        request,
        "placements/placements/placement_form.html",
        {"form": form, "placement": placement, "candidacy": placement.candidacy},
    )


def _window_status(window, placement):
    """Whether the placement's dates fall within the person's counting window."""
    if window is None:
        return None
    if not window.contains(placement.start_date):
        return "outside"
    if placement.end_date is None:
        return "open"
    return "inside" if window.contains(placement.end_date) else "partial"


def placement_detail(request, pk):
    user = request.user
    placement = PLACEMENTS.to_view(
        request,
        pk,
        refine=lambda placements: placements.select_related(*PLACEMENT_RELATED).prefetch_related(
            "participant__placements", "follow_ups", "outcomes"
        ),
    )
    follows = can_follow_participants(user)
    can_edit = can_edit_placement(user, placement)
    context = {
        "placement": placement,
        "can_edit": can_edit,
        "follows": follows,
        "show_lot_link": Lot.objects.for_user(user).filter(pk=placement.lot_id).exists(),
        "training_not_counted": placement.mode == Placement.Mode.TRAINING
        and not settings.CLAUSIER["TRAINING_HOURS_COUNT"],
    }
    if follows:
        window = placement.participant.counting_window()
        context.update(
            show_participant_link=Participant.objects.for_user(user).filter(pk=placement.participant_id).exists(),
            window=window,
            window_status=_window_status(window, placement),
            follow_ups=placement.follow_ups.all(),
            outcomes=[
                (outcome, outcomes.GROUP_LABELS[outcome.group] if outcome.situation else "")
                for outcome in placement.outcomes.all()
            ],
        )
    if can_see_eligibility(user):
        criteria = list(placement.participant.criteria.all())
        context["criteria"] = criteria
        context["no_criterion"] = not eligibility.is_eligible(criterion.criterion for criterion in criteria)
    return render(request, "placements/placements/placement_detail.html", context)


# Follow-ups and outcomes due ---------------------------------------------------------------


def follow_up_list(request):
    user = request.user
    load_memberships(user)  # roles and bodies are read several times
    if not can_follow_participants(user):
        raise PermissionDenied
    on = today()
    visible = Placement.objects.for_user(user)
    related = ("placement__participant", "placement__employer", "placement__lot__contract__operation")
    form = FollowUpFilterForm(request.GET or None)
    follow_ups = form.filter(FollowUp.objects.filter(placement__in=visible).select_related(*related), on)
    page = Paginator(follow_ups, PAGE_SIZE).get_page(request.GET.get("page"))
    outcomes_due = (
        Outcome.objects.filter(placement__in=visible, recorded_on__isnull=True, due_date__lte=on)
        .select_related(*related)
        .order_by("due_date", "pk")
    )
    return render(
        request,
        "placements/placements/follow_up_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "today": on,
            "outcomes_due": outcomes_due,
            "here": request.get_full_path(),
        },
    )


@require_http_methods(["GET", "POST"])
def follow_up_record(request, pk):
    follow_up = FOLLOW_UPS.to_change(
        request, pk, refine=lambda rows: rows.select_related(*(f"placement__{name}" for name in PLACEMENT_RELATED))
    )
    placement = follow_up.placement
    form = FollowUpForm(request.POST or None, instance=follow_up)
    if request.method == "POST" and form.is_valid():
        follow_up = form.save(commit=False)
        follow_up.done_by = request.user
        follow_up.save()
        messages.success(
            request, f"Le suivi « {follow_up.get_kind_display()} » de {placement.participant} est enregistré."
        )
        return redirect(_next_url(request, reverse("placements:placement_detail", args=[placement.pk])))
    return render(
        request,
        "placements/placements/follow_up_form.html",
        {"form": form, "follow_up": follow_up, "placement": placement},
    )


@require_http_methods(["GET", "POST"])
def outcome_record(request, pk):
    outcome = OUTCOMES.to_change(
        request, pk, refine=lambda rows: rows.select_related(*(f"placement__{name}" for name in PLACEMENT_RELATED))
    )
    placement = outcome.placement
    form = OutcomeForm(request.POST or None, instance=outcome)
    if request.method == "POST" and form.is_valid():
        outcome = form.save(commit=False)
        outcome.recorded_by = request.user
        outcome.save()
        kind = "une sortie dynamique" if outcome.is_dynamic else outcomes.GROUP_LABELS[outcome.group].lower()
        messages.success(
            request,
            f"La situation {outcome.get_moment_display().lower()} de {placement.participant} est enregistrée : "
            f"{outcome.get_situation_display()} ({kind}).",
        )
        return redirect(_next_url(request, reverse("placements:placement_detail", args=[placement.pk])))
    return render(
        request,
        "placements/placements/outcome_form.html",
        {"form": form, "outcome": outcome, "placement": placement, "earliest": form.earliest_date()},
    )
