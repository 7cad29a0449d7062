"""Views of lots, their clause, awards and invoiced amounts. Thin: forms, read models and rules do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.dates import today
from common.querystrings import query_without_page
from partners.panels import panels_for
from partners.permissions import is_department_staff

from . import computation, hours
from . import lot_list as lot_list_page
from .access import AWARDS, INVOICED_AMOUNTS
from .forms import AwardForm, ClauseForm, InvoicedAmountForm, LotForm
from .models import Contract, HoursSettings, Lot, LotAward, Operation, Trade
from .permissions import can_create_operations, can_edit_operation
from .services import save_lot_with_clause
from .timeline import lot_timeline
from .view_support import contract_or_404, filter_form, lot_or_404, require_edit


def lot_list(request):
    form = filter_form(request, Operation.objects.for_user(request.user))
    on = today()
    rows = lot_list_page.progress_rows(Lot.objects.for_user(request.user).with_progress_figures(), form, on)
    return render(
        request,
        "clauses/lot_list.html",
        {
            "form": form,
            "page": lot_list_page.page_of(rows, request.GET.get("page")),
            "query": query_without_page(request),
            "total": lot_list_page.total(rows, on),
            "count": len(rows),
        },
    )


def lot_detail(request, pk):
    lot = lot_or_404(request, pk)
    clause = getattr(lot, "clause", None)
    return render(
        request,
        "clauses/lot_detail.html",
        {
            "lot": lot,
            "clause": clause,
            "progress": lot.progress(),
            "awards": lot.awards.select_related("company"),
            "invoiced_amounts": lot.invoiced_amounts.all(),
            "timeline": lot_timeline(lot),
            "show_authors": is_department_staff(request.user),
            "panels": panels_for(lot, request.user),
            "explanation": _explain(lot, clause),
            "minimum": HoursSettings.current().minimum_hours,
            "can_edit": can_edit_operation(request.user, lot.contract.operation),
        },
    )


def _explain(lot, clause):
    if clause is None:
        return None
    inputs = {name: getattr(clause, name) for name in computation.REQUIRED_INPUTS.get(clause.method, {})}
    inputs.update(
        cleaning_coefficient=clause.cleaning_coefficient, transferred_monthly_hours=clause.transferred_monthly_hours
    )
    return computation.compute(
        clause.method,
        lot.amount_excl_tax,
        inputs,
        months=hours.months_between(lot.start_date, lot.end_date),
        invoiced_total=getattr(lot, "invoiced_total", None),
        minimum=HoursSettings.current().minimum_hours,
    )


def _lot_forms(request, contract, lot=None):
    data = request.POST if request.method == "POST" else None
    lot_form = LotForm(data, instance=lot, contract=contract)
    clause = getattr(lot, "clause", None) if lot else None
    trade = lot.trade if lot else None
    clause_form = ClauseForm(data, instance=clause, contract=contract, trade=trade)
    return lot_form, clause_form


def _save_lot(request, contract, lot=None):
    lot_form, clause_form = _lot_forms(request, contract, lot)
    if request.method == "POST":
        lot_ok = lot_form.is_valid()
        clause_ok = clause_form.is_valid()
        if lot_ok and clause_ok:
            clause_form.compute(lot_form.cleaned_data)
        if lot_ok and clause_ok and clause_form.is_valid() and not clause_form.errors:
            saved = save_lot_with_clause(lot_form, clause_form)
            message = f"Le lot {saved.number} est enregistré : {clause_form.computation.hours} h calculées."
            if clause_form.computation.below_minimum:
                messages.warning(
                    request,
                    f"{message} C'est moins que le minimum conseillé de {clause_form.settings.minimum_hours} h.",
                )
            else:
                messages.success(request, message)
            return redirect("clauses:lot_detail", pk=saved.pk)
    return render(
        request,
        "clauses/lot_form.html",
        {
            "lot_form": lot_form,
            "clause_form": clause_form,
            "forms": [lot_form, clause_form],
            "contract": contract,
            "lot": lot,
            "trades": Trade.objects.all(),
        },
    )


def lot_create(request, pk):
    contract = contract_or_404(request, pk)
    require_edit(request, contract.operation)
    return _save_lot(request, contract)


def lot_update(request, pk):
    lot = lot_or_404(request, pk)
    require_edit(request, lot.contract.operation)
    return _save_lot(request, lot.contract, lot)


@require_POST
def hours_calculator(request):
    """htmx: the hours of the clause as the facilitator types, with the computation shown."""
    if not can_create_operations(request.user):
        raise PermissionDenied
    contract = None
    if request.POST.get("contract"):
        contract = Contract.objects.for_user(request.user).filter(pk=request.POST["contract"]).first()
    lot_form = LotForm(request.POST, contract=contract) if contract else None
    lot_data = {}
    if lot_form is not None:
        lot_form.is_valid()
        lot_data = {k: lot_form.cleaned_data.get(k) for k in ("amount_excl_tax", "start_date", "end_date", "trade")}
    clause_form = ClauseForm(request.POST, contract=contract or Contract(is_purchase_order_framework=True))
    # Compute with whatever inputs are valid so far: the legal basis may still be empty.
    clause_form.is_valid()
    result = clause_form.compute(lot_data)
    return render(
        request,
        "clauses/includes/hours_result.html",
        {"result": result, "errors": clause_form.errors, "minimum": clause_form.settings.minimum_hours},
    )


# Awards and invoiced amounts ---------------------------------------------------------------


def award_create(request, pk):
    lot = lot_or_404(request, pk)
    require_edit(request, lot.contract.operation)
    form = AwardForm(request.POST or None, lot=lot)
    if request.method == "POST" and form.is_valid():
        LotAward.objects.create(lot=lot, company=form.company, role=form.cleaned_data["role"])
        messages.success(request, f"« {form.company.name} » est attributaire du lot {lot.number}.")
        return redirect("clauses:lot_detail", pk=lot.pk)
    return render(request, "clauses/award_form.html", {"form": form, "lot": lot})


@require_http_methods(["GET", "POST"])
def award_delete(request, pk):
    award = AWARDS.to_change(
        request, pk, refine=lambda awards: awards.select_related("company", "lot__contract__operation")
    )
    if request.method == "POST":
        award.delete()
        messages.success(request, f"« {award.company.name} » n'est plus attributaire du lot {award.lot.number}.")
        return redirect("clauses:lot_detail", pk=award.lot_id)
    return render(
        request,
        "clauses/confirm_delete.html",
        {"title": f"Retirer « {award.company.name} » du lot {award.lot.number} ?", "back": award.lot},
    )


def invoiced_create(request, pk):
    lot = lot_or_404(request, pk)
    require_edit(request, lot.contract.operation)
    form = InvoicedAmountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        invoiced = form.save(commit=False)
        invoiced.lot = lot
        invoiced.save()
        messages.success(request, "Le montant facturé est enregistré ; l'obligation d'heures est mise à jour.")
        return redirect("clauses:lot_detail", pk=lot.pk)
    return render(request, "clauses/invoiced_form.html", {"form": form, "lot": lot})


@require_http_methods(["GET", "POST"])
def invoiced_delete(request, pk):
    invoiced = INVOICED_AMOUNTS.to_change(
        request, pk, refine=lambda amounts: amounts.select_related("lot__contract__operation")
    )
    if request.method == "POST":
        invoiced.delete()
        messages.success(request, "Le montant facturé est supprimé.")
        return redirect("clauses:lot_detail", pk=invoiced.lot_id)
    return render(
        request,
        "clauses/confirm_delete.html",
        {"title": f"Supprimer le montant facturé {invoiced} ?", "back": invoiced.lot},
    )
