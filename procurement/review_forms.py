"""Forms of the review and the reconciliation of the published contracts; every message in French."""

from django import forms
from django.core.exceptions import ValidationError

from clauses.models import ActivitySector, Contract, Lot, Trade
from partners.models import Commune

from .models import PublishedContract

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

SOCIAL = "social"
ALL = "all"
FOLLOWED = "followed"


class ReviewFilterForm(forms.Form):
    considerations = forms.ChoiceField(
        label="Considérations sociales",
        required=False,
        choices=[(SOCIAL, "Avec une considération sociale"), (ALL, "Tous les marchés")],
    )
    status = forms.ChoiceField(
        label="Décision",
        required=False,
        choices=[
            (PublishedContract.ReviewStatus.NEW, "À examiner"),
            (FOLLOWED, "Suivis dans Clausier"),
            (PublishedContract.ReviewStatus.DISMISSED, "Écartés"),
            (ALL, "Tous"),
        ],
    )
    buyer = forms.ChoiceField(label="Acheteur", required=False)
    year = forms.TypedChoiceField(label="Année de notification", required=False, coerce=int, empty_value=None)

    def __init__(self, *args, buyers, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = [("", "Tous les acheteurs"), *buyers]
        self.fields["year"].choices = [("", "Toutes"), *((year, str(year)) for year in years)]

    def filter(self, contracts):
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if (data.get("considerations") or SOCIAL) == SOCIAL:
            contracts = contracts.with_social_consideration()
        status = data.get("status") or PublishedContract.ReviewStatus.NEW
        if status == FOLLOWED:
            contracts = contracts.followed()
        elif status != ALL:
            contracts = contracts.filter(review_status=status)
        if data.get("buyer"):
            contracts = contracts.filter(buyer_siret=data["buyer"])
        if data.get("year"):
            contracts = contracts.notified_in(data["year"])
        return contracts


class AcceptForm(forms.Form):
    """What will be created, pre-filled from the DECP; the facilitator corrects before confirming."""

    operation_title = forms.CharField(label="Intitulé de l'opération", max_length=250)
    contract_title = forms.CharField(label="Objet du marché (et du lot)", max_length=250)
    reference = forms.CharField(label="Référence du marché", max_length=60, help_text="L'identifiant de l'acheteur.")
    commune = forms.ModelChoiceField(
        label="Commune de l'opération",
        queryset=Commune.objects.current().order_by("name"),
        help_text="Lieu d'exécution publié ; à défaut, le siège du Département.",
    )
    trade = forms.ModelChoiceField(
        label="Corps d'état",
        queryset=Trade.objects.order_by("sector", "name"),
        required=False,
        help_text="Deviné d'après le code CPV quand il est connu.",
    )
    sector = forms.ChoiceField(
        label="Secteur", choices=[("", "Déduit du corps d'état"), *ActivitySector.choices], required=False
    )
    notification_date = forms.DateField(label="Notification", widget=DATE_WIDGET)
    start_date = forms.DateField(label="Début d'exécution", widget=DATE_WIDGET)
    end_date = forms.DateField(label="Fin d'exécution", widget=DATE_WIDGET, help_text="Début + durée publiée.")

    def clean(self):
        cleaned = super().clean()
        start, end, notified = cleaned.get("start_date"), cleaned.get("end_date"), cleaned.get("notification_date")
        if start and end and end < start:
            self.add_error("end_date", "La fin d'exécution doit suivre le début d'exécution.")
        if notified and start and notified > start:
            self.add_error("notification_date", "La notification ne peut pas être postérieure au début d'exécution.")
        if not cleaned.get("sector"):
            if cleaned.get("trade"):
                cleaned["sector"] = cleaned["trade"].sector
            elif "trade" in cleaned:
                self.add_error("sector", "Choisissez un secteur ou un corps d'état.")
        return cleaned


class MergeForm(forms.Form):
    """Link to one of the candidates, or to a contract the user may see, by its reference."""

    # Any lot or contract the user may see is accepted (checked in ``_target``), not only the choices shown.
    target = forms.CharField(label="Marché ou lot suivi", required=False, widget=forms.RadioSelect)
    reference = forms.CharField(
        label="Ou la référence d'un marché suivi",
        max_length=60,
        required=False,
        help_text="Un marché que vous voyez dans Clausier, s'il n'est pas proposé.",
    )

    def __init__(self, *args, user, candidates=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        lots, contracts = [], {}
        for item in candidates:
            lots.append((f"lot-{item.followed.lot_id}", f"{item.followed.label} ({item.points} / 100)"))
            if item.followed.lot_count > 1:  # the whole contract once, after its lots
                contracts.setdefault(f"contract-{item.followed.contract_id}", f"tout le {item.followed.contract_label}")
        self.fields["target"].widget.choices = lots + list(contracts.items())
        self.contract = None
        self.lot = None

    def _target(self, value):
        kind, _, pk = value.partition("-")
        if not pk.isdigit():
            raise ValidationError("Choisissez un marché ou un lot de la liste.")
        if kind == "lot":
            lot = Lot.objects.for_user(self.user).select_related("contract").filter(pk=pk).first()
            if lot is None:
                raise ValidationError("Ce lot n'existe pas ou vous ne le voyez pas.")
            return lot.contract, lot
        contract = Contract.objects.for_user(self.user).filter(pk=pk).first()
        if contract is None:
            raise ValidationError("Ce marché n'existe pas ou vous ne le voyez pas.")
        return contract, None

    def clean(self):
        cleaned = super().clean()
        target, reference = (cleaned.get("target") or "").strip(), (cleaned.get("reference") or "").strip()
        if bool(target) == bool(reference):
            raise ValidationError("Choisissez un marché ou un lot proposé, ou donnez une référence (l'un ou l'autre).")
        if target:
            try:
                self.contract, self.lot = self._target(target)
            except ValidationError as error:
                self.add_error("target", error)
            return cleaned
        contracts = list(Contract.objects.for_user(self.user).filter(reference__iexact=reference).distinct()[:2])
        if not contracts:
            self.add_error("reference", "Aucun marché que vous voyez n'a cette référence.")
        elif len(contracts) > 1:
            self.add_error("reference", "Plusieurs marchés ont cette référence : choisissez-le dans la liste proposée.")
        else:
            self.contract = contracts[0]
            lots = list(self.contract.lots.all()[:2])
            self.lot = lots[0] if len(lots) == 1 else None
        return cleaned


class DismissForm(forms.Form):
    reason = forms.ChoiceField(
        label="Motif", choices=[("", "Choisissez un motif"), *PublishedContract.DismissalReason.choices]
    )
    note = forms.CharField(
        label="Précision", max_length=300, required=False, help_text="Obligatoire pour « Autre motif »."
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reason") == PublishedContract.DismissalReason.OTHER and not cleaned.get("note", "").strip():
            self.add_error("note", "Précisez le motif.")
        return cleaned


class ReconciliationFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Année de notification", required=False, coerce=int, empty_value=None)
    buyer = forms.ChoiceField(label="Acheteur", required=False)

    def __init__(self, *args, buyers, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["buyer"].choices = [("", "Tous les acheteurs"), *buyers]
        self.fields["year"].choices = [("", "Toutes"), *((year, str(year)) for year in years)]
