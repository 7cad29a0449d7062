"""Views of contracts: list, page, creation and change. Thin: forms, querysets and rules do the work."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from common.dates import today
from common.querystrings import query_without_page

from .access import OPERATIONS
from .forms import ContractForm
from .models import Contract, Operation
from .permissions import can_edit_operation
from .progress import progress_by, total_progress
from .view_support import PAGE_SIZE, contract_or_404, filter_form, require_edit, visible_lots


def contract_list(request):
    contracts = Contract.objects.for_user(request.user).select_related("operation__buyer", "operation__commune")
    form = filter_form(request, Operation.objects.for_user(request.user))
    contracts = list(form.filter_contracts(contracts).distinct().order_by("-start_date", "reference"))
    lots = list(visible_lots(request.user).filter(contract__in=contracts))
    progress = progress_by(lots, lambda lot: lot.contract_id)
    rows = form.keep_rows_in_state([(contract, progress.get(contract.pk)) for contract in contracts])
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


def contract_detail(request, pk):
    contract = contract_or_404(request, pk)
    lots = list(visible_lots(request.user).filter(contract=contract).prefetch_related("awards__company"))
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
    operation = OPERATIONS.to_change(request, pk)
    form = ContractForm(request.POST or None, operation=operation)
    if request.method == "POST" and form.is_valid():
        contract = form.save()
        messages.success(request, f"Le marché {contract.reference} est créé. Ajoutez ses lots.")
        return redirect("clauses:contract_detail", pk=contract.pk)
    return render(request, "clauses/contract_form.html", {"form": form, "operation": operation, "contract": None})


def contract_update(request, pk):
    contract = contract_or_404(request, pk)
    require_edit(request, contract.operation)
    form = ContractForm(request.POST or None, instance=contract, operation=contract.operation)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Le marché est modifié.")
        return redirect("clauses:contract_detail", pk=contract.pk)
    return render(
        request, "clauses/contract_form.html", {"form": form, "operation": contract.operation, "contract": contract}
    )
