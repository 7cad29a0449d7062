"""The public open data page and its downloads; the administrator's « build now »."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from common.dates import today
from partners.permissions import is_administrator

from . import build_requests, rules, schema
from .models import OpenDataset


@login_not_required
def index(request):
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": list(OpenDataset.objects.published()),
            "fields": schema.FIELDS,
            "threshold": rules.THRESHOLD,
            "can_build": is_administrator(request.user),
            "previous_year": today().year - 1,
        },
    )


@login_not_required
def download(request, year):
    # Published datasets are public (no access rules: no ``opendata/access.py``), found by their year.
    dataset = get_object_or_404(OpenDataset.objects.published(), year=year)
    if not dataset.file.storage.exists(dataset.file.name):
        raise Http404
    response = FileResponse(dataset.file.open("rb"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dataset.filename}"'
    return response


@login_not_required
def schema_file(request):
    text = json.dumps(schema.table_schema(), ensure_ascii=False, indent=2)
    return HttpResponse(text, content_type="application/json; charset=utf-8")


@require_POST
def build_now(request):
    if not is_administrator(request.user):
        raise PermissionDenied
    try:
        year = int(request.POST.get("year", today().year - 1))
    except ValueError:
        year = today().year - 1
    year = min(max(year, 2000), today().year)
    build_requests.request_build(year)
    messages.success(request, f"La construction des données ouvertes {year} est lancée.")
    return redirect("opendata:index")
