"""The facilitator's validation of declared hours: the queue, a declaration's page and its review.

Thin views: ``validation_forms`` checks the input, ``declaration_services.review`` saves. Every
declaration comes through ``MonthlyDeclaration.objects.for_user`` (outsiders get 404); only
facilitators and administrators validate (others get 403). A facilitator sees and reviews the
lines of the people or operations their body follows (``Placement.objects.for_user``).
"""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, DateField, Q, Value
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.views.decorators.http import require_http_methods, require_POST

from clauses.models import Lot
from common.dates import month_label, today
from common.querystrings import query_without_page
from partners.models import Commune, Epci, Sector
from partners.permissions import is_administrator, load_memberships
from placements.declaration_rules import last_day, previous_month
from placements.models import DeclarationLine, MonthlyDeclaration, Placement, has_validated_criterion
from placements.permissions import can_follow_participants

from .access import DECLARATIONS
from .declaration_services import DeclarationErrors, review
from .declaration_tasks import undeclared_placements
from .validation_forms import QueueFilterForm, ReviewForm

QUEUE_PAGE_SIZE = 20  # declarations (employer and month) per page of the queue
MISSING_MONTHS = 3  # complete months checked for hours not sent
TO_CORRECT_SHOWN = 10
LINE_RELATED = ("placement__participant", "placement__lot__contract__operation")
# Whether the person of a line has a validated criterion: read with the line, no query more.
WITH_CRITERION = {"has_criterion": has_validated_criterion("placement__participant")}


# Helpers -----------------------------------------------------------------------------------


def _user(request):
    return load_memberships(request.user)


def _require_reviewer(user):
    if not can_follow_participants(user):
        raise PermissionDenied


def _visible_lines(user):
    """Lines (every version) of the placements the user follows."""
    if is_administrator(user):
        return DeclarationLine.objects.all()
    return DeclarationLine.objects.filter(placement__in=Placement.objects.for_user(user))


def _queue_lines(user):
    """``_visible_lines`` for the queue, which filters on them several times: the ids of the
    placements followed are read once (``Placement.objects.followed_by``)."""
    if is_administrator(user):
        return DeclarationLine.objects.all()
    return DeclarationLine.objects.filter(placement__in=Placement.objects.followed_by(user))


@dataclass(frozen=True)
class Plausibility:
    """What the placement's weekly hours let expect in the month, to spot typing mistakes."""

    weekly_hours: Decimal
    weeks: Decimal
    expected: Decimal
    exceeded: bool


def plausibility(line, month):
    """Weekly hours × weeks of the month the placement ran (a hint: overtime is legal)."""
    placement = line.placement
    start = max(month, placement.start_date)
    end = min(last_day(month), placement.end_date or last_day(month))
    days = max((end - start).days + 1, 0)
    expected = (placement.weekly_hours * days / 7).quantize(Decimal("0.1"))
    weeks = (Decimal(days) / 7).quantize(Decimal("0.1"))
    return Plausibility(placement.weekly_hours, weeks, expected, line.hours > expected)


def _hours(value):
    return floatformat(value, -2)


def _without_criterion(lines):
    """The people of these lines (annotated ``WITH_CRITERION``) who have no validated criterion:
    their hours will not count for the clause until one is validated."""
    people = {line.placement.participant_id: line.placement.participant for line in lines if not line.has_criterion}
    return sorted(people.values(), key=lambda person: (person.last_name, person.first_name, person.pk))


