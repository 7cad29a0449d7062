"""The save of the monthly hours grid: the typed hours checked and written, then, on request,
transmitted to the facilitator. Returns what the page should say; the view says it."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages

from common.dates import month_label, of_month
from placements import declaration_rules as rules
from placements.models import Placement

from .declaration_forms import placement_id_of
from .declaration_scope import grid_url
from .declaration_services import DeclarationErrors, StaleDeclaration, declaration_for, save_hours, submit

NOTHING_TYPED = "Saisissez les heures d'au moins une personne avant d'enregistrer."


@dataclass
class Saved:
    """Done: the message to show (with its level) on the page redirected to."""

    url: str
    level: int
    message: str


def typed_outside_grid(post, grid, form):
    """Hours posted for people who are not in the grid (their placement no longer covers the month):
    never dropped silently, they go to ``save_hours``, which refuses them with the reason."""
    in_grid = {row.placement.pk for row in grid.rows}
    extra = {}
    for key, value in post.items():
        placement_id = placement_id_of(key)
        if placement_id is None or placement_id in in_grid or not value.strip():
            continue
        try:
            extra[placement_id] = rules.parse_hours(value)
        except ValueError as exc:
            form.add_error(None, str(exc))
    return extra


def explain_outside(errors, extra, employer, month):
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


def _typed_hours(post, grid, form):
    """The hours to save, by placement; None when the form says why not."""
    if not form.is_valid():
        return None
    hours = form.hours_by_placement()
    extra = typed_outside_grid(post, grid, form)
    if form.errors:
        return None
    if not any(value is not None for value in [*hours.values(), *extra.values()]) and not grid.has_current_lines:
        form.add_error(None, NOTHING_TYPED)
        return None
    return hours, extra


def _transmit(declaration, user, url, month):
    try:
        submit(declaration, user, declaration.revision)
    except DeclarationErrors as exc:
        reason = exc.errors.get("__all__", "")
        return Saved(
            f"{url}#justificatifs",
            messages.WARNING,
            f"Vos heures {of_month(month)} sont enregistrées en brouillon, mais pas transmises. {reason}",
        )
    except StaleDeclaration as exc:
        return Saved(url, messages.ERROR, exc.message)
    return Saved(
        url,
        messages.SUCCESS,
        f"Vos heures {of_month(month)} sont transmises au facilitateur des clauses sociales. "
        "Elles apparaîtront « Validées » ici dès qu'il les aura vérifiées.",
    )


def save_grid(grid, form, post, user):
    """Save (and, when ``post`` asks, transmit) the grid: ``Saved`` when done, else the stale
    message, or None (the form then carries the errors)."""
    employer, month = grid.employer, grid.month
    typed = _typed_hours(post, grid, form)
    if typed is None:
        return None
    hours, extra = typed
    declaration = grid.declaration or declaration_for(employer, month)
    try:
        save_hours(declaration, {**hours, **extra}, user, form.cleaned_data["revision"])
    except StaleDeclaration as exc:
        return exc.message
    except DeclarationErrors as exc:
        errors, names = explain_outside(dict(exc.errors), extra, employer, month)
        form.add_declaration_errors(errors, names)
        return None
    url = grid_url(user, employer, month)
    if post.get("action") == "submit":
        return _transmit(declaration, user, url, month)
    return Saved(
        url,
        messages.SUCCESS,
        f"Le brouillon de {month_label(month)} est enregistré. Il n'est pas encore transmis : cliquez sur "
        "« Transmettre au facilitateur » quand toutes les heures sont saisies.",
    )
