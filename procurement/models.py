"""Contracts as published in the DECP (données essentielles de la commande publique), the imports
that bring them in, and what the facilitator decided about each one (integrations.md, "DECP").

A ``PublishedContract`` is the public record of one contract, keyed nationally by its ``uid``
(buyer SIRET + the buyer's own id): several imports of the same contract update it (amount,
duration and holders change with each modification; django-simple-history keeps every state).
It is matched to the contracts and lots that Clausier follows (``clauses``), or dismissed.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clauses.models import Contract, Lot
from partners.models import Organisation
from placements.models import private_storage

USER = settings.AUTH_USER_MODEL

# The values of ``considerationsSociales.considerationSociale`` (schema v2; "Sans objet" in older data).
SOCIAL_CLAUSE = "Clause sociale"
SOCIAL_CRITERION = "Critère social"
RESERVED = "Marché réservé"
NONE = "Pas de considération sociale"
LEGACY_NONE = "Sans objet"
SOCIAL_CONSIDERATIONS = (SOCIAL_CLAUSE, SOCIAL_CRITERION, RESERVED)


class DecpImport(models.Model):
    """One import of DECP data (a file uploaded or the tabular API), a row first, then the job fills it."""

    class Source(models.TextChoices):
        FILE = "file", "Fichier déposé"
        API = "api", "API data.gouv.fr"

    class Format(models.TextChoices):
        JSON = "json", "JSON réglementaire (schéma v2)"
        CSV = "csv", "Table consolidée (CSV)"
        API = "api", "Table consolidée (API tabulaire)"

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Terminé"
        FAILED = "failed", "Échec"

    source = models.CharField("origine", max_length=10, choices=Source.choices)
    format = models.CharField("format", max_length=10, choices=Format.choices)
    file = models.FileField("fichier", upload_to="decp/", storage=private_storage, blank=True)
    original_name = models.CharField("nom du fichier", max_length=250, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True)
    notified_since = models.DateField("notifiés depuis le", null=True, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0)
    rows_read = models.PositiveIntegerField("lignes lues", default=0)
    rows_expected = models.PositiveIntegerField("lignes attendues", null=True, blank=True)
    created_count = models.PositiveIntegerField("marchés nouveaux", default=0)
    updated_count = models.PositiveIntegerField("marchés mis à jour", default=0)
    unchanged_count = models.PositiveIntegerField("marchés inchangés", default=0)
    skipped_count = models.PositiveIntegerField("lignes hors territoire ou anciennes", default=0)
    rejected_count = models.PositiveIntegerField("lignes rejetées", default=0)
    error = models.TextField("erreur", blank=True)
    created_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="demandé par"
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "import DECP"
        verbose_name_plural = "imports DECP"
        ordering = ["-created_at"]

    def __str__(self):
        if not self.created_at:
            return "Import DECP"
        return f"Import DECP du {timezone.localtime(self.created_at):%d/%m/%Y à %H:%M}"

    @property
    def is_finished(self):
        return self.status in (self.Status.DONE, self.Status.FAILED)


class RejectedRow(models.Model):
    """A row of an import that was not written, and why (in French, for the facilitator)."""

    decp_import = models.ForeignKey(DecpImport, on_delete=models.CASCADE, related_name="rejected_rows")
    position = models.PositiveIntegerField("ligne ou rang")
    contract_key = models.CharField("identifiant du marché", max_length=120, blank=True)
    reason = models.CharField("motif", max_length=300)
    excerpt = models.TextField("extrait", blank=True)

    class Meta:
        verbose_name = "ligne rejetée"
        verbose_name_plural = "lignes rejetées"
        ordering = ["position"]

    def __str__(self):
        return f"{self.position} : {self.reason}"


class PublishedContractQuerySet(models.QuerySet):
    def with_social_consideration(self):
        return self.filter(has_social_consideration=True)

    def to_review(self):
        return self.filter(review_status=PublishedContract.ReviewStatus.NEW)

    def followed(self):
        return self.filter(
            review_status__in=[PublishedContract.ReviewStatus.ACCEPTED, PublishedContract.ReviewStatus.MERGED]
        )

    def notified_in(self, year):
        return self.filter(notification_date__year=year)


class PublishedContract(models.Model):
    """The current state of one contract in the DECP."""

    class ReviewStatus(models.TextChoices):
        NEW = "new", "À examiner"
        ACCEPTED = "accepted", "Créé dans Clausier"
        MERGED = "merged", "Rattaché à un marché suivi"
        DISMISSED = "dismissed", "Écarté"

    class DismissalReason(models.TextChoices):
        OUT_OF_SCOPE = "out_of_scope", "Hors périmètre"
        DUPLICATE = "duplicate", "Doublon"
        NO_INSERTION = "no_insertion", "Pas d'insertion possible"
        OTHER = "other", "Autre motif"

    uid = models.CharField("identifiant national", max_length=120, unique=True)
    decp_id = models.CharField("identifiant de l'acheteur", max_length=80)
    buyer_siret = models.CharField("SIRET de l'acheteur", max_length=14)
    buyer_name = models.CharField("acheteur", max_length=250, blank=True)
    buyer = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="donneur d'ordre"
    )
    subject = models.TextField("objet")
    cpv_code = models.CharField("code CPV", max_length=12, blank=True)
    procedure = models.CharField("procédure", max_length=120, blank=True)
    nature = models.CharField("nature", max_length=60, blank=True)
    techniques = models.CharField("techniques d'achat", max_length=250, blank=True)
    execution_terms = models.CharField("modalités d'exécution", max_length=250, blank=True)
    place_code = models.CharField("lieu d'exécution", max_length=10, blank=True)
    place_code_type = models.CharField("type de code du lieu", max_length=30, blank=True)
    department_code = models.CharField("département", max_length=3, blank=True, db_index=True)
    notification_date = models.DateField("notification")
    publication_date = models.DateField("publication des données", null=True, blank=True)
    duration_months = models.PositiveSmallIntegerField("durée (mois)", null=True, blank=True)
    amount = models.DecimalField("montant HT (€)", max_digits=16, decimal_places=2)
    social_considerations = models.CharField("considérations sociales", max_length=200, blank=True)
    has_social_consideration = models.BooleanField("avec considération sociale", default=False)
    modification_count = models.PositiveSmallIntegerField("modifications", default=0)
    holder_ids = models.CharField("titulaires (identifiants)", max_length=500, blank=True)
    review_status = models.CharField(
        "décision", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.NEW, db_index=True
    )
    contract = models.ForeignKey(
        Contract,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_records",
        verbose_name="marché suivi",
    )
    lot = models.ForeignKey(
        Lot,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="published_records",
        verbose_name="lot suivi",
    )
    dismissal_reason = models.CharField("motif de l'écart", max_length=20, choices=DismissalReason.choices, blank=True)
    review_note = models.CharField("précision", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="examiné par"
    )
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    last_import = models.ForeignKey(
        DecpImport, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="dernier import"
    )
    first_seen_at = models.DateTimeField("vu pour la première fois le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "last_import"])

    objects = PublishedContractQuerySet.as_manager()

    class Meta:
        verbose_name = "marché publié (DECP)"
        verbose_name_plural = "marchés publiés (DECP)"
        ordering = ["-notification_date", "uid"]
        indexes = [
            models.Index(fields=["buyer_siret", "notification_date"], name="decp_buyer_notified"),
            models.Index(fields=["review_status", "has_social_consideration"], name="decp_review_social"),
            models.Index(fields=["first_seen_at"], name="decp_first_seen"),  # the digest's new contracts
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="decp_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.buyer_name or self.buyer_siret} — {self.subject[:80]}"

    @property
    def considerations(self):
        return [value for value in self.social_considerations.split(";") if value]

    @property
    def says_no_social_consideration(self):
        return any(value in (NONE, LEGACY_NONE) for value in self.considerations) and not self.has_social_consideration


class PublishedHolder(models.Model):
    """A holder (titulaire) of a published contract, by its identifier (SIRET first)."""

    published_contract = models.ForeignKey(PublishedContract, on_delete=models.CASCADE, related_name="holders")
    identifier = models.CharField("identifiant", max_length=20)
    identifier_type = models.CharField("type d'identifiant", max_length=20, default="SIRET")
    name = models.CharField("nom", max_length=250, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="entreprise"
    )

    class Meta:
        verbose_name = "titulaire publié"
        verbose_name_plural = "titulaires publiés"
        constraints = [
            models.UniqueConstraint(fields=["published_contract", "identifier"], name="unique_published_holder"),
        ]

    def __str__(self):
        return self.name or self.identifier
