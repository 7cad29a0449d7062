"""The review of the published contracts (accept, merge, dismiss, undo) and the reconciliation
with what Clausier follows. Facilitators and administrators act; department readers read (a write
is a 403); everybody else gets a 404 (``permissions``)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from common.querystrings import query_without_page
from common.tabular import WRITERS

from . import reconciliation, review_services
from .access import PUBLISHED_CONTRACTS
from .models import PublishedContract
from .permissions import can_change_decp, check_view
from .review_forms import AcceptForm, DismissForm, MergeForm, ReconciliationFilterForm, ReviewFilterForm

PAGE_SIZE = 20
DETAIL_CANDIDATES = 5
RECONCILIATION_ROWS = 50


def _with_review(contracts):
    return contracts.select_related("contract", "lot__contract", "reviewed_by").prefetch_related("holders")


# Review ------------------------------------------------------------------------------------


@require_GET
def review_list(request):
    check_view(request)
    form = ReviewFilterForm(request.GET or None, buyers=reconciliation.buyers(), years=reconciliation.years())
    contracts = form.filter(PublishedContract.objects.select_related("contract", "lot__contract"))
    page = Paginator(contracts.order_by("-notification_date", "uid"), PAGE_SIZE).get_page(request.GET.get("page"))
    published = list(page.object_list.prefetch_related("holders"))
    return render(
        request,
        "procurement/review/list.html",
        {
            "form": form,
            "page": page,
            "reviews": review_services.reviews(request.user, published),
            "query": query_without_page(request),
            "can_change": can_change_decp(request.user),
        },
    )


def _detail(request, published, merge_form=None, dismiss_form=None, status=200):
    review = review_services.reviews(request.user, [published], limit=DETAIL_CANDIDATES)[0]
    history = published.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "procurement/review/detail.html",
        {
            "published": published,
            "review": review,
            "merge_form": merge_form or MergeForm(user=request.user, candidates=review.candidates),
            "dismiss_form": dismiss_form or DismissForm(),
            "history": history,
            "can_change": PUBLISHED_CONTRACTS.may_change(request.user, published),
        },
        status=status,
    )


@require_GET
def review_detail(request, pk):
    return _detail(request, PUBLISHED_CONTRACTS.to_view(request, pk, refine=_with_review))


def review_accept(request, pk):
    """The confirmation form, pre-filled from the DECP; nothing is created before it is sent."""
    published = PUBLISHED_CONTRACTS.to_change(request, pk, refine=_with_review)
    if published.review_status != PublishedContract.ReviewStatus.NEW:
        messages.error(request, "Ce marché a déjà été examiné : annulez d'abord la décision.")
        return redirect("procurement:review_detail", pk=published.pk)
    form = AcceptForm(request.POST or None, initial=review_services.proposed_values(published))
    if request.method == "POST" and form.is_valid():
        try:
            accepted = review_services.accept(published, request.user, form.cleaned_data)
        except review_services.ReviewError as error:
            form.add_error(None, str(error))
        else:
            created = (
                f"L'opération « {accepted.operation.title} », le marché {accepted.contract.reference} et son lot 1"
            )
            holders = ", ".join(company.name for company in accepted.holders)
            message = f"{created} sont créés" + (f", attribué à {holders}." if holders else ".")
            if accepted.needs_clause:
                messages.warning(
                    request,
                    f"{message} Le marché publie une clause sociale : écrivez maintenant la clause du lot "
                    "(fondement juridique et calcul des heures).",
                )
                return redirect("clauses:lot_update", pk=accepted.lot.pk)
            messages.success(request, message)
            return redirect("clauses:lot_detail", pk=accepted.lot.pk)
    return render(request, "procurement/review/accept.html", {"published": published, "form": form})


@require_POST
def review_merge(request, pk):
    published = PUBLISHED_CONTRACTS.to_change(request, pk, refine=_with_review)
    review = review_services.reviews(request.user, [published], limit=DETAIL_CANDIDATES)[0]
    form = MergeForm(request.POST, user=request.user, candidates=review.candidates)
    if not form.is_valid():
        return _detail(request, published, merge_form=form)
    try:
        review_services.merge(published, request.user, form.contract, form.lot)
    except review_services.ReviewError as error:
        messages.error(request, str(error))
        return redirect("procurement:review_detail", pk=published.pk)
    target = review_services.lot_label(form.lot) if form.lot else review_services.contract_label(form.contract)
    messages.success(request, f"Le marché publié est rattaché au {target}.")
    return redirect(request.POST.get("next") or reverse("procurement:review_list"))


@require_POST
def review_dismiss(request, pk):
    published = PUBLISHED_CONTRACTS.to_change(request, pk, refine=_with_review)
    form = DismissForm(request.POST)
    if not form.is_valid():
        return _detail(request, published, dismiss_form=form)
    try:
        review_services.dismiss(published, request.user, form.cleaned_data["reason"], form.cleaned_data["note"])
    except review_services.ReviewError as error:
        messages.error(request, str(error))
        return redirect("procurement:review_detail", pk=published.pk)
    label = PublishedContract.DismissalReason(form.cleaned_data["reason"]).label
    messages.success(request, f"Le marché publié est écarté (« {label} »).")
    return redirect("procurement:review_list")


@require_POST
def review_undo(request, pk):
    published = PUBLISHED_CONTRACTS.to_change(request, pk, refine=_with_review)
    try:
        review_services.undo(published, request.user)
    except review_services.ReviewError as error:
        messages.error(request, str(error))
    else:
        message = "La décision est annulée : le marché est de nouveau à examiner."
        if published.contract_id and published.review_status == PublishedContract.ReviewStatus.ACCEPTED:
            message += " L'opération, le marché et le lot créés restent dans Clausier."
        messages.success(request, message)
    return redirect("procurement:review_detail", pk=published.pk)


# Reconciliation ----------------------------------------------------------------------------


def _reconciliation_filters(request, buyer_siret=""):
    form = ReconciliationFilterForm(request.GET or None, buyers=reconciliation.buyers(), years=reconciliation.years())
    if form.is_bound and form.is_valid():
        filters = reconciliation.Filters(year=form.cleaned_data["year"], buyer_siret=form.cleaned_data["buyer"])
    else:
        filters = reconciliation.Filters()
    if buyer_siret:
        filters = reconciliation.Filters(year=filters.year, buyer_siret=buyer_siret)
    return form, filters


def _export_links(filters):
    query = {}
    if filters.year:
        query["year"] = filters.year
    if filters.buyer_siret:
        query["buyer"] = filters.buyer_siret
    suffix = f"?{urlencode(query)}" if query else ""
    return [
        (
            label,
            [
                (fmt.upper(), reverse("procurement:reconciliation_export", args=[name, fmt]) + suffix)
                for fmt in ("csv", "xlsx")
            ],
        )
        for name, label in reconciliation.EXPORTS.items()
    ]


def _reconciliation_page(request, form, filters, buyer_name=None):
    data = reconciliation.reconcile(filters, limit=RECONCILIATION_ROWS)
    return render(
        request,
        "procurement/reconciliation/page.html",
        {
            "form": form,
            "data": data,
            "counts": reconciliation.counts(filters),
            "buyer_name": buyer_name,
            "exports": _export_links(filters),
            "limit": RECONCILIATION_ROWS,
        },
    )


@require_GET
def reconciliation_page(request):
    check_view(request)
    form, filters = _reconciliation_filters(request)
    return _reconciliation_page(request, form, filters)


@require_GET
def reconciliation_buyer(request, siret):
    check_view(request)
    name = reconciliation.buyer_name(siret)
    if name is None:
        raise Http404("Aucun marché publié de cet acheteur.")
    form, filters = _reconciliation_filters(request, buyer_siret=siret)
    return _reconciliation_page(request, form, filters, buyer_name=name)


@require_GET
def reconciliation_export(request, name, fmt):
    check_view(request)

    if name not in reconciliation.EXPORTS or fmt not in WRITERS:
        raise Http404("Cet export n'existe pas.")
    form, filters = _reconciliation_filters(request)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            "Filtres invalides : choisissez une année et un acheteur de la liste.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    table = reconciliation.export_table(name, filters)
    content_type, writer = WRITERS[fmt]
    content = writer(table)  # built whole before the response: all or nothing
    parts = ["clausier-decp", name]
    if filters.year:
        parts.append(str(filters.year))
    if filters.buyer_siret:
        parts.append(filters.buyer_siret)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{"-".join(parts)}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response
