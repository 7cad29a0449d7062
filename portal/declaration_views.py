"""The employer's portal: the home of their declarations, the monthly hours grid, the proof files.

Employers (and administrators, who choose the employer with ``?employeur=``) declare each month the
hours of the people they employ on lots with a clause. Thin views: ``declaration_forms`` reads the
typed hours, ``declaration_services`` checks and saves them (all or nothing, optimistic lock on the
month), ``proofs`` checks the files. Objects come through ``for_user``: outsiders get 404; a user
who may see but not write (a facilitator) gets 403. Nothing here shows eligibility data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import groupby

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from clauses.models import Lot
from common.dates import month_label, of_month, today
from partners.models import Organisation
from partners.permissions import has_role, is_administrator, load_memberships
from partners.roles import Role
from placements import declaration_rules as rules
from placements.models import (
    DeclarationLine,
    DeclarationProof,
    MonthlyDeclaration,
    PersonalDataAccess,
    Placement,
    private_storage,
    proof_upload_path,
)
from placements.personal_data import log_access, participants_of_declaration

from . import proofs
from .declaration_forms import DeclarationGridForm, ProofForm, field_name, format_hours, placement_id_of
from .declaration_services import (
    DeclarationErrors,
    StaleDeclaration,
    declarable_placements,
    declaration_for,
    save_hours,
    submit,
)

EMPLOYER_KINDS = (Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE)
EMPLOYER_PARAM = "employeur"
CORRECT_PARAM = "corriger"
MONTHS_SHOWN = 12
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


# Who declares for whom --------------------------------------------------------------------


def can_declare(user):
    """Employers declare for their organisation; administrators may act for any employer."""
    return has_role(user, Role.EMPLOYER) or is_administrator(user)


def _own_organisations(user):
    return [m.organisation for m in user.memberships.all() if m.is_active and m.role == Role.EMPLOYER]


def _employer_of(request):
    """The company or structure whose declarations the page shows.

    Employers: their organisation (one of theirs, with ``?employeur=``, when they have several);
    administrators: the one chosen with ``?employeur=``, None until they choose; others: 403.
    """
    user = request.user
    load_memberships(user)
    if not can_declare(user):
        raise PermissionDenied
    own = _own_organisations(user)
    wanted = request.GET.get(EMPLOYER_PARAM, "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        for organisation in own:
            if organisation.pk == int(wanted):
                return organisation
        if is_administrator(user):
            return get_object_or_404(Organisation.objects.filter(kind__in=EMPLOYER_KINDS), pk=int(wanted))
        raise Http404
    return own[0] if own else None


def _employer_query(user, employer):
    """``?employeur=<pk>`` when the user could mean another organisation, else nothing."""
    if [organisation.pk for organisation in _own_organisations(user)] == [employer.pk]:
        return ""
    return f"?{EMPLOYER_PARAM}={employer.pk}"


def _home_url(user, employer):
    return reverse("placements:portal_home") + _employer_query(user, employer)


def _grid_url(user, employer, month, correcting=False):
    url = reverse("placements:declaration_grid", args=[month.year, f"{month.month:02d}"])
    query = _employer_query(user, employer)
    if correcting:
        query = f"{query}&{CORRECT_PARAM}=1" if query else f"?{CORRECT_PARAM}=1"
    return url + query


def _month_or_404(year, month):
    try:
        return date(year, month, 1)
    except ValueError as exc:
        raise Http404 from exc


def _next_month(month):
    return rules.first_day(rules.last_day(month) + timedelta(days=1))


def _state(states, key):
    label, css = states[key]
    return {"key": key, "label": label, "css": css}


# Portal home -------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    label: str
    people: int
    declaration: MonthlyDeclaration | None
    state: dict
    url: str
    is_current: bool

    @property
    def started(self):
        return bool(self.declaration and self.declaration.current_lines)

    @property
    def sent(self):
        return bool(self.declaration and self.declaration.sent_lines)


def _month_rows(user, employer, placements, this_month):
    months = [this_month]
    while len(months) < MONTHS_SHOWN:
        months.append(rules.previous_month(months[-1]))
    current = Q(lines__is_current=True)
    declarations = {
        declaration.month: declaration
        for declaration in MonthlyDeclaration.objects.filter(employer=employer, month__gte=months[-1]).annotate(
            current_lines=Count("lines", filter=current),
            sent_lines=Count("lines", filter=current & ~Q(lines__status=DeclarationLine.Status.DRAFT)),
            declared_hours=Sum("lines__hours", filter=current),
        )
    }
    rows = []
    for month in months:
        people = sum(1 for p in placements if rules.ran_during(month, p.start_date, p.end_date))
        declaration = declarations.get(month)
        if declaration is not None and declaration.current_lines:
            key = declaration.status
        else:
            key = NOT_STARTED if people else NOTHING
        rows.append(
            MonthRow(
                month=month,
                label=month_label(month),
                people=people,
                declaration=declaration,
                state=_state(MONTH_STATES, key),
                url=_grid_url(user, employer, month),
                is_current=month == this_month,
            )
        )
    return rows


def _lot_groups(user, employer, placements, on):
    """The lots the organisation works on, with their progress, and the people it employs there.

    Progress comes only for the lots the user may see (``Lot.objects.for_user``); a lot where the
    organisation has people but no award is listed with its people only.
    """
    lot_ids = {placement.lot_id for placement in placements}
    lots = list(
        Lot.objects.for_user(user)
        .with_progress_data()
        .filter(pk__in=Lot.objects.filter(Q(awards__company=employer) | Q(pk__in=lot_ids)).values("pk"))
        .order_by("contract__operation__title", "number")
    )
    people = defaultdict(list)
    for placement in placements:
        placement.running = placement.start_date <= on and (placement.end_date is None or placement.end_date >= on)
        people[placement.lot_id].append(placement)
    groups = []
    for lot in lots:
        has_clause = getattr(lot, "clause", None) is not None
        groups.append({"lot": lot, "progress": lot.progress(on) if has_clause else None, "people": people[lot.pk]})
    shown = {lot.pk for lot in lots}
    for placement in placements:
        if placement.lot_id not in shown:
            shown.add(placement.lot_id)
            groups.append({"lot": placement.lot, "progress": None, "people": people[placement.lot_id], "hidden": True})
    return groups


@require_http_methods(["GET"])
def portal_home(request):
    employer = _employer_of(request)
    user = request.user
    if employer is None:
        choices = (
            Organisation.objects.filter(kind__in=EMPLOYER_KINDS, placements__isnull=False).distinct().order_by("name")
        )
        return render(request, "placements/portal/home.html", {"employer": None, "choices": choices})
    on = today()
    this_month = rules.first_day(on)
    placements = list(
        Placement.objects.filter(employer=employer)
        .select_related("participant", "lot__contract__operation__buyer")
        .order_by("lot_id", "participant__last_name", "participant__first_name", "-start_date")
    )
    months = _month_rows(user, employer, placements, this_month)
    to_declare = [row for row in months if row.month < this_month and row.people and not row.sent]
    to_correct = [row for row in months if row.state["key"] == MonthlyDeclaration.Status.TO_CORRECT]
    return render(
        request,
        "placements/portal/home.html",
        {
            "employer": employer,
            "today": on,
            "this_month": months[0],
            "months": months,
            "to_declare": to_declare,
            "to_correct": to_correct,
            "lot_groups": _lot_groups(user, employer, placements, on),
            "employer_query": _employer_query(user, employer),
        },
    )


# The monthly grid --------------------------------------------------------------------------


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
        return _state(LINE_STATES, self.line.status if self.line else None)

    @property
    def initial_text(self):
        """A refused line starts empty: the person types the corrected hours (the refused ones are shown)."""
        if self.line is None or self.line.status == DeclarationLine.Status.REJECTED:
            return ""
        return format_hours(self.line.hours)

    @property
    def hours_text(self):
        return format_hours(self.line.hours) if self.line else ""


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


def _is_locked(line, validated_month, correcting):
    """A validated month, or a validated line, is read-only until the person asks to correct it."""
    if correcting:
        return False
    return validated_month or (line is not None and line.status == DeclarationLine.Status.VALIDATED)


def _load_grid(employer, month, correcting, create):
    """Everything the grid shows, in a fixed number of queries whatever the number of people."""
    placements = list(declarable_placements(employer, month))
    if placements and create:
        declaration = declaration_for(employer, month)
    else:
        declaration = MonthlyDeclaration.objects.filter(employer=employer, month=month).first()
    grid = Grid(employer=employer, month=month, correcting=correcting, declaration=declaration)
    lines = []
    if declaration is not None:
        lines = list(
            declaration.lines.select_related(
                "created_by", "reviewed_by", "placement__participant", "placement__lot__contract__operation"
            ).order_by("placement_id", "-version")
        )
        grid.proofs = list(declaration.proofs.select_related("uploaded_by"))
        for proof in grid.proofs:
            proof.size_text = proofs.size_label(proof.size)
    current, history = {}, defaultdict(list)
    for line in lines:
        line.state = _state(LINE_STATES, line.status)
        line.hours_text = format_hours(line.hours)
        if line.is_current:
            current[line.placement_id] = line
        else:
            history[line.placement_id].append(line)
    validated_month = grid.validated
    for placement in placements:
        line = current.get(placement.pk)
        window = placement.participant.counting_window()
        grid.rows.append(
            GridRow(
                placement=placement,
                line=line,
                history=history[placement.pk],
                locked=_is_locked(line, validated_month, correcting),
                counted=line.counted
                if line
                else rules.counts(
                    month,
                    window,
                    is_training=placement.mode == Placement.Mode.TRAINING,
                    training_counts=settings.CLAUSIER["TRAINING_HOURS_COUNT"],
                ),
                window_start=window.start if window else None,
            )
        )
    declarable = {placement.pk for placement in placements}
    for placement_id, line in current.items():
        if placement_id not in declarable:  # the placement's dates changed since: shown, read-only
            grid.rows.append(
                GridRow(
                    placement=line.placement,
                    line=line,
                    history=history[placement_id],
                    locked=True,
                    counted=line.counted,
                    covers_month=False,
                )
            )
    grid.rows.sort(
        key=lambda row: (
            row.placement.lot.contract.operation.title,
            row.placement.lot.number,
            row.placement.lot_id,
            row.placement.participant.last_name,
            row.placement.participant.first_name,
            row.placement.pk,
        )
    )
    return grid


def _grid_form(grid, data=None):
    revision = grid.declaration.revision if grid.declaration else 0
    return DeclarationGridForm(data, rows=grid.rows, month=grid.month, initial={"revision": revision})


def _render_grid(request, grid, form, proof_form, stale=None, proof_message="", status=200):
    user, employer, month = request.user, grid.employer, grid.month
    for row in grid.rows:
        row.field = None if row.locked else form[field_name(row.placement.pk)]
        row.input_id = row.field.id_for_label if row.field else f"locked-{row.placement.pk}"
        described = []
        if row.field and row.field.errors:
            described.append(f"{row.input_id}-error")
        if not row.counted:
            described.append(f"{row.input_id}-note")
        row.described_by = " ".join(described)
    groups = [
        (rows[0].placement.lot, rows)
        for _, rows in ((key, list(group)) for key, group in groupby(grid.rows, key=lambda r: r.placement.lot_id))
    ]
    this_month = rules.first_day(today())
    next_month = _next_month(month)
    context = {
        "grid": grid,
        "employer": employer,
        "month": month,
        "month_label": month_label(month),
        "of_month": of_month(month),
        "import_url": reverse("placements:declaration_import", args=[month.year, month.month])
        + _employer_query(user, employer),
        "declaration": grid.declaration,
        "groups": groups,
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
        "home_url": _home_url(user, employer),
        "grid_url": _grid_url(user, employer, month),
        "correct_url": _grid_url(user, employer, month, correcting=True),
        "previous_label": month_label(rules.previous_month(month)),
        "previous_url": _grid_url(user, employer, rules.previous_month(month)),
        "next_label": month_label(next_month),
        "next_url": _grid_url(user, employer, next_month) if next_month <= this_month else "",
        "this_month_url": _grid_url(user, employer, this_month),
    }
    if grid.declaration is not None and grid.has_current_lines:
        context["month_state"] = _state(MONTH_STATES, grid.declaration.status)
    elif grid.rows:
        context["month_state"] = _state(MONTH_STATES, NOT_STARTED)
    if not grid.rows:
        first = Placement.objects.filter(employer=employer).order_by("start_date").values_list("start_date", flat=True)
        first_start = first.first()
        if first_start is not None and rules.first_day(first_start) > month:
            context["first_month_label"] = month_label(first_start)
            context["first_month_url"] = _grid_url(user, employer, rules.first_day(first_start))
    return render(request, GRID_TEMPLATE, context, status=status)


def _typed_outside_grid(request, grid, form):
    """Hours posted for people who are not in the grid (their placement no longer covers the month):
    never dropped silently, they go to ``save_hours``, which refuses them with the reason."""
    in_grid = {row.placement.pk for row in grid.rows}
    extra = {}
    for key, value in request.POST.items():
        placement_id = placement_id_of(key)
        if placement_id is None or placement_id in in_grid or not value.strip():
            continue
        try:
            extra[placement_id] = rules.parse_hours(value)
        except ValueError as exc:
            form.add_error(None, str(exc))
    return extra


def _explain_outside(errors, extra, employer, month):
    """Name the person and the placement's dates when hours were typed outside its months."""
    names = {}
    own = Placement.objects.filter(employer=employer, pk__in=[pk for pk in extra if pk in errors])
    for placement in own.select_related("participant"):
        names[placement.pk] = str(placement.participant)
        problem = rules.hours_problem(
            extra[placement.pk],
            month,
            placement.start_date,
            placement.end_date,
            settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"],
        )
        if problem:
            errors[placement.pk] = problem
    return errors, names


