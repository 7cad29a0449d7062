"""The read model of the monthly hours grid: who is in it, their lines, what may be changed.

``load_grid`` reads everything the grid shows in a fixed number of queries, whatever the number of
people; ``grid_context`` turns it, with its forms, into the template's context. No writes here
(but ``load_grid(create=True)`` opens the month's declaration when there are people to declare).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

from django.conf import settings
from django.urls import reverse

from common.dates import month_label, of_month
from partners.models import Organisation
from placements import declaration_rules as rules
from placements.models import DeclarationLine, MonthlyDeclaration, Placement

from . import proofs
from .declaration_forms import DeclarationGridForm, field_name, format_hours
from .declaration_scope import employer_query, grid_url, home_url, next_month
from .declaration_services import declarable_placements, declaration_for

GRID_TEMPLATE = "placements/portal/declaration_grid.html"

# What the employer reads for the state of a line, and its badge.
LINE_STATES = {
    None: ("Non saisie", "text-bg-light border"),
    DeclarationLine.Status.DRAFT: ("Brouillon, pas encore transmise", "text-bg-secondary"),
    DeclarationLine.Status.PENDING: ("Transmise, en attente de validation", "text-bg-info"),
    DeclarationLine.Status.VALIDATED: ("Validée", "text-bg-success"),
    DeclarationLine.Status.REJECTED: ("Refusée : à corriger", "text-bg-danger"),
}
# The state of a month, on the portal home and at the top of the grid.
NOTHING, NOT_STARTED = "nothing", "not_started"
MONTH_STATES = {
    NOTHING: ("Rien à déclarer", "text-bg-light border"),
    NOT_STARTED: ("Non commencée", "text-bg-warning"),
    MonthlyDeclaration.Status.DRAFT: ("Brouillon", "text-bg-secondary"),
    MonthlyDeclaration.Status.SUBMITTED: ("Transmise", "text-bg-info"),
    MonthlyDeclaration.Status.TO_CORRECT: ("À corriger", "text-bg-danger"),
    MonthlyDeclaration.Status.VALIDATED: ("Validée", "text-bg-success"),
}


def state(states, key):
    label, css = states[key]
    return {"key": key, "label": label, "css": css}


@dataclass
class GridRow:
    """One person of the month: their placement, current line, older versions, and what may be done."""

    placement: Placement
    line: DeclarationLine | None
    history: list
    locked: bool
    counted: bool
    window_start: date | None = None
    covers_month: bool = True
    field: object = None
    input_id: str = ""
    described_by: str = ""

    @property
    def state(self):
        return state(LINE_STATES, self.line.status if self.line else None)

    @property
    def initial_text(self):
        """A refused line starts empty: the person types the corrected hours (the refused ones are shown)."""
        if self.line is None or self.line.status == DeclarationLine.Status.REJECTED:
            return ""
        return format_hours(self.line.hours)

    @property
    def hours_text(self):
        return format_hours(self.line.hours) if self.line else ""

    def sort_key(self):
        lot, participant = self.placement.lot, self.placement.participant
        return (
            lot.contract.operation.title,
            lot.number,
            self.placement.lot_id,
            participant.last_name,
            participant.first_name,
            self.placement.pk,
        )


@dataclass
class Grid:
    employer: Organisation
    month: date
    correcting: bool
    declaration: MonthlyDeclaration | None
    rows: list = field(default_factory=list)
    proofs: list = field(default_factory=list)

    @property
    def validated(self):
        return self.declaration is not None and self.declaration.status == MonthlyDeclaration.Status.VALIDATED

    @property
    def has_current_lines(self):
        return any(row.line is not None for row in self.rows)


def is_locked(line, validated_month, correcting):
    """A validated month, or a validated line, is read-only until the person asks to correct it."""
    if correcting:
        return False
    return validated_month or (line is not None and line.status == DeclarationLine.Status.VALIDATED)


# Reading -----------------------------------------------------------------------------------


def _month_declaration(employer, month, placements, create):
    if placements and create:
        return declaration_for(employer, month)
    return MonthlyDeclaration.objects.filter(employer=employer, month=month).first()


def _read_lines_and_proofs(grid):
    """The declaration's lines, newest version first for each placement; its proofs on ``grid``."""
    if grid.declaration is None:
        return []
    lines = list(
        grid.declaration.lines.select_related(
            "created_by", "reviewed_by", "placement__participant", "placement__lot__contract__operation"
        ).order_by("placement_id", "-version")
    )
    grid.proofs = list(grid.declaration.proofs.select_related("uploaded_by"))
    for proof in grid.proofs:
        proof.size_text = proofs.size_label(proof.size)
    return lines


def _current_and_history(lines):
    """The current line of each placement, and its older versions."""
    current, history = {}, defaultdict(list)
    for line in lines:
        line.state = state(LINE_STATES, line.status)
        line.hours_text = format_hours(line.hours)
        if line.is_current:
            current[line.placement_id] = line
        else:
            history[line.placement_id].append(line)
    return current, history


