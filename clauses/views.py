"""Views of operations, contracts, lots and clauses. Thin: forms, querysets and rules do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from common.dates import today
from common.querystrings import query_without_page
from partners.models import Epci, Organisation, Sector
from partners.panels import panels_for
from partners.permissions import is_department_staff

from . import computation, hours
from .forms import (
    AwardForm,
    ClauseForm,
    ContractForm,
    InvoicedAmountForm,
    LotFilterForm,
    LotForm,
    OperationForm,
)
from .models import Contract, HoursSettings, InvoicedAmount, Lot, LotAward, Operation, Trade
from .permissions import can_create_operations, can_edit_operation
from .progress import progress_by, total_progress
from .services import save_lot_with_clause
from .timeline import lot_timeline

PAGE_SIZE = 50


def _require_edit(request, operation):
    if not can_edit_operation(request.user, operation):
        raise PermissionDenied


def _visible_lots(user):
    return Lot.objects.for_user(user).with_progress_data()


# Operations --------------------------------------------------------------------------------


def operation_list(request):
    operations = Operation.objects.for_user(request.user).select_related("buyer", "commune__epci", "facilitation_body")
    form = _filter_form(request, operations)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            operations = operations.filter(Q(title__icontains=data["q"]) | Q(contracts__reference__icontains=data["q"]))
        if data["buyer"]:
            operations = operations.filter(buyer=data["buyer"])
        operations = operations.filter(**form.commune_filter("commune"))
        if data["year"]:
            operations = operations.filter(
                contracts__lots__start_date__year__lte=data["year"], contracts__lots__end_date__year__gte=data["year"]
            )
        if data["legal_basis"]:
            operations = operations.filter(contracts__lots__clause__legal_basis=data["legal_basis"])
    operations = list(operations.distinct().order_by("-start_date", "title"))
    lots = _visible_lots(request.user).filter(contract__operation__in=operations)
    progress = progress_by(lots, lambda lot: lot.contract.operation_id)
    rows = [(operation, progress.get(operation.pk)) for operation in operations]
    if form.is_valid():
        status = form.cleaned_data["status"] or (hours.BEHIND if form.cleaned_data["behind"] else "")
        if status:
            rows = [row for row in rows if row[1] is not None and row[1].status == status]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clauses/operation_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "total": total_progress([lot for lot in lots if lot.contract.operation_id in {r[0].pk for r in rows}]),
            "can_create": can_create_operations(request.user),
        },
    )


def operation_detail(request, pk):
    operation = get_object_or_404(
        Operation.objects.for_user(request.user).select_related("buyer", "commune__epci", "facilitation_body"), pk=pk
    )
    lots = list(_visible_lots(request.user).filter(contract__operation=operation).prefetch_related("awards__company"))
    contract_ids = {lot.contract_id for lot in lots}
    contracts = operation.contracts.all()
    if not can_edit_operation(request.user, operation):
        contracts = contracts.filter(pk__in=contract_ids)
    contract_progress = progress_by(lots, lambda lot: lot.contract_id)
    return render(
        request,
        "clauses/operation_detail.html",
        {
            "operation": operation,
            "contracts": [
                (c, contract_progress.get(c.pk), [lot for lot in lots if lot.contract_id == c.pk]) for c in contracts
            ],
            "progress": total_progress(lots),
            "can_edit": can_edit_operation(request.user, operation),
        },
    )


def operation_create(request):
    if not can_create_operations(request.user):
        raise PermissionDenied
    form = OperationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        operation = form.save()
        messages.success(
            request, f"L'opération « {operation.title} » est créée, suivie par {operation.facilitation_body}."
        )
        return redirect("clauses:operation_detail", pk=operation.pk)
    return render(request, "clauses/operation_form.html", {"form": form, "operation": None})


def operation_update(request, pk):
    operation = get_object_or_404(Operation.objects.for_user(request.user), pk=pk)
    _require_edit(request, operation)
    form = OperationForm(request.POST or None, instance=operation, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'opération est modifiée.")
        return redirect("clauses:operation_detail", pk=operation.pk)
    return render(request, "clauses/operation_form.html", {"form": form, "operation": operation})


# Contracts ---------------------------------------------------------------------------------


def contract_list(request):
    contracts = Contract.objects.for_user(request.user).select_related("operation__buyer", "operation__commune")
    form = _filter_form(request, Operation.objects.for_user(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            contracts = contracts.filter(
                Q(reference__icontains=data["q"])
                | Q(title__icontains=data["q"])
                | Q(operation__title__icontains=data["q"])
            )
        if data["buyer"]:
            contracts = contracts.filter(operation__buyer=data["buyer"])
        contracts = contracts.filter(**form.commune_filter("operation__commune"))
        if data["year"]:
            contracts = contracts.filter(start_date__year__lte=data["year"], end_date__year__gte=data["year"])
        if data["legal_basis"]:
            contracts = contracts.filter(lots__clause__legal_basis=data["legal_basis"])
    contracts = list(contracts.distinct().order_by("-start_date", "reference"))
    lots = list(_visible_lots(request.user).filter(contract__in=contracts))
    progress = progress_by(lots, lambda lot: lot.contract_id)
    rows = [(contract, progress.get(contract.pk)) for contract in contracts]
    if form.is_valid():
        status = form.cleaned_data["status"] or (hours.BEHIND if form.cleaned_data["behind"] else "")
        if status:
            rows = [row for row in rows if row[1] is not None and row[1].status == status]
    kept = {contract.pk for contract, _ in rows}
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "clauses/contract_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "total": total_progress([lot for lot in lots if lot.contract_id in kept]),
        },
    )


def _contract(request, pk):
    contracts = Contract.objects.for_user(request.user).select_related("operation__buyer", "operation__commune")
    return get_object_or_404(contracts, pk=pk)


def contract_detail(request, pk):
    contract = _contract(request, pk)
    lots = list(_visible_lots(request.user).filter(contract=contract).prefetch_related("awards__company"))
    on = today()
    return render(
        request,
        "clauses/contract_detail.html",
        {
            "contract": contract,
            "lots": [(lot, lot.progress(on)) for lot in lots],
            "progress": total_progress(lots, on),
            "can_edit": can_edit_operation(request.user, contract.operation),
        },
    )


def contract_create(request, pk):
    operation = get_object_or_404(Operation.objects.for_user(request.user), pk=pk)
    _require_edit(request, operation)
    form = ContractForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        contract = form.save()
        messages.success(request, f"Le marché {contract.reference} est créé. Ajoutez ses lots.")
        return redirect("clauses:contract_detail", pk=contract.pk)
    return render(request, "clauses/contract_form.html", {"form": form, "operation": operation, "contract": None})


def contract_update(request, pk):
    contract = _contract(request, pk)
    _require_edit(request, contract.operation)
    form = ContractForm(request.POST or None, instance=contract, operation=contract.operation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le marché est modifié.")
        return redirect("clauses:contract_detail", pk=contract.pk)
    return render(
        request, "clauses/contract_form.html", {"form": form, "operation": contract.operation, "contract": contract}
    )


# Lots --------------------------------------------------------------------------------------


def lot_list(request):
    # Progress is computed for every lot (status filters and totals need it) from light rows; only
    # the page's lots are then read with what the table shows (one more query, a page at most).
    lots = Lot.objects.for_user(request.user).with_progress_figures()
    form = _filter_form(request, Operation.objects.for_user(request.user))
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            lots = lots.filter(
                Q(title__icontains=data["q"])
                | Q(contract__reference__icontains=data["q"])
                | Q(contract__operation__title__icontains=data["q"])
            )
        if data["buyer"]:
            lots = lots.filter(contract__operation__buyer=data["buyer"])
        lots = lots.filter(**form.commune_filter("contract__operation__commune"))
        if data["legal_basis"]:
            lots = lots.filter(clause__legal_basis=data["legal_basis"])
        if data["year"]:
            lots = lots.filter(start_date__year__lte=data["year"], end_date__year__gte=data["year"])
    on = today()
    rows = [(lot, lot.progress(on)) for lot in lots.order_by("end_date", "pk")]
    if form.is_valid():
        if form.cleaned_data["status"]:
            rows = [row for row in rows if row[1].status == form.cleaned_data["status"]]
        if form.cleaned_data["behind"]:
            rows = [row for row in rows if row[1].status == hours.BEHIND]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = Lot.objects.select_related("contract__operation__commune__epci", "contract__operation__buyer", "trade")
    shown = shown.in_bulk([lot.pk for lot, _progress in page.object_list])
    page.object_list = [(shown[lot.pk], progress) for lot, progress in page.object_list]
    return render(
        request,
        "clauses/lot_list.html",
        {
            "form": form,
            "page": page,
            "query": query_without_page(request),
            "total": hours.combined_progress(
                [(p.required, p.done, lot.start_date, lot.end_date, p.expected) for lot, p in rows], on
            ),
            "count": len(rows),
        },
    )


def _lot(request, pk):
    lots = (
        Lot.objects.for_user(request.user)
        .with_progress_data()
        .select_related("trade", "contract__operation__commune", "contract__operation__facilitation_body")
    )
    return get_object_or_404(lots, pk=pk)


def lot_detail(request, pk):
    lot = _lot(request, pk)
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
    contract = _contract(request, pk)
    _require_edit(request, contract.operation)
    return _save_lot(request, contract)


def lot_update(request, pk):
    lot = _lot(request, pk)
    _require_edit(request, lot.contract.operation)
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
    lot = _lot(request, pk)
    _require_edit(request, lot.contract.operation)
    form = AwardForm(request.POST or None, lot=lot)
    if request.method == "POST" and form.is_valid():
        LotAward.objects.create(lot=lot, company=form.company, role=form.cleaned_data["role"])
        messages.success(request, f"« {form.company.name} » est attributaire du lot {lot.number}.")
        return redirect("clauses:lot_detail", pk=lot.pk)
    return render(request, "clauses/award_form.html", {"form": form, "lot": lot})


@require_http_methods(["GET", "POST"])
def award_delete(request, pk):
    award = get_object_or_404(
        LotAward.objects.filter(lot__in=Lot.objects.for_user(request.user)).select_related(
            "company", "lot__contract__operation"
        ),
        pk=pk,
    )
    _require_edit(request, award.lot.contract.operation)
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
    lot = _lot(request, pk)
    _require_edit(request, lot.contract.operation)
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
    invoiced = get_object_or_404(
        InvoicedAmount.objects.filter(lot__in=Lot.objects.for_user(request.user)).select_related(
            "lot__contract__operation"
        ),
        pk=pk,
    )
    _require_edit(request, invoiced.lot.contract.operation)
    if request.method == "POST":
        invoiced.delete()
        messages.success(request, "Le montant facturé est supprimé.")
        return redirect("clauses:lot_detail", pk=invoiced.lot_id)
    return render(
        request,
        "clauses/confirm_delete.html",
        {"title": f"Supprimer le montant facturé {invoiced} ?", "back": invoiced.lot},
    )


# Helpers -----------------------------------------------------------------------------------


def _filter_form(request, operations):
    buyers = Organisation.objects.filter(pk__in=operations.values("buyer")).order_by("name")
    return LotFilterForm(
        request.GET or None,
        buyers=buyers,
        epcis=list(Epci.objects.order_by("name")),
        sectors=list(Sector.objects.prefetch_related("epcis").order_by("name")),
    )