def _save_grid(request, grid, form):
    """Save (and, on request, transmit) the grid; a redirect when done, else the stale message or None."""
    user, employer, month = request.user, grid.employer, grid.month
    if not form.is_valid():
        return None
    hours = form.hours_by_placement()
    extra = _typed_outside_grid(request, grid, form)
    if form.errors:
        return None
    if not any(value is not None for value in [*hours.values(), *extra.values()]) and not grid.has_current_lines:
        form.add_error(None, "Saisissez les heures d'au moins une personne avant d'enregistrer.")
        return None
    declaration = grid.declaration or declaration_for(employer, month)
    try:
        save_hours(declaration, {**hours, **extra}, user, form.cleaned_data["revision"])
    except StaleDeclaration as exc:
        return exc.message
    except DeclarationErrors as exc:
        errors, names = _explain_outside(dict(exc.errors), extra, employer, month)
        form.add_declaration_errors(errors, names)
        return None
    label = month_label(month)
    url = _grid_url(user, employer, month)
    if request.POST.get("action") != "submit":
        messages.success(
            request,
            f"Le brouillon de {label} est enregistré. Il n'est pas encore transmis : cliquez sur "
            "« Transmettre au facilitateur » quand toutes les heures sont saisies.",
        )
        return redirect(url)
    try:
        submit(declaration, user, declaration.revision)
    except DeclarationErrors as exc:
        reason = exc.errors.get("__all__", "")
        messages.warning(
            request, f"Vos heures {of_month(month)} sont enregistrées en brouillon, mais pas transmises. {reason}"
        )
        return redirect(f"{url}#justificatifs")
    except StaleDeclaration as exc:
        messages.error(request, exc.message)
        return redirect(url)
    messages.success(
        request,
        f"Vos heures {of_month(month)} sont transmises au facilitateur des clauses sociales. "
        "Elles apparaîtront « Validées » ici dès qu'il les aura vérifiées.",
    )
    return redirect(url)


