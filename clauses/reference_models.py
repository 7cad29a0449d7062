"""The reference data of the clauses: sectors of activity, the hours' settings and the trades
(corps d'état) with their labour shares, editable by administrators; the validators they share."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from . import hours

PERCENT_VALIDATORS = [
    MinValueValidator(Decimal(0), "Un pourcentage ne peut pas être négatif."),
    MaxValueValidator(Decimal(100), "Un pourcentage ne peut pas dépasser 100 %%."),
]
POSITIVE_MONEY = [MinValueValidator(Decimal(0), "Le montant ne peut pas être négatif.")]


class ActivitySector(models.TextChoices):
    """Sectors of activity counted by the Département and the national network."""

    BUILDING = "building", "Bâtiment"
    PUBLIC_WORKS = "public_works", "Travaux publics"
    CLEANING = "cleaning", "Propreté"
    GREEN_SPACES = "green_spaces", "Espaces verts"
    WASTE = "waste", "Déchets"
    CATERING = "catering", "Restauration"
    SERVICES = "services", "Services"


class HoursSettings(models.Model):
    """Administrator settings of the hours: default hourly cost, minimum, cleaning coefficient."""

    default_hourly_cost = models.DecimalField(
        "coût horaire par défaut (€/h, charges comprises)", max_digits=8, decimal_places=2, default=Decimal("30.00")
    )
    minimum_hours = models.DecimalField(
        "minimum d'heures conseillé", max_digits=8, decimal_places=0, default=Decimal("150")
    )
    cleaning_coefficient = models.DecimalField(
        "coefficient propreté (C)", max_digits=6, decimal_places=2, default=hours.CLEANING_COEFFICIENT
    )

    class Meta:
        verbose_name = "réglages des heures"
        verbose_name_plural = "réglages des heures"

    def __str__(self):
        return "Réglages des heures d'insertion"

    @classmethod
    def current(cls):
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class Trade(models.Model):
    """A trade (corps d'état) with its default labour share, editable by administrators."""

    name = models.CharField("corps d'état", max_length=120, unique=True)
    sector = models.CharField("secteur", max_length=20, choices=ActivitySector.choices)
    labour_share = models.DecimalField(
        "part de main-d'œuvre par défaut (%)", max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )

    class Meta:
        verbose_name = "corps d'état"
        verbose_name_plural = "corps d'état"
        ordering = ["sector", "name"]

    def __str__(self):
        return f"{self.name} ({self.labour_share.normalize():f} %)"