def _review(request, form):
    """Save the decision; False (and the reason in the form) when nothing could be saved."""
    lines, decision = form.cleaned_data["lines"], form.cleaned_data["decision"]
    comment = form.cleaned_data["comment"].strip()
    try:
        lines = review(lines, decision, request.user, comment)  # the lines still pending when saved
    except DeclarationErrors as errors:
        for message in errors.errors.values():
            form.add_error(None, message)
        return False
    validated = decision == DeclarationLine.Status.VALIDATED
    if len(lines) == 1:
        line = lines[0]
        month = month_label(line.declaration.month)
        what = f"Les heures de {line.placement.participant} ({month}, {_hours(line.hours)} h)"
        if validated:
            message = f"{what} sont validées."
        else:
            message = f"{what} sont refusées ; l'employeur verra votre commentaire pour les corriger."
    else:
        total = _hours(sum(line.hours for line in lines))
        if validated:
            message = f"{len(lines)} lignes d'heures sont validées ({total} h au total)."
        else:
            message = (
                f"{len(lines)} lignes d'heures sont refusées ; l'employeur verra votre commentaire pour les corriger."
            )
    messages.success(request, message)
    return True


# The queue ---------------------------------------------------------------------------------


def _filter_form(request, pending):
    """The filters offer the employers, lots and months that have lines waiting (read in one query,
    then the lots with their operation)."""
    waiting = set(
        pending.values_list(
            "declaration__employer", "declaration__employer__name", "placement__lot", "declaration__month"
        )
        .order_by()
        .distinct()
    )
    employers = sorted({(pk, name) for pk, name, _, _ in waiting}, key=lambda row: (row[1], row[0]))
    months = sorted({month for _, _, _, month in waiting}, reverse=True)
    lots = list(
        Lot.objects.filter(pk__any_of=sorted({lot for _, _, lot, _ in waiting}))
        .select_related("contract__operation")
        .order_by("contract__operation__title", "number", "pk")
    )
    # The territories of those lots only (a region has hundreds of EPCI): their communes' EPCI
    # and the sectors that cover those EPCI or communes.
    communes = sorted({lot.contract.operation.commune_id for lot in lots} - {None})
    epcis = Epci.objects.filter(pk__in=Commune.objects.filter(pk__any_of=communes).values("epci"))
    sectors = Sector.objects.filter(Q(epcis__communes__pk__any_of=communes) | Q(communes__pk__any_of=communes))
    return QueueFilterForm(
        request.GET or None,
        epcis=list(epcis.order_by("name", "pk")),
        sectors=list(sectors.distinct().order_by("name", "pk")),
        employers=employers,
        lots=lots,
        months=months,
    )


