"""Forms of the directory of partners: organisations of each kind, and their contacts."""

from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from common.widgets import SiretLookupInput

from .models import Commune, Contact, CoverageRule, Epci, Organisation, Sector

COMMON_FIELDS = ["name", "address", "commune", "email", "phone"]
FIELDS_BY_KIND = {
    Organisation.Kind.CONTRACTING_AUTHORITY: [
        "name",
        "buyer_kind",
        "siret",
        "epci",
        "engineering_agency_member",
        "address",
        "commune",
        "email",
        "phone",
        "notes",
    ],
    Organisation.Kind.COMPANY: [
        "name",
        "siret",
        "naf_code",
        "size_band",
        "federation",
        "address",
        "commune",
        "email",
        "phone",
        "notes",
    ],
    Organisation.Kind.INCLUSION_STRUCTURE: [
        "name",
        "structure_kind",
        "siret",
        "naf_code",
        "provides_staff",
        "subcontracts",
        "served_epcis",
        "served_communes",
        "address",
        "commune",
        "email",
        "phone",
        "notes",
    ],
    Organisation.Kind.EMPLOYMENT_SERVICE: ["name", "service_kind", "siret", *COMMON_FIELDS[1:], "notes"],
    Organisation.Kind.FEDERATION: ["name", "siret", *COMMON_FIELDS[1:], "notes"],
    Organisation.Kind.FACILITATION_BODY: ["name", "siret", *COMMON_FIELDS[1:], "notes"],
    Organisation.Kind.DEPARTMENT: ["name", *COMMON_FIELDS[1:], "notes"],
}
SIRET_REQUIRED = {Organisation.Kind.COMPANY, Organisation.Kind.INCLUSION_STRUCTURE}
REQUIRED_BY_KIND = {
    Organisation.Kind.CONTRACTING_AUTHORITY: ["buyer_kind"],
    Organisation.Kind.INCLUSION_STRUCTURE: ["structure_kind"],
    Organisation.Kind.EMPLOYMENT_SERVICE: ["service_kind"],
}
CREATABLE_KINDS = [kind for kind in Organisation.Kind if kind != Organisation.Kind.DEPARTMENT]


def clean_siret_value(value):
    """Normalise and check a SIRET; a ValidationError in French says what is wrong."""
    compact = stdnum_siret.compact(value or "")
    if not compact:
        return ""
    try:
        return stdnum_siret.validate(compact)
    except InvalidLength as exc:
        raise ValidationError(
            "SIRET invalide : 14 chiffres attendus (%(n)s saisis).", params={"n": len(compact)}
        ) from exc
    except InvalidFormat as exc:
        raise ValidationError("SIRET invalide : il ne doit contenir que des chiffres.") from exc
    except InvalidChecksum as exc:
        raise ValidationError(
            "SIRET invalide : la clé de contrôle ne correspond pas (vérifiez chaque chiffre)."
        ) from exc
    except StdnumError as exc:
        raise ValidationError("SIRET invalide.") from exc


def lookup_url(kind, organisation_pk=None):
    url = reverse("partners:siret_lookup", args=[kind])
    return f"{url}?organisation={organisation_pk}" if organisation_pk else url


