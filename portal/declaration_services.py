"""Writes of the monthly declarations: each one transaction, with an optimistic lock on the month."""

from collections import defaultdict
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Case, F, Q, Sum, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from placements import counting
from placements import declaration_rules as rules
from placements.models import DeclarationLine, EligibilityCriterion, MonthlyDeclaration, Placement
from placements.signals import declarations_written


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


def hours_declared_elsewhere(employer, month, written=()):
    """Hours already declared in ``month`` for the people the employer may declare that month, by
    participant id: the current lines that are not rejected, of every employer (the person's other
    lots with this employer included), except the lines of the placements in ``written`` (those
    whose hours are being replaced now). One aggregate query, whatever the number of people.

    Grouped by person, and by placement only for this employer's own lines (so that the lines being
    replaced can be left out in Python, without sending thousands of ids to the database)."""
    month = rules.first_day(month)
    people = declarable_placements(employer, month).order_by().values("participant")
    rows = (
        DeclarationLine.objects.filter(is_current=True, declaration__month=month, placement__participant__in=people)
        .exclude(status=DeclarationLine.Status.REJECTED)
        .values(
            "placement__participant",
            own_placement=Case(When(declaration__employer=employer, then=F("placement")), default=None),
        )
        .annotate(total=Sum("hours"))
        .order_by()
    )
    written = set(written)
    elsewhere = defaultdict(Decimal)
    for row in rows:
        if row["own_placement"] not in written:
            elsewhere[row["placement__participant"]] += row["total"]
    return elsewhere


def person_month_errors(month, hours_by_placement, participant_of, elsewhere, maximum):
    """The person-and-month cap (``rules.person_month_problem``) on the hours typed now, by placement
    id: each of the person's placements typed now gets the message (all of them make the total)."""
    placements_of = defaultdict(list)
    for placement_id, hours in hours_by_placement.items():
        if hours is not None and placement_id in participant_of:
            placements_of[participant_of[placement_id]].append(placement_id)
    errors = {}
    for person, placement_ids in placements_of.items():
        new_hours = sum((hours_by_placement[pk] for pk in placement_ids), Decimal(0))
        problem = rules.person_month_problem(new_hours, elsewhere.get(person, Decimal(0)), month, maximum)
        if problem:
            errors.update(dict.fromkeys(placement_ids, problem))
    return errors


def check_hours(declaration, hours_by_placement, placements):
    """Errors by placement id for the typed hours; placements not declarable for this month are refused.

    The monthly maximum is per person, not per line (domain.md, "Hours worked"): a person's hours of
    the month typed now (on all the employer's lots) plus those already declared elsewhere (their
    other lots, other employers: current lines not rejected) must not exceed it. Decision: such hours
    are refused, all or nothing, with a message next to the person's field that never names the
    other employer (``rules.person_month_problem``). One aggregate query for all the people."""
    errors = {}
    allowed = {placement.pk: placement for placement in placements}
    maximum = monthly_maximum()
    for placement_id, hours in hours_by_placement.items():
        placement = allowed.get(placement_id)
        if placement is None:
            errors[placement_id] = "Cette personne ne travaille pas pour vous sur un lot ce mois-ci."
            continue
        problem = rules.hours_problem(hours, declaration.month, placement.start_date, placement.end_date, maximum)
        if problem:
            errors[placement_id] = problem
    to_check = {pk: hours for pk, hours in hours_by_placement.items() if pk not in errors and hours is not None}
    if to_check:
        written = {pk for pk, hours in hours_by_placement.items() if hours is not None}
        elsewhere = hours_declared_elsewhere(declaration.employer, declaration.month, written)
        participant_of = {pk: allowed[pk].participant_id for pk in to_check}
        errors.update(person_month_errors(declaration.month, to_check, participant_of, elsewhere, maximum))
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


def _lot_and_employer(lot_number, operation_title, employer_name):
    return f"lot {lot_number} « {operation_title} » chez {employer_name}"


def validation_problems(lines):
    """Refusals of validating these pending lines, by person and month, or {}: a person's validated
    hours of a month (these lines plus the lines already validated, on every lot and for every
    employer) must not exceed the monthly maximum. The facilitator may see the other employers: the
    message names the other lots. One aggregate query for all the people and months."""
    maximum = monthly_maximum()
    selected = defaultdict(list)
    for line in lines:
        selected[(line.placement.participant_id, line.declaration.month)].append(line)
    months = sorted({month for _, month in selected})
    people = sorted({person for person, _ in selected})
    validated = defaultdict(list)
    rows = (
        DeclarationLine.objects.validated()
        .filter(declaration__month__in=months, placement__participant__in=people)
        .exclude(pk__in=[line.pk for line in lines])
        .values(
            "placement__participant",
            "declaration__month",
            "placement__lot__number",
            "placement__lot__contract__operation__title",
            "declaration__employer__name",
        )
        .annotate(total=Sum("hours"))
        .order_by("declaration__employer__name", "placement__lot__number")
    )
    for row in rows:
        label = _lot_and_employer(
            row["placement__lot__number"],
            row["placement__lot__contract__operation__title"],
            row["declaration__employer__name"],
        )
        validated[(row["placement__participant"], row["declaration__month"])].append((label, row["total"]))
    problems = {}
    for (person, month), person_lines in selected.items():
        hours = sum((line.hours for line in person_lines), Decimal(0))
        problem = rules.validation_problem(
            person_lines[0].placement.participant, hours, validated[(person, month)], month, maximum
        )
        if problem:
            problems[f"{person}-{month:%Y-%m}"] = problem
    return problems


@transaction.atomic
def review(lines, decision, user, comment=""):
    """Validate or reject pending lines, one or many; the employer sees the comment of a rejection."""
    if decision not in (DeclarationLine.Status.VALIDATED, DeclarationLine.Status.REJECTED):
        raise ValueError(decision)
    if decision == DeclarationLine.Status.REJECTED and not comment.strip():
        raise DeclarationErrors({"__all__": "Dites à l'employeur pourquoi ces heures sont refusées."})
    # Re-read and lock the lines: two facilitators reviewing at once cannot both decide.
    locked = DeclarationLine.objects.select_for_update(of=("self", "declaration")).select_related(
        "declaration", "placement__participant"
    )
    lines = list(
        locked.filter(pk__in=[line.pk for line in lines], is_current=True, status=DeclarationLine.Status.PENDING)
    )
    if not lines:
        raise DeclarationErrors({"__all__": "Aucune ligne à valider ou refuser dans la sélection."})
    if decision == DeclarationLine.Status.VALIDATED:
        problems = validation_problems(lines)
        if problems:
            raise DeclarationErrors(problems)
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