def _queue_page(request, lines):
    """A page of declarations with lines waiting, each with its lines and proof count."""
    declarations = (
        MonthlyDeclaration.objects.filter(pk__in=lines.values("declaration"))
        .select_related("employer")
        .annotate(proof_count=Count("proofs"))
        .order_by("month", "employer__name", "pk")
    )
    page = Paginator(declarations, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    by_declaration = defaultdict(list)
    on_page = lines.filter(declaration__in=[declaration.pk for declaration in page.object_list])
    for line in (
        on_page.select_related(*LINE_RELATED)
        .annotate(**WITH_CRITERION)
        .order_by("placement__participant__last_name", "placement__participant__first_name", "pk")
    ):
        by_declaration[line.declaration_id].append(line)
    for declaration in page.object_list:
        declaration.queue_lines = by_declaration[declaration.pk]
        for line in declaration.queue_lines:
            line.declaration = declaration
            line.plausibility = plausibility(line, declaration.month)
        declaration.queue_hours = sum(line.hours for line in declaration.queue_lines)
    page.without_criterion = _without_criterion(
        line for declaration in page.object_list for line in declaration.queue_lines
    )
    return page


def _missing_months(user, on):
    """For each of the last complete months, the employers that have not sent every person's hours
    (the months in one query)."""
    months, month = [], on
    for _ in range(MISSING_MONTHS):
        month = previous_month(month)
        months.append(month)
    placements = Placement.objects.followed_by(user)
    parts = [
        undeclared_placements(month, placements)
        .values("employer", "employer__name")
        .annotate(people=Count("pk", distinct=True), missing_month=Value(month, output_field=DateField()))
        .order_by()
        for month in months
    ]
    by_month = defaultdict(list)
    for row in parts[0].union(*parts[1:], all=True):
        by_month[row["missing_month"]].append(row)
    return [
        {
            "month": month,
            "label": month_label(month),
            "employers": sorted(by_month[month], key=lambda row: (row["employer__name"], row["employer"])),
        }
        for month in months
    ]


def _to_correct(user):
    declarations = MonthlyDeclaration.objects.to_correct_followed_by(user)
    return declarations.count(), list(
        declarations.select_related("employer").order_by("month", "employer__name", "pk")[:TO_CORRECT_SHOWN]
    )


@require_http_methods(["GET", "POST"])
def validation_queue(request):
    user = _user(request)
    _require_reviewer(user)
    visible = _queue_lines(user)
    pending = visible.filter(is_current=True, status=DeclarationLine.Status.PENDING)
    review_form = ReviewForm(request.POST or None, lines=visible)
    if request.method == "POST" and review_form.is_valid() and _review(request, review_form):
        return redirect(request.get_full_path())
    form = _filter_form(request, pending)
    lines = form.filter(pending)
    to_correct_count, to_correct = _to_correct(user)
    missing = _missing_months(user, today())
    return render(
        request,
        "placements/validation/queue.html",
        {
            "form": form,
            "review_form": review_form,
            "checked": review_form.checked_ids(),
            "page": _queue_page(request, lines),
            "line_count": lines.count(),
            "query": query_without_page(request),
            "to_correct_count": to_correct_count,
            "to_correct": to_correct,
            "missing": missing,
            "missing_count": sum(len(month["employers"]) for month in missing),
            "missing_months": MISSING_MONTHS,
        },
    )


# A declaration -----------------------------------------------------------------------------


def _declaration(request, pk):
    """The declaration if the user may see it (404 otherwise), and 403 unless they validate hours."""
    user = _user(request)
    declaration = DECLARATIONS.to_view(
        request, pk, refine=lambda declarations: declarations.select_related("employer", "submitted_by")
    )
    _require_reviewer(user)
    return declaration


def _render_detail(request, declaration, form):
    user = request.user
    visible = _visible_lines(user).filter(declaration=declaration)
    lines = list(
        visible.select_related(*LINE_RELATED, "created_by", "reviewed_by")
        .annotate(**WITH_CRITERION)
        .order_by("placement__participant__last_name", "placement__participant__first_name", "placement_id", "-version")
    )
    versions = defaultdict(list)
    for line in lines:
        line.declaration = declaration
        versions[line.placement_id].append(line)
    current = [line for line in lines if line.is_current]
    for line in current:
        line.plausibility = plausibility(line, declaration.month)
        line.older_versions = versions[line.placement_id][1:]
    hidden = 0
    if not is_administrator(user):
        hidden = declaration.lines.filter(is_current=True).exclude(pk__in=visible.values("pk")).count()
    pending = [line for line in current if line.status == DeclarationLine.Status.PENDING]
    return render(
        request,
        "placements/validation/declaration_detail.html",
        {
            "declaration": declaration,
            "month": month_label(declaration.month),
            "lines": current,
            "without_criterion": _without_criterion(current),
            "has_history": any(line.older_versions for line in current),
            "pending": pending,
            "hidden": hidden,
            "total_hours": sum(line.hours for line in current),
            "validated_hours": sum(line.hours for line in current if line.status == DeclarationLine.Status.VALIDATED),
            "proofs": list(declaration.proofs.select_related("uploaded_by")),
            "form": form,
            "checked": form.checked_ids(),
        },
    )


def declaration_detail(request, pk):
    declaration = _declaration(request, pk)
    return _render_detail(request, declaration, ReviewForm(lines=DeclarationLine.objects.none()))


@require_POST
def declaration_review(request, pk):
    """Validate or refuse lines of this declaration; ids of other declarations are ignored."""
    declaration = _declaration(request, pk)
    lines = _visible_lines(request.user).filter(declaration=declaration)
    form = ReviewForm(request.POST, lines=lines)
    if form.is_valid() and _review(request, form):
        return redirect("placements:declaration_detail", pk=declaration.pk)
    return _render_detail(request, declaration, form)
