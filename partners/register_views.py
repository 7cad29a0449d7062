"""The SIRET lookup of the directory's forms: the fragment shown under the SIRET field when a
whole SIRET is typed, with what the Sirene register says and the fields still empty filled in."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from stdnum.fr import siret as stdnum_siret

from . import register_checks
from .directory_forms import CREATABLE_KINDS, clean_siret_value, organisation_form_class
from .models import Organisation
from .permissions import can_use_directory

# The form fields a register answer fills when the user left them empty.
FILLED_FIELDS = ("name", "address", "commune", "naf_code", "size_band")


def _initial_from(entry, commune):
    return {
        "name": entry.name,
        "address": entry.address,
        "commune": commune.pk if commune else None,
        "naf_code": entry.naf_code,
        "size_band": entry.size_band,
    }


def filled_widgets(kind, entry, commune, submitted):
    """The inputs to swap in (htmx out-of-band) for the fields the user left empty."""
    form = organisation_form_class(kind)(initial=_initial_from(entry, commune))
    widgets = []
    for name in FILLED_FIELDS:
        if name not in form.fields or (submitted.get(name) or "").strip() or not form.initial.get(name):
            continue
        css = "form-select" if name in ("commune", "size_band") else "form-control"
        widgets.append(form[name].as_widget(attrs={"class": css, "hx-swap-oob": "true"}))
    return widgets


@require_GET
def siret_lookup(request, kind):
    if not can_use_directory(request.user) or kind not in {k.value for k in CREATABLE_KINDS}:
        raise Http404
    compact = stdnum_siret.compact(request.GET.get("siret") or "")
    if len(compact) != 14:
        return HttpResponse("")
    try:
        siret = clean_siret_value(compact)
    except ValidationError as error:
        return render(request, "partners/_siret_lookup.html", {"invalid": error.messages[0]})
    editing = request.GET.get("organisation", "")
    duplicate = Organisation.objects.filter(siret=siret).exclude(pk=int(editing) if editing.isdigit() else None).first()
    lookup = register_checks.look_up(siret)
    context = {"siret": siret, "lookup": lookup, "entry": lookup.entry, "duplicate": duplicate}
    if lookup.entry is not None:
        commune = context["commune"] = register_checks.commune_of(lookup.entry)
        if not duplicate:
            context["widgets"] = filled_widgets(Organisation.Kind(kind), lookup.entry, commune, request.GET)
    return render(request, "partners/_siret_lookup.html", context)
