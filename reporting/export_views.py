"""The exports page and the downloads of each export as CSV or XLSX."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from . import exports
from .export_forms import ExportForm
from .leading_rows import LEADING_ROWS
from .permissions import can_export_rows_of_people, can_see_personal_data, can_view_figures

PEOPLE_ROWS = "mises-a-l-emploi"

FORM_FIELDS = ("year", "start", "end", "scope", "scope_id")


@dataclass(frozen=True)
class ExportKind:
    name: str
    label: str
    description: str


PEOPLE_DESCRIPTION = (
    "Les mises à l'emploi de la période : lot, employeur, mode, contrat, dates, heures par semaine et heures validées, "
)
WITH_IDENTITY = "avec le nom, la date de naissance, le RSA et les critères d'éligibilité de la personne."
WITHOUT_IDENTITY = "sans l'identité des personnes : un numéro propre à l'export, le sexe et la tranche d'âge."
FIGURE_KINDS = [
    ExportKind(
        "lots",
        "Lots et avancement",
        "Les lots de la période : opération, donneur d'ordre, marché, secteur, fondement juridique, "
        "dates, heures requises, validées et attendues à ce jour, taux de réalisation, état et titulaire.",
    ),
    ExportKind(PEOPLE_ROWS, "Mises à l'emploi", PEOPLE_DESCRIPTION),  # the description ends by who reads it
    ExportKind(
        "heures-par-mois",
        "Heures validées par mois",
        "Les heures validées qui comptent pour la clause, par lot et par mois de la période, avec les totaux.",
    ),
    ExportKind(
        "heures-par-regroupement",
        "Heures par regroupement",
        "Toutes les lignes des tableaux du tableau de bord et du bilan, qui n'en montrent que les "
        f"{LEADING_ROWS} premières : heures par secteur départemental, EPCI, donneur d'ordre, secteur "
        "d'activité, mode de réalisation et employeur, avec les lots, les heures exigées, attendues et "
        "validées, le taux de réalisation et le nombre de personnes.",
    ),
    ExportKind(
        "indicateurs",
        "Indicateurs du réseau national",
        "Le tableau annuel du Département et du réseau national : donneurs d'ordre, lots, heures par "
        "secteur, entreprises et structures, participants, contrats, sorties, marchés réservés, actions.",
    ),
]


def export_kinds(user):
    """The exports the user may download; the placements' one says whether it carries names."""
    if not can_export_rows_of_people(user):
        return [kind for kind in FIGURE_KINDS if kind.name != PEOPLE_ROWS]
    identity = WITH_IDENTITY if can_see_personal_data(user) else WITHOUT_IDENTITY
    return [
        ExportKind(kind.name, kind.label, kind.description + identity) if kind.name == PEOPLE_ROWS else kind
        for kind in FIGURE_KINDS
    ]


def _check_access(request):
    if not can_view_figures(request.user):
        raise Http404("Page introuvable.")


@require_GET
def export_index(request):
    _check_access(request)
    bound = any(key in request.GET for key in FORM_FIELDS)
    form = ExportForm(request.user, request.GET if bound else None)
    params = None
    if not bound:
        params = {"year": form.fields["year"].initial, "scope": "all"}
    elif form.is_valid():
        params = form.query_params()
    form.with_element_choices()
    links = []
    if params is not None:
        query = urlencode(params)
        for kind in export_kinds(request.user):
            links.append(
                {
                    "kind": kind,
                    "formats": [
                        (fmt.upper(), reverse("reporting:export_download", args=[kind.name, fmt]) + f"?{query}")
                        for fmt in exports.WRITERS
                    ],
                }
            )
    return render(
        request,
        "reporting/exports/index.html",
        {
            "form": form,
            "links": links,
            "kinds": export_kinds(request.user),
            "personal": can_see_personal_data(request.user),
            "summary": _summary(form) if params is not None and bound else "",
        },
    )


def _summary(form):
    data = form.cleaned_data
    return f"{data['period'].label.capitalize()} — {data['scope_object'].label}"


@require_GET
def export_download(request, name, fmt):
    _check_access(request)
    if name not in exports.BUILDERS or fmt not in exports.WRITERS:
        raise Http404("Cet export n'existe pas.")
    if name == PEOPLE_ROWS and not can_export_rows_of_people(request.user):
        raise Http404("Cet export n'existe pas.")
    form = ExportForm(request.user, request.GET)
    if not form.is_valid():
        return render(
            request,
            "reporting/exports/bad_request.html",
            {"form": form, "index_url": reverse("reporting:export_index")},
            status=400,
        )
    period, scope = form.cleaned_data["period"], form.cleaned_data["scope_object"]
    table = exports.BUILDERS[name](request.user, period, scope)
    content_type, writer = exports.WRITERS[fmt]
    response = HttpResponse(writer(table), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(name, period, scope, fmt)}"'
    response["Cache-Control"] = "private, no-store"
    return response
