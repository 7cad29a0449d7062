"""Writes of the monthly declarations: each one transaction, with an optimistic lock on the month."""

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import counting
from . import declaration_rules as rules
from .models import DeclarationLine, EligibilityCriterion, MonthlyDeclaration, Placement
from .signals import declarations_written


class StaleDeclaration(Exception):
    """Someone saved the same month since this page was opened."""

    message = (
        "Quelqu'un a enregistré cette déclaration pendant que vous la modifiiez. "
        "Rien n'a été enregistré : rechargez la page pour voir sa version, puis refaites vos changements."
    )


class DeclarationErrors(Exception):
    """Errors by placement id (or "__all__"), in French; nothing was saved."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def monthly_maximum():
    return settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"]


def declarable_placements(employer, month):
    """The employer's placements that ran during the month, with what the grid shows."""
    return (
        Placement.objects.filter(employer=employer, start_date__lte=rules.last_day(month))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=month))
        .select_related("participant", "lot__contract__operation")
        .prefetch_related("participant__placements")
        .order_by("lot__contract__operation__title", "lot__number", "participant__last_name")
    )


def declaration_for(employer, month):
    declaration, _ = MonthlyDeclaration.objects.get_or_create(employer=employer, month=rules.first_day(month))
    return declaration


def _lock(declaration, expected_revision):
    """Bump the revision only if nobody else did since the page was read; else StaleDeclaration."""
    updated = MonthlyDeclaration.objects.filter(pk=declaration.pk, revision=expected_revision).update(
        revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not updated:
        raise StaleDeclaration
    declaration.revision = expected_revision + 1
    declarations_written.send(sender=MonthlyDeclaration, declaration=declaration)


def refresh_status(declaration):
    statuses = declaration.lines.current().values_list("status", flat=True)
    declaration.status = rules.declaration_status(statuses)
    MonthlyDeclaration.objects.filter(pk=declaration.pk).update(status=declaration.status)
    record_history(declaration)
    return declaration.status


def record_history(declaration):
    """The lock and the status are written by queryset updates, which django-simple-history does
    not see: keep the declaration as saved in its history (the user comes from the request)."""
    saved = MonthlyDeclaration.objects.get(pk=declaration.pk)
    MonthlyDeclaration.history.bulk_history_create([saved], update=True)


def check_hours(declaration, hours_by_placement, placements):
    """Errors by placement id for the typed hours; placements not declarable for this month are refused."""
    errors = {}
    allowed = {placement.pk: placement for placement in placements}
    for placement_id, hours in hours_by_placement.items():
        placement = allowed.get(placement_id)
        if placement is None:
            errors[placement_id] = "Cette personne ne travaille pas pour vous sur un lot ce mois-ci."
            continue
        problem = rules.hours_problem(
            hours, declaration.month, placement.start_date, placement.end_date, monthly_maximum()
        )
        if problem:
            errors[placement_id] = problem
    return errors


@transaction.atomic
def save_hours(declaration, hours_by_placement, user, expected_revision):
    """Save the grid: new lines, changed drafts in place, and a new version for any line already
    submitted, validated or rejected (the old one is kept). All or nothing."""
    placements = list(declarable_placements(declaration.employer, declaration.month))
    errors = check_hours(declaration, hours_by_placement, placements)
    if errors:
        raise DeclarationErrors(errors)
    _lock(declaration, expected_revision)
    by_id = {placement.pk: placement for placement in placements}
    eligible = set(
        EligibilityCriterion.objects.filter(participant__placements__in=list(hours_by_placement)).values_list(
            "participant_id", flat=True
        )
    )
    current = {line.placement_id: line for line in declaration.lines.current()}
    # Written in batches, each with its history rows: an import of thousands of people stays fast.
    drafts, superseded, new_lines = [], [], []
    for placement_id, hours in hours_by_placement.items():
        line = current.get(placement_id)
        if hours is None or (
            line is not None and line.hours == hours and line.status != DeclarationLine.Status.REJECTED
        ):
            continue
        placement = by_id[placement_id]
        counted = counting.line_counts(
            declaration.month,
            placement.participant.first_clause_placement_start(),
            placement.mode == Placement.Mode.TRAINING,
            placement.participant_id in eligible,
        )
        if line is not None and line.status == DeclarationLine.Status.DRAFT:
            line.hours, line.counted, line.created_by = hours, counted, user
            drafts.append(line)
            continue
        version = 1
        if line is not None:
            line.is_current = False
            superseded.append(line)
            version = line.version + 1
        new_lines.append(
            DeclarationLine(
                declaration=declaration,
                placement=placement,
                version=version,
                hours=hours,
                counted=counted,
                created_by=user,
            )
        )
    now = timezone.now()
    for line in drafts + superseded:
        line.updated_at = now
    if drafts:
        bulk_update_with_history(
            drafts, DeclarationLine, ["hours", "counted", "created_by", "updated_at"], default_user=user
        )
    if superseded:
        # Before the new versions: only one current line per person and month at any time.
        bulk_update_with_history(superseded, DeclarationLine, ["is_current", "updated_at"], default_user=user)
    if new_lines:
        bulk_create_with_history(new_lines, DeclarationLine, batch_size=1000, default_user=user)
    refresh_status(declaration)
    return declaration


@transaction.atomic
def submit(declaration, user, expected_revision):
    """Send the draft lines to the facilitator for validation."""
    drafts = declaration.lines.current().filter(status=DeclarationLine.Status.DRAFT)
    if not drafts.exists():
        raise DeclarationErrors({"__all__": "Il n'y a aucune heure nouvelle ou corrigée à transmettre."})
    if not declaration.proofs.exists():
        raise DeclarationErrors(
            {"__all__": "Joignez au moins un justificatif (bulletins de paie, relevé d'agence…) avant de transmettre."}
        )
    _lock(declaration, expected_revision)
    for line in drafts:  # one save per line, so that each submission is kept in the line's history
        line.status = DeclarationLine.Status.PENDING
        line.save(update_fields=["status", "updated_at"])
    declaration.submitted_at, declaration.submitted_by = timezone.now(), user
    MonthlyDeclaration.objects.filter(pk=declaration.pk).update(
        submitted_at=declaration.submitted_at, submitted_by=user
    )
    refresh_status(declaration)
    return declaration


@transaction.atomic
def review(lines, decision, user, comment=""):
    """Validate or reject pending lines, one or many; the employer sees the comment of a rejection."""
    if decision not in (DeclarationLine.Status.VALIDATED, DeclarationLine.Status.REJECTED):
        raise ValueError(decision)
    if decision == DeclarationLine.Status.REJECTED and not comment.strip():
        raise DeclarationErrors({"__all__": "Dites à l'employeur pourquoi ces heures sont refusées."})
    # Re-read and lock the lines: two facilitators reviewing at once cannot both decide.
    locked = DeclarationLine.objects.select_for_update().select_related("declaration")
    lines = list(
        locked.filter(pk__in=[line.pk for line in lines], is_current=True, status=DeclarationLine.Status.PENDING)
    )
    if not lines:
        raise DeclarationErrors({"__all__": "Aucune ligne à valider ou refuser dans la sélection."})
    now = timezone.now()
    declarations = {}
    for line in lines:
        line.status, line.review_comment, line.reviewed_by, line.reviewed_at = decision, comment, user, now
        line.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
        declarations[line.declaration_id] = line.declaration
    for declaration in declarations.values():
        MonthlyDeclaration.objects.filter(pk=declaration.pk).update(revision=F("revision") + 1)
        refresh_status(declaration)
    return lines