def _declarable_row(grid, placement, line, history):
    window = placement.participant.counting_window()
    if line:
        counted = line.counted
    else:
        counted = rules.counts(
            grid.month,
            window,
            is_training=placement.mode == Placement.Mode.TRAINING,
            training_counts=settings.CLAUSIER["TRAINING_HOURS_COUNT"],
        )
    return GridRow(
        placement=placement,
        line=line,
        history=history,
        locked=is_locked(line, grid.validated, grid.correcting),
        counted=counted,
        window_start=window.start if window else None,
    )


def _outside_row(line, history):
    """A line whose placement's dates changed since: shown, read-only."""
    return GridRow(
        placement=line.placement, line=line, history=history, locked=True, counted=line.counted, covers_month=False
    )


def load_grid(employer, month, correcting, create):
    """Everything the grid shows, in a fixed number of queries whatever the number of people."""
    placements = list(declarable_placements(employer, month))
    declaration = _month_declaration(employer, month, placements, create)
    grid = Grid(employer=employer, month=month, correcting=correcting, declaration=declaration)
    current, history = _current_and_history(_read_lines_and_proofs(grid))
    for placement in placements:
        grid.rows.append(_declarable_row(grid, placement, current.get(placement.pk), history[placement.pk]))
    declarable = {placement.pk for placement in placements}
    for placement_id, line in current.items():
        if placement_id not in declarable:
            grid.rows.append(_outside_row(line, history[placement_id]))
    grid.rows.sort(key=GridRow.sort_key)
    return grid


def grid_form(grid, data=None):
    revision = grid.declaration.revision if grid.declaration else 0
    return DeclarationGridForm(data, rows=grid.rows, month=grid.month, initial={"revision": revision})


# The template's context --------------------------------------------------------------------


def _bind_fields(grid, form):
    """Each editable row gets its field; every row the ids its input is described by."""
    for row in grid.rows:
        row.field = None if row.locked else form[field_name(row.placement.pk)]
        row.input_id = row.field.id_for_label if row.field else f"locked-{row.placement.pk}"
        described = []
        if row.field and row.field.errors:
            described.append(f"{row.input_id}-error")
        if not row.counted:
            described.append(f"{row.input_id}-note")
        row.described_by = " ".join(described)


def _lot_groups(grid):
    return [(rows[0].placement.lot, rows) for rows in (list(g) for _, g in groupby(grid.rows, key=_lot_id))]


def _lot_id(row):
    return row.placement.lot_id


def _navigation(user, employer, month, this_month):
    """The links of the grid: home, this grid, correcting, the months around."""
    following = next_month(month)
    return {
        "import_url": reverse("placements:declaration_import", args=[month.year, month.month])
        + employer_query(user, employer),
        "home_url": home_url(user, employer),
        "grid_url": grid_url(user, employer, month),
        "correct_url": grid_url(user, employer, month, correcting=True),
        "previous_label": month_label(rules.previous_month(month)),
        "previous_url": grid_url(user, employer, rules.previous_month(month)),
        "next_label": month_label(following),
        "next_url": grid_url(user, employer, following) if following <= this_month else "",
        "this_month_url": grid_url(user, employer, this_month),
    }


def _month_state(grid):
    if grid.declaration is not None and grid.has_current_lines:
        return {"month_state": state(MONTH_STATES, grid.declaration.status)}
    if grid.rows:
        return {"month_state": state(MONTH_STATES, NOT_STARTED)}
    return {}


def _first_month(user, grid):
    """An empty month before the employer's first placement: a link to the month it starts."""
    if grid.rows:
        return {}
    starts = Placement.objects.filter(employer=grid.employer).order_by("start_date")
    first_start = starts.values_list("start_date", flat=True).first()
    if first_start is None or rules.first_day(first_start) <= grid.month:
        return {}
    return {
        "first_month_label": month_label(first_start),
        "first_month_url": grid_url(user, grid.employer, rules.first_day(first_start)),
    }


def grid_context(user, grid, form, proof_form, this_month, stale=None, proof_message=""):
    """The grid template's context (``this_month``: the first day of today's month)."""
    _bind_fields(grid, form)
    month = grid.month
    return {
        "grid": grid,
        "employer": grid.employer,
        "month": month,
        "month_label": month_label(month),
        "of_month": of_month(month),
        "declaration": grid.declaration,
        "groups": _lot_groups(grid),
        "form": form,
        "proof_form": proof_form,
        "proofs": grid.proofs,
        "proof_message": proof_message,
        "stale": stale,
        "can_upload": grid.declaration is not None,
        "editable": any(not row.locked for row in grid.rows),
        "can_correct": not grid.correcting and any(row.locked and row.covers_month for row in grid.rows),
        "correcting": grid.correcting,
        "window_months": settings.CLAUSIER["COUNTING_WINDOW_MONTHS"],
        **_navigation(user, grid.employer, month, this_month),
        **_month_state(grid),
        **_first_month(user, grid),
    }
