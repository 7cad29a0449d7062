"""Views of operations: list, page, creation and change. Thin: forms, querysets and rules do the work."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render

from common.querystrings import query_without_page

from .access import OPERATIONS
from .forms import OperationForm
from .models import Operation
from .permissions import can_create_operations, can_edit_operation
from .progress import progress_by, total_progress
from .view_support import PAGE_SIZE, filter_form, visible_lots


def operation_list(request):
    operations = Operation.objects.for_user(request.user).select_related("buyer", "commune__epci", "facilitation_body")
    form = filter_form(request, operations)
    operations = list(form.filter_operations(operations).distinct().order_by("-start_date", "title"))
    lots = visible_lots(request.user).filter(contract__operation__in=operations)
    progress = progress_by(lots, lambda lot: lot.contract.operation_id)
    rows = form.keep_rows_in_state([(operation, progress.get(operation.pk)) for operation in operations])
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
    operation = OPERATIONS.to_view(
        request, pk, refine=lambda operations: operations.select_related("buyer", "commune__epci", "facilitation_body")
    )
    lots = list(visible_lots(request.user).filter(contract__operation=operation).prefetch_related("awards__company"))
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
    operation = OPERATIONS.to_change(request, pk)
    form = OperationForm(request.POST or None, instance=operation, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "L'opération est modifiée.")
        return redirect("clauses:operation_detail", pk=operation.pk)
    return render(request, "clauses/operation_form.html", {"form": form, "operation": operation})
