"""The home of the employer's portal: the months to declare and the lots the employer works on."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, Sum
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from clauses.models import Lot
from common.dates import month_label, today
from partners.models import Organisation
from placements import declaration_rules as rules
from placements.models import DeclarationLine, MonthlyDeclaration, Placement

from .declaration_grid import MONTH_STATES, NOT_STARTED, NOTHING, state
from .declaration_scope import EMPLOYER_KINDS, employer_of, employer_query, grid_url

MONTHS_SHOWN = 12


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


def _month_declarations(employer, since):
    current = Q(lines__is_current=True)
    return {
        declaration.month: declaration
        for declaration in MonthlyDeclaration.objects.filter(employer=employer, month__gte=since).annotate(
            current_lines=Count("lines", filter=current),
            sent_lines=Count("lines", filter=current & ~Q(lines__status=DeclarationLine.Status.DRAFT)),
            declared_hours=Sum("lines__hours", filter=current),
        )
    }


def _month_rows(user, employer, placements, this_month):
    months = [this_month]
    while len(months) < MONTHS_SHOWN:
        months.append(rules.previous_month(months[-1]))
    declarations = _month_declarations(employer, months[-1])
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
                state=state(MONTH_STATES, key),
                url=grid_url(user, employer, month),
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


def _choose_employer(request):
    """Administrators choose first the employer whose portal they see."""
    choices = Organisation.objects.filter(kind__in=EMPLOYER_KINDS, placements__isnull=False).distinct().order_by("name")
    return render(request, "placements/portal/home.html", {"employer": None, "choices": choices})


@require_http_methods(["GET"])
def portal_home(request):
    employer = employer_of(request)
    user = request.user
    if employer is None:
        return _choose_employer(request)
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
    context = {
        "employer": employer,
        "today": on,
        "this_month": months[0],
        "months": months,
        "to_declare": to_declare,
        "to_correct": to_correct,
        "lot_groups": _lot_groups(user, employer, placements, on),
        "employer_query": employer_query(user, employer),
    }
    return render(request, "placements/portal/home.html", context)
