"""The insertion clause of a lot (its legal basis and how its hours are set) and the clause
sheet's texts per legal basis."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Sum
from simple_history.models import HistoricalRecords

from . import hours
from .reference_models import PERCENT_VALIDATORS, POSITIVE_MONEY


class Clause(models.Model):
    """The insertion clause of a lot: its legal basis and how its hours are set."""

    class LegalBasis(models.TextChoices):
        EXECUTION_CONDITION = "execution_condition", "Condition d'exécution (L2112-2)"
        AWARD_CRITERION = "award_criterion", "Critère d'attribution (R2152-7)"
        RESERVED_SIAE = "reserved_siae", "Marché réservé aux SIAE (L2113-13)"
        RESERVED_DISABILITY = "reserved_disability", "Marché réservé aux EA et ESAT (L2113-12)"
        RESERVED_ESS = "reserved_ess", "Marché réservé à l'ESS (L2113-15)"
        INSERTION_CONTRACT = "insertion_contract", "Marché d'insertion et de qualification (R2123-1)"

    class Method(models.TextChoices):
        FORMULA = "formula", "Formule : montant × part de main-d'œuvre × taux ÷ coût horaire"
        WORKED_HOURS_SHARE = "worked_hours_share", "Pourcentage des heures travaillées"
        PER_EURO_INVOICED = "per_euro_invoiced", "Heures par euro facturé (bons de commande)"
        CLEANING = "cleaning", "Propreté : coefficient et reprise du personnel"

    lot = models.OneToOneField("clauses.Lot", on_delete=models.CASCADE, related_name="clause", verbose_name="lot")
    legal_basis = models.CharField("fondement juridique", max_length=30, choices=LegalBasis.choices)
    method = models.CharField("calcul des heures", max_length=30, choices=Method.choices, default=Method.FORMULA)
    labour_share = models.DecimalField(
        "part de main-d'œuvre (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    insertion_rate = models.DecimalField(
        "taux d'insertion (%)", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT_VALIDATORS
    )
    hourly_cost = models.DecimalField(
        "coût horaire (€/h)",
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"), "Le coût horaire doit être positif.")],
    )
    worked_hours_share = models.DecimalField(
        "part des heures travaillées (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=PERCENT_VALIDATORS,
    )
    estimated_worked_hours = models.DecimalField(
        "heures travaillées estimées sur le lot",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
    )
    euros_per_hour = models.DecimalField(
        "montant HT facturé pour une heure (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"), "Le montant doit être positif.")],
    )
    cleaning_coefficient = models.DecimalField(
        "coefficient propreté (C)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    transferred_monthly_hours = models.DecimalField(
        "heures mensuelles du personnel repris (S)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=POSITIVE_MONEY,
    )
    computed_hours = models.DecimalField("heures calculées", max_digits=10, decimal_places=0, default=Decimal(0))
    contractual_hours = models.DecimalField(
        "heures contractuelles", max_digits=10, decimal_places=0, null=True, blank=True, validators=POSITIVE_MONEY
    )
    adjustment_reason = models.CharField("motif de l'ajustement", max_length=250, blank=True)
    model_text = models.TextField("texte de la clause", blank=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "clause d'insertion"
        verbose_name_plural = "clauses d'insertion"

    def __str__(self):
        return f"Clause du {self.lot}"

    @property
    def grows_with_invoices(self):
        """Hours per euro invoiced: the obligation grows with each purchase order."""
        return self.method == self.Method.PER_EURO_INVOICED and bool(self.euros_per_hour)

    def required_hours(self, invoiced_total=None):
        """Contractual hours when the buyer adjusted them, else the computed hours. For hours per
        euro invoiced, the obligation grows with the invoiced amounts."""
        if self.grows_with_invoices:
            if invoiced_total is None:
                invoiced_total = self.lot.invoiced_amounts.aggregate(total=Sum("amount"))["total"]
            return hours.invoiced_hours(invoiced_total or 0, self.euros_per_hour)
        if self.contractual_hours is not None:
            return self.contractual_hours
        return self.computed_hours


class ClauseSheetTemplate(models.Model):
    """The texts of the clause sheet for buyers, one per legal basis, editable by administrators."""

    legal_basis = models.CharField("fondement juridique", max_length=30, choices=Clause.LegalBasis.choices, unique=True)
    model_text = models.TextField(
        "clause type",
        help_text="Texte à insérer dans le CCAP. Variables : {heures}, {lot}, {marche}, {acheteur}, {facilitateur}.",
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "modèle de fiche clause"
        verbose_name_plural = "modèles de fiche clause"
        ordering = ["legal_basis"]

    def __str__(self):
        return self.get_legal_basis_display()
