"""Views of awareness-raising and partnership actions: list with filters and totals, detail, create, edit, delete."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .access import ACTIONS
from .action_forms import ActionFilterForm, AwarenessActionForm
from .actions import actions_for_user, filter_actions, totals
from .permissions import can_edit_actions, can_use_directory, can_view_actions

ACTIONS_PAGE_SIZE = 50


def _with_links(actions):
    return actions.select_related("epci", "sector", "created_by")


def action_list(request):
    if not can_view_actions(request.user):
        raise PermissionDenied
    form = ActionFilterForm(request.GET)
    form.is_valid()  # invalid fields are reported and left out of the filters
    filters = form.filters()
    actions = filter_actions(actions_for_user(request.user), **filters)
    page = Paginator(
        actions.select_related("epci", "sector").prefetch_related("audiences").order_by("-date", "-pk"),
        ACTIONS_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/actions/action_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "totals": totals(actions),
            "start": filters["start"],
            "end": filters["end"],
            "has_filters": any(filters[name] for name in ("kind", "audience", "epci", "sector")),
            "can_edit": can_edit_actions(request.user),
        },
    )


def action_detail(request, pk):
    action = ACTIONS.to_view(request, pk, refine=_with_links)
    return render(
        request,
        "partners/actions/action_detail.html",
        {
            "action": action,
            "audiences": action.audiences.all(),
            "organisations": action.organisations.order_by("search_text", "pk"),
            "can_edit": ACTIONS.may_change(request.user, action),
            "can_open_directory": can_use_directory(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def action_create(request):
    if not can_edit_actions(request.user):
        raise PermissionDenied
    form = AwarenessActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.created_by = request.user
        action.save()
        form.save_m2m()
        messages.success(request, f"L'action « {action.title} » est enregistrée.")
        return redirect("partners:action_detail", pk=action.pk)
    return render(request, "partners/actions/action_form.html", {"form": form, "action": None})


@require_http_methods(["GET", "POST"])
def action_update(request, pk):
    action = ACTIONS.to_change(request, pk, refine=_with_links)
    saved_title = action.title  # the form writes the submitted values on the instance, even invalid ones
    form = AwarenessActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Les modifications de l'action « {action.title} » sont enregistrées.")
        return redirect("partners:action_detail", pk=action.pk)
    return render(
        request, "partners/actions/action_form.html", {"form": form, "action": action, "saved_title": saved_title}
    )


@require_http_methods(["GET", "POST"])
def action_delete(request, pk):
    action = ACTIONS.to_change(request, pk, refine=_with_links)
    if request.method == "POST":
        title = action.title
        action.delete()
        messages.success(request, f"L'action « {title} » est supprimée.")
        return redirect("partners:action_list")
    return render(request, "partners/actions/action_confirm_delete.html", {"action": action})