def organisation_form_class(kind):
    """A ModelForm with the fields that make sense for this kind of organisation."""

    class OrganisationForm(forms.ModelForm):
        class Meta:
            model = Organisation
            fields = FIELDS_BY_KIND[kind]
            widgets = {
                "notes": forms.Textarea(attrs={"rows": 3}),
                "served_communes": forms.SelectMultiple(attrs={"size": 8}),
                "served_epcis": forms.CheckboxSelectMultiple,
            }

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "commune" in self.fields:
                self.fields["commune"].queryset = Commune.objects.for_choice(self.instance.commune_id).order_by("name")
                self.fields["commune"].help_text = "Commune de l'Ain où se trouve l'organisation."
            if "epci" in self.fields:
                self.fields["epci"].queryset = Epci.objects.order_by("name")
            if "served_epcis" in self.fields:
                self.fields["served_epcis"].queryset = Epci.objects.order_by("name")
            if "served_communes" in self.fields:
                served = self.instance.served_communes.values_list("pk", flat=True) if self.instance.pk else []
                self.fields["served_communes"].queryset = Commune.objects.for_choice(*served).order_by("name")
                self.fields["served_communes"].help_text = "Seulement les communes hors des EPCI cochés."
            if "federation" in self.fields:
                self.fields["federation"].queryset = Organisation.objects.filter(
                    kind=Organisation.Kind.FEDERATION
                ).order_by("name")
            if "siret" in self.fields:
                # Spaces are welcome in the input ("123 456 789 00012"): the length is checked after compacting.
                self.fields["siret"] = forms.CharField(
                    label="SIRET",
                    required=kind in SIRET_REQUIRED,
                    max_length=20,
                    help_text="14 chiffres ; les espaces sont acceptés.",
                    widget=SiretLookupInput(lookup_url(kind, self.instance.pk)),
                )
            for name in REQUIRED_BY_KIND.get(kind, []):
                self.fields[name].required = True
            if "naf_code" in self.fields:
                self.fields["naf_code"].help_text = "Par exemple 4120A (construction de bâtiments)."

        def clean_siret(self):
            siret = clean_siret_value(self.cleaned_data.get("siret"))
            if siret:
                duplicate = Organisation.objects.filter(siret=siret).exclude(pk=self.instance.pk).first()
                if duplicate:
                    raise ValidationError(
                        "Ce SIRET est déjà celui de « %(name)s » dans l'annuaire.", params={"name": duplicate.name}
                    )
            return siret

        def clean_naf_code(self):
            naf = (self.cleaned_data.get("naf_code") or "").replace(".", "").replace(" ", "").upper()
            if naf and not (len(naf) == 5 and naf[:4].isdigit() and naf[4].isalpha()):
                raise ValidationError("Code NAF invalide : 4 chiffres et une lettre attendus (ex. 4120A).")
            return naf

        def save(self, commit=True):
            self.instance.kind = kind
            return super().save(commit)

    return OrganisationForm


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label="Rechercher",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Nom, SIRET, code NAF ou commune", "type": "search"}),
    )
    kind = forms.ChoiceField(label="Type", required=False, choices=[("", "Tous les types"), *Organisation.Kind.choices])
    territory = forms.ChoiceField(label="Territoire", required=False)

    def __init__(self, *args, epcis=(), sectors=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territory"].choices = [
            ("", "Tout l'Ain"),
            ("Secteurs départementaux", [(f"sector-{s.pk}", s.name) for s in sectors]),
            ("EPCI", [(f"epci-{e.pk}", e.name) for e in epcis]),
        ]
        self._epcis = {e.pk: e for e in epcis}
        self._sectors = {s.pk: s for s in sectors}

    def selected_territory(self):
        """The chosen EPCI or sector as a dict of keyword arguments for ``in_territory``."""
        value = self.cleaned_data.get("territory") or ""
        kind, _, pk = value.partition("-")
        if kind == "epci" and pk.isdigit() and int(pk) in self._epcis:
            return {"epci": self._epcis[int(pk)]}
        if kind == "sector" and pk.isdigit() and int(pk) in self._sectors:
            return {"sector": self._sectors[int(pk)]}
        return {}


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["first_name", "last_name", "function", "email", "phone", "retention_reason"]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            self.add_error("email", "Indiquez au moins une adresse e-mail ou un téléphone.")
        return cleaned


class CoverageRuleForm(forms.ModelForm):
    buyer_kinds = forms.MultipleChoiceField(
        label="Types de donneurs d'ordre",
        required=False,
        choices=Organisation.BuyerKind.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Ne rien cocher pour suivre tous les donneurs d'ordre.",
    )

    class Meta:
        model = CoverageRule
        fields = [
            "facilitation_body",
            "whole_department",
            "epcis",
            "sectors",
            "buyer_kinds",
            "engineering_agency_members_only",
            "is_active",
            "notes",
        ]
        widgets = {
            "epcis": forms.CheckboxSelectMultiple,
            "sectors": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["facilitation_body"].queryset = Organisation.objects.facilitation_bodies().order_by("name")
        self.fields["epcis"].queryset = Epci.objects.order_by("name")
        self.fields["sectors"].queryset = Sector.objects.order_by("name")

    def clean(self):
        cleaned = super().clean()
        whole = cleaned.get("whole_department")
        has_territory = bool(cleaned.get("epcis")) or bool(cleaned.get("sectors"))
        if whole and has_territory:
            self.add_error("whole_department", "Choisissez tout l'Ain, ou des EPCI et secteurs, mais pas les deux.")
        if not whole and not has_territory:
            self.add_error("epcis", "Choisissez au moins un EPCI ou un secteur, ou bien tout l'Ain.")
        return cleaned
