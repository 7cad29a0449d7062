"""Forms of the OETH returns (administrators only); messages in French, next to their fields.

The attestation is checked by ``portal.proofs.check_proof``, the same check as the employers'
proof files (its content, not its name: a text file named ``.pdf`` is refused)."""

from django import forms
from django.core.exceptions import ValidationError

from clauses.models import Contract
from partners.directory_forms import clean_siret_value
from portal import proofs
from procurement.models import PublishedContract

from .models import OethPurchase, OethYear, TihSupplier, disability_structures

STRUCTURE_PREFIX, TIH_PREFIX = "s", "t"
DECIMAL_ERRORS = {"invalid": "Saisissez un nombre, par exemple 12,5."}


class OethYearForm(forms.ModelForm):
    class Meta:
        model = OethYear
        fields = ["contribution", "employment_rate"]
        localized_fields = fields  # « 52 000,50 » as a French person types it
        help_texts = {
            "contribution": "Le montant de la contribution de l'année, avant toute déduction.",
            "employment_rate": "Il décide du plafond : 50 % de la contribution, 75 % à partir de 3 %.",
        }
        error_messages = {
            "contribution": {**DECIMAL_ERRORS, "required": "Saisissez la contribution de l'année."},
            "employment_rate": {**DECIMAL_ERRORS, "required": "Saisissez le taux d'emploi direct."},
        }


class AttestationField(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(
            label="Attestation du fournisseur",
            help_text="PDF, JPEG ou PNG, 10 Mo au plus : l'attestation annuelle qui donne la part de main-d'œuvre.",
            error_messages={
                "required": "Joignez l'attestation du fournisseur.",
                "empty": "Le fichier est vide : choisissez le bon fichier.",
                "invalid": "Le fichier n'a pas été reçu : choisissez-le à nouveau.",
                "missing": "Le fichier n'a pas été reçu : choisissez-le à nouveau.",
            },
            widget=forms.FileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"}),
            **kwargs,
        )


def supplier_choices():
    structures = [(f"{STRUCTURE_PREFIX}{o.pk}", f"{o.name} — {o.structure_kind}") for o in disability_structures()]
    tihs = [(f"{TIH_PREFIX}{t.pk}", str(t)) for t in TihSupplier.objects.all()]
    return [("", "Choisissez le fournisseur"), ("EA, EATT, ESAT", structures), ("Travailleurs indépendants", tihs)]


class OethPurchaseForm(forms.ModelForm):
    supplier = forms.ChoiceField(
        label="Fournisseur",
        help_text="Une EA, EATT ou ESAT de l'annuaire, ou un TIH marqué par un administrateur.",
        error_messages={
            "required": "Choisissez le fournisseur.",
            "invalid_choice": "Choisissez un fournisseur de la liste.",
        },
    )
    decp_uid = forms.CharField(
        label="Marché publié (identifiant DECP)",
        required=False,
        max_length=80,
        help_text="Facultatif : l'identifiant national du marché (SIRET de l'acheteur + identifiant).",
    )
    attestation = AttestationField()

    class Meta:
        model = OethPurchase
        fields = ["contract", "contract_reference", "amount_invoiced", "labour_share"]
        localized_fields = ["amount_invoiced", "labour_share"]
        help_texts = {
            "contract": "Facultatif : le marché suivi dans Clausier.",
            "contract_reference": "Facultatif : la référence du marché ou du bon de commande, telle qu'on la lit.",
            "labour_share": "Entre 0 et 100, telle que l'attestation du fournisseur la donne.",
        }
        error_messages = {
            "amount_invoiced": {**DECIMAL_ERRORS, "required": "Saisissez le montant facturé."},
            "labour_share": {**DECIMAL_ERRORS, "required": "Saisissez la part de main-d'œuvre."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = None
        self.fields["supplier"].choices = supplier_choices()
        self.fields["contract"].queryset = Contract.objects.order_by("reference")
        self.fields["contract"].empty_label = "Aucun"
        self.order_fields(["supplier", "contract", "decp_uid", "contract_reference"])
        purchase = self.instance
        if purchase.pk:
            prefix, pk = (
                (STRUCTURE_PREFIX, purchase.structure_id) if purchase.structure_id else (TIH_PREFIX, purchase.tih_id)
            )
            self.initial["supplier"] = f"{prefix}{pk}"
            self.initial["decp_uid"] = purchase.published_contract.uid if purchase.published_contract_id else ""
            self.fields["attestation"].required = False
            name = purchase.attestation_name
            self.fields[
                "attestation"
            ].help_text = f"Facultatif : l'attestation jointe est « {name} » ; un nouveau fichier la remplace."

    def clean_supplier(self):
        value = self.cleaned_data["supplier"]
        prefix, pk = value[:1], value[1:]
        if prefix == STRUCTURE_PREFIX:
            self.instance.structure, self.instance.tih = disability_structures().get(pk=pk), None
        else:
            self.instance.structure, self.instance.tih = None, TihSupplier.objects.get(pk=pk)
        return value

    def clean_decp_uid(self):
        uid = self.cleaned_data["decp_uid"].strip()
        if not uid:
            self.instance.published_contract = None
            return ""
        published = PublishedContract.objects.filter(uid=uid).first()
        if published is None:
            raise ValidationError("Aucun marché publié n'a cet identifiant : vérifiez-le ou laissez le champ vide.")
        self.instance.published_contract = published
        return uid

    def clean_attestation(self):
        uploaded = self.cleaned_data.get("attestation")
        if not uploaded:
            return None
        try:
            self.kind = proofs.check_proof(uploaded)
        except proofs.ProofRejected as exc:
            raise ValidationError(str(exc)) from exc
        return uploaded


class TihSupplierForm(forms.ModelForm):
    siret = forms.CharField(
        label="SIRET",
        max_length=20,  # spaces allowed while typing: « 123 456 789 00012 »
        help_text="14 chiffres.",
        error_messages={"required": "Saisissez le SIRET."},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    class Meta:
        model = TihSupplier
        fields = ["name", "siret", "notes"]
        labels = {"name": "Nom (et activité)"}
        help_texts = {
            "notes": "Facultatif : par exemple la reconnaissance vue (RQTH) et sa date.",
        }
        error_messages = {"name": {"required": "Saisissez le nom."}}

    def clean_siret(self):
        siret = clean_siret_value(self.cleaned_data["siret"])
        if TihSupplier.objects.filter(siret=siret).exclude(pk=self.instance.pk).exists():
            raise ValidationError("Ce SIRET est déjà celui d'un TIH de la liste.")
        return siret
