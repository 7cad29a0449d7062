"""The OETH deduction's data (issue 18): the inputs of a year, the purchases from EA, EATT, ESAT and
independent disabled workers (TIH) with the supplier's attestation, and who downloaded which one.

Attestations are stored like the employers' proof files (``placements.models.PrivateStorage``):
outside the public files, under a generated name, served by a view that checks access and logs it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from clauses.models import PERCENT_VALIDATORS, POSITIVE_MONEY, Contract
from partners.models import DISABILITY_STRUCTURE_KINDS, Organisation
from placements.models import private_storage
from procurement.models import PublishedContract

USER = settings.AUTH_USER_MODEL


def disability_structures():
    """EA, EATT and ESAT of the directory: the structures whose purchases lower the contribution."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind__in=DISABILITY_STRUCTURE_KINDS
    )


class OethYear(models.Model):
    """What the year's declaration gives: the contribution before deduction and the direct employment
    rate of disabled workers (which decides the cap: 50 %, or 75 % from 3 %)."""

    year = models.PositiveSmallIntegerField("année", unique=True)
    contribution = models.DecimalField(
        "contribution avant déduction (€)", max_digits=14, decimal_places=2, validators=POSITIVE_MONEY
    )
    employment_rate = models.DecimalField(
        "taux d'emploi direct de travailleurs handicapés (%)",
        max_digits=5,
        decimal_places=2,
        validators=PERCENT_VALIDATORS,
    )
    updated_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="modifié par"
    )
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "année OETH"
        verbose_name_plural = "années OETH"
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(contribution__gte=0), name="oeth_contribution_not_negative"),
            models.CheckConstraint(
                condition=Q(employment_rate__gte=0, employment_rate__lte=100), name="oeth_rate_is_a_percentage"
            ),
        ]

    def __str__(self):
        return f"OETH {self.year}"


class TihSupplier(models.Model):
    """An independent disabled worker (travailleur indépendant handicapé) the Département buys from.

    Not an ``Organisation``: a TIH is a person working alone, not an inclusion structure, and the
    directory, the sourcing panel and the PNAD returns must not count them as EA/ESAT. The
    administrator marks them (name and SIRET) after seeing their recognition."""

    name = models.CharField("nom", max_length=200)
    siret = models.CharField("SIRET", max_length=14, unique=True)
    notes = models.CharField("notes", max_length=300, blank=True)
    marked_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="marqué par"
    )
    marked_at = models.DateTimeField("marqué le", default=timezone.now)

    class Meta:
        verbose_name = "travailleur indépendant handicapé (TIH)"
        verbose_name_plural = "travailleurs indépendants handicapés (TIH)"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (TIH)"


def attestation_upload_path(instance, filename):
    return f"oeth/{instance.year.year}/{filename}"


class OethPurchase(models.Model):
    """A purchase of the year from an EA, EATT, ESAT or a TIH, with the labour share the supplier's
    attestation gives."""

    year = models.ForeignKey(OethYear, on_delete=models.CASCADE, related_name="purchases", verbose_name="année")
    structure = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={
            "kind": Organisation.Kind.INCLUSION_STRUCTURE,
            "structure_kind__in": sorted(DISABILITY_STRUCTURE_KINDS),
        },
        verbose_name="structure (EA, EATT, ESAT)",
    )
    tih = models.ForeignKey(
        TihSupplier, on_delete=models.PROTECT, null=True, blank=True, related_name="purchases", verbose_name="TIH"
    )
    contract = models.ForeignKey(
        Contract, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="marché suivi"
    )
    published_contract = models.ForeignKey(
        PublishedContract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="marché publié (DECP)",
    )
    contract_reference = models.CharField("référence du marché ou de la commande", max_length=120, blank=True)
    amount_invoiced = models.DecimalField(
        "montant facturé dans l'année (€ HT)", max_digits=14, decimal_places=2, validators=POSITIVE_MONEY
    )
    labour_share = models.DecimalField(
        "part de main-d'œuvre (%) selon l'attestation", max_digits=5, decimal_places=2, validators=PERCENT_VALIDATORS
    )
    attestation = models.FileField(
        "attestation du fournisseur", upload_to=attestation_upload_path, storage=private_storage, max_length=200
    )
    attestation_name = models.CharField("nom du fichier", max_length=200)
    attestation_content_type = models.CharField("type", max_length=100)
    attestation_size = models.PositiveIntegerField("taille (octets)")
    recorded_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="saisi par"
    )
    recorded_at = models.DateTimeField("saisi le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)

    class Meta:
        verbose_name = "achat OETH"
        verbose_name_plural = "achats OETH"
        ordering = ["year", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(structure__isnull=False) & Q(tih__isnull=True))
                | (Q(structure__isnull=True) & Q(tih__isnull=False)),
                name="oeth_purchase_one_supplier",
            ),
            models.CheckConstraint(condition=Q(amount_invoiced__gte=0), name="oeth_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(labour_share__gte=0, labour_share__lte=100), name="oeth_share_is_a_percentage"
            ),
        ]

    def __str__(self):
        return f"{self.supplier_name} — {self.year.year}"

    @property
    def supplier_name(self):
        return self.structure.name if self.structure_id else self.tih.name

    @property
    def supplier_kind(self):
        """« EA », « EATT », « ESAT » or « TIH »."""
        return self.structure.structure_kind if self.structure_id else "TIH"

    @property
    def contract_label(self):
        if self.contract_reference:
            return self.contract_reference
        if self.contract_id:
            return str(self.contract)
        if self.published_contract_id:
            return self.published_contract.subject
        return ""


class AttestationAccess(models.Model):
    """Who downloaded which attestation, when, through which address; written by the view, never changed."""

    user = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="utilisateur")
    purchase = models.ForeignKey(
        OethPurchase, on_delete=models.CASCADE, related_name="accesses", verbose_name="achat OETH"
    )
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    path = models.CharField("adresse", max_length=300, blank=True)

    class Meta:
        verbose_name = "téléchargement d'une attestation"
        verbose_name_plural = "téléchargements des attestations"
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"Attestation n° {self.purchase_id} — {self.at:%d/%m/%Y %H:%M}"
