"""The participant's page read model: the person with everything the page shows, prefetched, and
one timeline of eligibility, candidacies, placements, follow-ups, outcomes and declared hours."""

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from common.dates import of_month

from . import eligibility
from .declaration_rules import last_day
from .models import Candidacy, DeclarationLine, EligibilityCriterion, JobOffer, Placement
from .permissions import can_follow_participants, can_see_eligibility


def with_page_data(participants):
    """``participants`` with what their page shows prefetched."""
    return participants.select_related("commune__epci", "prescriber", "facilitation_body").prefetch_related(
        "wished_trades",
        Prefetch(
            "criteria",
            queryset=EligibilityCriterion.objects.select_related("confirming_prescriber", "validated_by"),
        ),
        Prefetch("candidacies", queryset=Candidacy.objects.select_related("offer__employer", "offer__lot")),
        Prefetch(
            "placements",
            queryset=Placement.objects.select_related("lot", "employer").prefetch_related(
                "follow_ups",
                "outcomes",
                Prefetch(
                    "declaration_lines",
                    queryset=DeclarationLine.objects.current().select_related("declaration"),
                ),
            ),
        ),
    )


def page_context(participant, user, on):
    """What the participant's page shows to ``user`` on ``on``."""
    show_eligibility = can_see_eligibility(user)
    visible_offers = set(
        JobOffer.objects.for_user(user).filter(candidacies__participant=participant).values_list("pk", flat=True)
    )
    months = settings.CLAUSIER["COUNTING_WINDOW_MONTHS"]
    return {
        "participant": participant,
        "age": eligibility.age_on(participant.birth_date, on),
        "show_eligibility": show_eligibility,
        "criteria": participant.criteria.all() if show_eligibility else [],
        "no_criterion": show_eligibility and not participant.is_eligible(),
        "window": participant.counting_window(months),
        "window_months": months,
        "today": on,
        "timeline": participant_timeline(participant, visible_offers, show_eligibility, on),
        "can_edit": can_follow_participants(user),
    }


@dataclass(frozen=True)
class Event:
    when: date
    kind: str  # eligibility, candidacy, placement, follow_up, outcome, today
    title: str
    detail: str = ""
    url: str = ""
    badge: str = ""
    badge_class: str = "text-bg-secondary"


def _local_date(value):
    return timezone.localtime(value).date() if isinstance(value, datetime) else value


def _eligibility_events(participant):
    for criterion in participant.criteria.all():
        if criterion.confirming_prescriber:
            source = f"confirmé par {criterion.confirming_prescriber.name}"
            if criterion.proof:
                source = f"justificatif : {criterion.proof} ; {source}"
        else:
            source = f"justificatif : {criterion.proof}"
        yield Event(
            criterion.assessed_on,
            "eligibility",
            f"Éligibilité appréciée : {criterion.get_criterion_display()}",
            f"{source} — validé par {criterion.validated_by}",
        )


def _candidacy_events(participant, visible_offers):
    for candidacy in participant.candidacies.all():
        offer = candidacy.offer
        detail = f"{offer.employer.name} · {offer.lot}"
        if candidacy.interview_date:
            detail += f" · entretien le {candidacy.interview_date:%d/%m/%Y}"
        if candidacy.refusal_reason:
            detail += f" · motif : {candidacy.get_refusal_reason_display()}"
        yield Event(
            _local_date(candidacy.created_at),
            "candidacy",
            f"Candidature à l'offre « {offer.position} »",
            detail,
            reverse("placements:offer_detail", args=[offer.pk]) if offer.pk in visible_offers else "",
            candidacy.get_status_display(),
            "text-bg-success" if candidacy.status == Candidacy.Status.HIRED else "text-bg-secondary",
        )


def _placement_events(participant, on):
    for placement in participant.placements.all():
        url = reverse("placements:placement_detail", args=[placement.pk])
        period = f"du {placement.start_date:%d/%m/%Y}"
        period += f" au {placement.end_date:%d/%m/%Y}" if placement.end_date else ", sans date de fin"
        running = placement.start_date <= on and (placement.end_date is None or placement.end_date >= on)
        yield Event(
            placement.start_date,
            "placement",
            f"Mise à l'emploi : {placement.lot}",
            f"{placement.employer.name} · {placement.get_contract_type_display()} · {period}",
            url,
            "En cours" if running else ("Terminée" if placement.start_date < on else "À venir"),
            "text-bg-primary" if running else "text-bg-secondary",
        )
        for follow_up in placement.follow_ups.all():
            done = follow_up.done_on is not None
            yield Event(
                follow_up.done_on or follow_up.due_date,
                "follow_up",
                f"Suivi : {follow_up.get_kind_display()}",
                f"{placement.lot} · {placement.employer.name}",
                url,
                "Réalisé" if done else ("En retard" if follow_up.due_date < on else "Prévu"),
                "text-bg-success" if done else ("text-bg-danger" if follow_up.due_date < on else "text-bg-light"),
            )
        for outcome in placement.outcomes.all():
            recorded = outcome.recorded_on is not None
            detail = f"{placement.lot} · {placement.employer.name}"
            if recorded and outcome.situation:
                detail = f"{outcome.get_situation_display()} · {detail}"
            yield Event(
                outcome.recorded_on or outcome.due_date,
                "outcome",
                f"Sortie {outcome.get_moment_display().lower()}",
                detail,
                url,
                "Recueillie" if recorded else ("En retard" if outcome.due_date < on else "À recueillir"),
                "text-bg-success" if recorded else ("text-bg-danger" if outcome.due_date < on else "text-bg-light"),
            )


def _hours_events(participant):
    """The hours declared each month (the version in force), with their state."""
    badges = {
        DeclarationLine.Status.VALIDATED: "text-bg-success",
        DeclarationLine.Status.REJECTED: "text-bg-danger",
        DeclarationLine.Status.PENDING: "text-bg-info",
    }
    for placement in participant.placements.all():
        url = reverse("placements:placement_detail", args=[placement.pk])
        for line in placement.declaration_lines.all():
            month = line.declaration.month
            detail = f"{placement.lot} · {placement.employer.name}"
            if not line.counted:
                detail += " · hors de la fenêtre de comptage : non comptées"
            yield Event(
                last_day(month),
                "hours",
                f"Heures {of_month(month)} : {format(line.hours.normalize(), 'f').replace('.', ',')} h",
                detail,
                url,
                line.get_status_display(),
                badges.get(line.status, "text-bg-light"),
            )


def participant_timeline(participant, visible_offers, show_eligibility, on):
    """One timeline, newest first, from the prefetched criteria, candidacies and placements."""
    events = [Event(on, "today", "Aujourd'hui")]
    if show_eligibility:
        events.extend(_eligibility_events(participant))
    events.extend(_candidacy_events(participant, visible_offers))
    events.extend(_placement_events(participant, on))
    events.extend(_hours_events(participant))
    return sorted(events, key=lambda event: (event.when, event.kind == "today"), reverse=True)
