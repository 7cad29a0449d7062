"""The employer's monthly hours grid.

Employers (and administrators, who choose the employer with ``?employeur=``) declare each month the
hours of the people they employ on lots with a clause. Thin views: ``declaration_grid`` reads what
the grid shows, ``declaration_forms`` reads the typed hours, ``declaration_grid_save`` and
``declaration_services`` check and save them (all or nothing, optimistic lock on the month).
Outsiders get 404; a user who may see but not write (a facilitator) gets 403. Nothing here shows
eligibility data. The portal home is in ``home_views``, the proof files in ``proof_views``.
"""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.dates import month_label, today
from placements import declaration_rules as rules

from .declaration_forms import ProofForm
from .declaration_grid import GRID_TEMPLATE, grid_context, grid_form, load_grid
from .declaration_grid_save import Saved, save_grid
from .declaration_scope import CORRECT_PARAM, employer_of, grid_url, home_url, month_or_404

ALL_LOCKED = (
    "Ces heures sont validées : rien n'a été modifié. Pour corriger une ligne, cliquez sur « Corriger une ligne »."
)


def render_grid(request, grid, form, proof_form, stale=None, proof_message="", status=200):
    this_month = rules.first_day(today())
    context = grid_context(request.user, grid, form, proof_form, this_month, stale, proof_message)
    return render(request, GRID_TEMPLATE, context, status=status)


def _future_month(request, employer, month):
    this_month = rules.first_day(today())
    context = {
        "future": True,
        "employer": employer,
        "month_label": month_label(month),
        "home_url": home_url(request.user, employer),
        "this_month_url": grid_url(request.user, employer, this_month),
    }
    return render(request, GRID_TEMPLATE, context, status=404)


def _post_grid(request, grid):
    url = grid_url(request.user, grid.employer, grid.month)
    if not grid.rows:
        return redirect(url)
    if all(row.locked for row in grid.rows):
        messages.info(request, ALL_LOCKED)
        return redirect(url)
    form = grid_form(grid, request.POST)
    outcome = save_grid(grid, form, request.POST, request.user)
    if isinstance(outcome, Saved):
        messages.add_message(request, outcome.level, outcome.message)
        return redirect(outcome.url)
    return render_grid(request, grid, form, ProofForm(), stale=outcome)


@require_http_methods(["GET", "POST"])
def declaration_grid(request, year, month):
    employer = employer_of(request)
    if employer is None:
        messages.info(request, "Choisissez d'abord l'employeur dont vous voulez voir les déclarations.")
        return redirect("placements:portal_home")
    month = month_or_404(year, month)
    if month > rules.first_day(today()):
        return _future_month(request, employer, month)
    correcting = request.GET.get(CORRECT_PARAM) == "1"
    grid = load_grid(employer, month, correcting, create=True)
    if request.method == "POST":
        return _post_grid(request, grid)
    return render_grid(request, grid, grid_form(grid), ProofForm())
