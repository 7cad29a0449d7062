"""Views of partners: reference territories, the directory of partners, contacts and coverage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Sum
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from . import register_checks
from .access import CONTACTS, COVERAGE_RULES, ORGANISATIONS
from .coverage import STATUS_LABELS
from .directory_forms import (
    CREATABLE_KINDS,
    ContactForm,
    CoverageRuleForm,
    DirectoryFilterForm,
    organisation_form_class,
)
from .models import AwarenessAction, Commune, CoverageRule, Epci, Membership, Organisation, Sector
from .panels import panels_for
from .permissions import (
    can_edit_coverage,
    can_edit_reference_data,
    can_use_directory,
    can_view_coverage,
    can_view_reference_data,
)
from .roles import Role
from .routing import coverage_of_territories, load_rules

DIRECTORY_PAGE_SIZE = 50


def territories(request):
    """The reference territories of Ain: departmental sectors, EPCI and their communes."""
    if not can_view_reference_data(request.user):
        raise PermissionDenied
    sectors = Sector.objects.prefetch_related("epcis", "communes").order_by("name")
    epcis = (
        Epci.objects.annotate(commune_count=Count("communes"), ain_population=Sum("communes__population"))
        .prefetch_related("sectors")
        .order_by("name")
    )
    return render(
        request,
        "partners/territories.html",
        {
            "sectors": sectors,
            "epcis": epcis,
            "commune_count": Commune.objects.count(),
            "can_edit": can_edit_reference_data(request.user),
        },
    )


# Directory ---------------------------------------------------------------------------------


def _with_places(organisations):
    return organisations.select_related("commune", "federation", "epci")


def organisation_list(request):
    if not can_use_directory(request.user):
        raise PermissionDenied
    epcis = list(Epci.objects.order_by("name"))
    sectors = list(Sector.objects.prefetch_related("epcis", "communes").order_by("name"))
    form = DirectoryFilterForm(request.GET or None, epcis=epcis, sectors=sectors)
    organisations = Organisation.objects.for_user(request.user).select_related("commune__epci")
    if form.is_valid():
        if form.cleaned_data["q"]:
            organisations = organisations.search(form.cleaned_data["q"])
        if form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=form.cleaned_data["kind"])
        organisations = organisations.in_territory(**form.selected_territory())
    # search_text starts with the accent-free name: "Électricité" sorts among the E.
    page = Paginator(organisations.order_by("search_text", "pk"), DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "partners/organisation_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "creatable_kinds": [(kind.value, kind.label) for kind in CREATABLE_KINDS],
        },
    )


def organisation_detail(request, pk):
    organisation = ORGANISATIONS.to_view(request, pk, refine=_with_places)
    context = {
        "organisation": organisation,
        "contacts": organisation.contacts.all(),
        "actions": AwarenessAction.objects.filter(organisations=organisation).order_by("-date")[:20],
        "served_epcis": organisation.served_epcis.all(),
        "served_communes": organisation.served_communes.all(),
        "members": organisation.members.order_by("name") if organisation.kind == Organisation.Kind.FEDERATION else [],
        "panels": panels_for(organisation, request.user),
    }
    if organisation.kind in (Organisation.Kind.DEPARTMENT, Organisation.Kind.FACILITATION_BODY):
        context["coverage_rules"] = organisation.coverage_rules.prefetch_related("epcis", "sectors")
        context["facilitators"] = Membership.objects.filter(
            organisation=organisation, role=Role.FACILITATOR, is_active=True
        ).select_related("user")
    return render(request, "partners/organisation_detail.html", context)


def organisation_create(request, kind):
    if not can_use_directory(request.user):
        raise PermissionDenied
    if kind not in {k.value for k in CREATABLE_KINDS}:
        raise Http404("Type d'organisation inconnu.")
    form_class = organisation_form_class(Organisation.Kind(kind))
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = form.save()
        register_checks.record_known_entry(organisation)
        messages.success(request, f"« {organisation.name} » est ajouté à l'annuaire.")
        return redirect("partners:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "partners/organisation_form.html",
        {"form": form, "kind_label": Organisation.Kind(kind).label, "organisation": None},
    )


def organisation_update(request, pk):
    organisation = ORGANISATIONS.to_change(request, pk, refine=_with_places)
    form = organisation_form_class(Organisation.Kind(organisation.kind))(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        register_checks.record_known_entry(form.save())
        messages.success(request, "Les modifications sont enregistrées.")
        return redirect("partners:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "partners/organisation_form.html",
        {"form": form, "kind_label": organisation.get_kind_display(), "organisation": organisation},
    )


# Contacts ----------------------------------------------------------------------------------


def _with_organisation(contacts):
    return contacts.select_related("organisation")


def contact_create(request, pk):
    organisation = ORGANISATIONS.to_change(request, pk, refine=_with_places)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        contact = form.save(commit=False)
        contact.organisation = organisation
        contact.save()
        messages.success(request, f"Le contact {contact} est ajouté.")
        return redirect("partners:organisation_detail", pk=organisation.pk)
    return render(request, "partners/contact_form.html", {"form": form, "organisation": organisation, "contact": None})


def contact_update(request, pk):
    contact = CONTACTS.to_change(request, pk, refine=_with_organisation)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Le contact {contact} est modifié.")
        return redirect("partners:organisation_detail", pk=contact.organisation_id)
    return render(
        request, "partners/contact_form.html", {"form": form, "organisation": contact.organisation, "contact": contact}
    )


@require_http_methods(["GET", "POST"])
def contact_delete(request, pk):
    contact = CONTACTS.to_change(request, pk, refine=_with_organisation)
    if request.method == "POST":
        contact.delete()
        messages.success(request, f"Le contact {contact} est supprimé.")
        return redirect("partners:organisation_detail", pk=contact.organisation_id)
    return render(request, "partners/contact_confirm_delete.html", {"contact": contact})


# Coverage ----------------------------------------------------------------------------------


def coverage(request):
    """Every EPCI and sector with who covers it; white areas stand out."""
    if not can_view_coverage(request.user):
        raise PermissionDenied
    rules = load_rules(CoverageRule.objects.active().select_related("facilitation_body"))
    territories = coverage_of_territories(rules)
    bodies = (
        Organisation.objects.facilitation_bodies()
        .prefetch_related(
            Prefetch("coverage_rules", queryset=CoverageRule.objects.prefetch_related("epcis", "sectors")),
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(role=Role.FACILITATOR, is_active=True).select_related("user"),
                to_attr="facilitator_memberships",
            ),
        )
        .order_by("kind", "name")
    )
    white_epcis = [row for row in territories["epcis"] if row["status"] == "white"]
    white_sectors = [row for row in territories["sectors"] if row["status"] == "white"]
    return render(
        request,
        "partners/coverage.html",
        {
            "epci_rows": territories["epcis"],
            "sector_rows": territories["sectors"],
            "white_epcis": white_epcis,
            "white_sectors": white_sectors,
            "bodies": bodies,
            "status_labels": STATUS_LABELS,
            "can_edit": can_edit_coverage(request.user),
        },
    )


def coverage_rule_create(request):
    if not can_edit_coverage(request.user):
        raise PermissionDenied
    form = CoverageRuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La règle de couverture est ajoutée.")
        return redirect("partners:coverage")
    return render(request, "partners/coverage_rule_form.html", {"form": form, "rule": None})


def coverage_rule_update(request, pk):
    rule = COVERAGE_RULES.to_change(request, pk)
    form = CoverageRuleForm(request.POST or None, instance=rule)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "La règle de couverture est modifiée.")
        return redirect("partners:coverage")
    return render(request, "partners/coverage_rule_form.html", {"form": form, "rule": rule})


@require_http_methods(["GET", "POST"])
def coverage_rule_delete(request, pk):
    rule = COVERAGE_RULES.to_change(request, pk)
    if request.method == "POST":
        rule.delete()
        messages.success(request, "La règle de couverture est supprimée.")
        return redirect("partners:coverage")
    return render(request, "partners/coverage_rule_confirm_delete.html", {"rule": rule})
