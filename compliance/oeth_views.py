"""The OETH pages: the year's table, its XLSX export, the forms of the administrator (inputs of the
year, purchases with their attestation, TIH suppliers) and the attestation download. Readers read
(a write is a 403); everybody else gets a 404 (``permissions``)."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from common.dates import today
from common.tabular import WRITERS
from placements.models import private_storage

from . import oeth_table, services
from .access import OETH_PURCHASES, TIH_SUPPLIERS
from .forms import OethPurchaseForm, OethYearForm, TihSupplierForm
from .models import OethPurchase, OethYear, TihSupplier
from .permissions import can_change_oeth, check_change, check_view

FIRST_YEAR = 2000


def _year(year):
    if not FIRST_YEAR <= year <= today().year + 1:
        raise Http404("Année hors de la période suivie.")
    return year


def _years_shown(year):
    recorded = set(OethYear.objects.values_list("year", flat=True))
    return sorted(recorded | {today().year, today().year - 1, year}, reverse=True)


def _year_url(year):
    return reverse("compliance:oeth_year", args=[year])


@require_GET
def oeth_index(request):
    """The latest year recorded up to this one, or last year (whose return is due this year)."""
    check_view(request)
    latest = OethYear.objects.filter(year__lte=today().year).order_by("-year").first()
    return redirect(_year_url(latest.year if latest else today().year - 1))


@require_GET
def oeth_year(request, year):
    check_view(request)
    context = {
        "table": oeth_table.build(_year(year)),
        "years": _years_shown(year),
        "can_change": can_change_oeth(request.user),
    }
    return render(request, "compliance/oeth_year.html", context)


@require_GET
def oeth_export(request, year):
    check_view(request)
    table = oeth_table.export_table(oeth_table.build(_year(year)))
    content_type, writer = WRITERS["xlsx"]
    response = HttpResponse(writer(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="clausier-oeth-{year}.xlsx"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_http_methods(["GET", "POST"])
def oeth_year_edit(request, year):
    check_change(request)
    instance = OethYear.objects.filter(year=_year(year)).first() or OethYear(year=year)
    form = OethYearForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        services.save_year(form, request.user)
        messages.success(request, f"La contribution et le taux de {year} sont enregistrés.")
        return redirect(_year_url(year))
    return render(request, "compliance/oeth_year_form.html", {"form": form, "year": year})


def _purchase_form(request, purchase, year):
    form = OethPurchaseForm(request.POST or None, request.FILES or None, instance=purchase)
    if request.method == "POST" and form.is_valid():
        services.save_purchase(form, year, request.user)
        messages.success(request, f"L'achat auprès de « {purchase.supplier_name} » est enregistré.")
        return redirect(_year_url(year.year))
    context = {"form": form, "year": year.year, "purchase": purchase if purchase.pk else None}
    return render(request, "compliance/purchase_form.html", context)


@require_http_methods(["GET", "POST"])
def oeth_purchase_create(request, year):
    check_change(request)
    inputs = OethYear.objects.filter(year=_year(year)).first()
    if inputs is None:
        messages.info(request, f"Saisissez d'abord la contribution et le taux de {year}.")
        return redirect("compliance:oeth_year_edit", year)
    return _purchase_form(request, OethPurchase(year=inputs), inputs)


@require_http_methods(["GET", "POST"])
def oeth_purchase_update(request, pk):
    purchase = OETH_PURCHASES.to_change(
        request, pk, refine=lambda purchases: purchases.select_related("year", "published_contract")
    )
    return _purchase_form(request, purchase, purchase.year)


@require_GET
def oeth_attestation(request, pk):
    """The attestation, to administrators and readers; every download is logged."""
    purchase = OETH_PURCHASES.to_view(request, pk)
    try:
        handle = private_storage().open(purchase.attestation.name, "rb")
    except (FileNotFoundError, OSError, ValueError) as exc:
        raise Http404("Le fichier de cette attestation est introuvable.") from exc
    services.log_download(request, purchase)
    return FileResponse(
        handle, as_attachment=True, filename=purchase.attestation_name, content_type=purchase.attestation_content_type
    )


@require_http_methods(["GET", "POST"])
def tih_list(request):
    check_view(request)
    form = TihSupplierForm(request.POST or None)
    if request.method == "POST":
        check_change(request)
        if form.is_valid():
            tih = services.mark_tih(form, request.user)
            messages.success(request, f"« {tih.name} » est marqué comme travailleur indépendant handicapé.")
            return redirect("compliance:tih_list")
    context = {"tihs": TihSupplier.objects.all(), "form": form, "can_change": can_change_oeth(request.user)}
    return render(request, "compliance/tih_list.html", context)


@require_http_methods(["GET", "POST"])
def tih_update(request, pk):
    tih = TIH_SUPPLIERS.to_change(request, pk)
    form = TihSupplierForm(request.POST or None, instance=tih)
    if request.method == "POST" and form.is_valid():
        services.mark_tih(form, request.user)
        messages.success(request, f"« {tih.name} » est enregistré.")
        return redirect("compliance:tih_list")
    return render(request, "compliance/tih_form.html", {"form": form, "tih": tih})