@require_http_methods(["GET", "POST"])
def declaration_grid(request, year, month):
    employer = _employer_of(request)
    if employer is None:
        messages.info(request, "Choisissez d'abord l'employeur dont vous voulez voir les déclarations.")
        return redirect("placements:portal_home")
    month = _month_or_404(year, month)
    if month > rules.first_day(today()):
        context = {
            "future": True,
            "employer": employer,
            "month_label": month_label(month),
            "home_url": _home_url(request.user, employer),
            "this_month_url": _grid_url(request.user, employer, rules.first_day(today())),
        }
        return render(request, GRID_TEMPLATE, context, status=404)
    correcting = request.GET.get(CORRECT_PARAM) == "1"
    grid = _load_grid(employer, month, correcting, create=True)
    if request.method == "POST":
        if not grid.rows:
            return redirect(_grid_url(request.user, employer, month))
        if all(row.locked for row in grid.rows):
            messages.info(
                request,
                "Ces heures sont validées : rien n'a été modifié. Pour corriger une ligne, "
                "cliquez sur « Corriger une ligne ».",
            )
            return redirect(_grid_url(request.user, employer, month))
        form = _grid_form(grid, request.POST)
        outcome = _save_grid(request, form=form, grid=grid)
        if outcome is not None and not isinstance(outcome, str):
            return outcome
        return _render_grid(request, grid, form, ProofForm(), stale=outcome)
    return _render_grid(request, grid, _grid_form(grid), ProofForm())


# Proof files -------------------------------------------------------------------------------


def _store_proof(declaration, form, user):
    """Store the file under a generated name on the private storage; keep the person's name apart."""
    uploaded = form.cleaned_data["file"]
    proof = DeclarationProof(
        declaration=declaration,
        original_name=proofs.original_name(uploaded.name),
        content_type=form.kind.content_type,
        size=uploaded.size,
        uploaded_by=user,
    )
    # The storage is built here, not taken from the field: it follows PRIVATE_STORAGE_ROOT as it is now.
    storage = private_storage()
    proof.file.name = storage.save(proof_upload_path(proof, proofs.stored_name(form.kind)), uploaded)
    try:
        proof.save()
    except Exception:
        storage.delete(proof.file.name)
        raise
    return proof


@require_POST
def proof_upload(request, pk):
    user = request.user
    load_memberships(user)
    declaration = get_object_or_404(MonthlyDeclaration.objects.for_user(user).select_related("employer"), pk=pk)
    if not can_declare(user):
        raise PermissionDenied
    employer, month = declaration.employer, declaration.month
    form = ProofForm(request.POST, request.FILES)
    message = ""
    if form.is_valid():
        proof = _store_proof(declaration, form, user)
        message = f"Le justificatif « {proof.original_name} » est joint aux heures {of_month(month)}."
        if not request.htmx:
            messages.success(request, message)
            return redirect(f"{_grid_url(user, employer, month)}#justificatifs")
        form = ProofForm()
    grid = _load_grid(employer, month, correcting=False, create=False)
    if request.htmx:
        context = {
            "declaration": declaration,
            "month_label": month_label(month),
            "proofs": grid.proofs,
            "proof_form": form,
            "proof_message": message,
            "can_upload": True,
        }
        return render(request, "placements/portal/_proofs.html", context)
    return _render_grid(request, grid, _grid_form(grid), form)


@require_http_methods(["GET"])
def proof_download(request, pk):
    """The file, to whoever may see its declaration: its employer, the facilitators who follow it,
    administrators. Anyone else gets 404, as if it did not exist."""
    user = request.user
    load_memberships(user)
    proof = get_object_or_404(
        DeclarationProof.objects.filter(declaration__in=MonthlyDeclaration.objects.for_user(user)), pk=pk
    )
    try:
        handle = private_storage().open(proof.file.name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("Le fichier de ce justificatif est introuvable.") from exc
    # A payslip or a statement names the people of the declaration: log one access for each.
    log_access(request, participants_of_declaration(proof.declaration_id), PersonalDataAccess.Kind.PROOF)
    return FileResponse(handle, as_attachment=True, filename=proof.original_name, content_type=proof.content_type)
