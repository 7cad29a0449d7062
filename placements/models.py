"""Participants and their eligibility, job offers, candidacies, placements, follow-ups, outcomes."""

import os
from decimal import Decimal

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clauses.models import Lot, facilitation_bodies_of
from partners.models import Commune, Organisation
from partners.permissions import has_role, is_administrator
from partners.roles import Role

from . import outcomes
from .declaration_models import (  # noqa: F401 (every model of the app is reached as placements.models.X)
    CountingRules,
    DeclarationLine,
    DeclarationLineQuerySet,
    DeclarationQuerySet,
    MonthlyDeclaration,
    _employer_ids,
)
from .declaration_rules import WEEKLY_HOURS_MAXIMUM  # Code du travail L3121-20
from .participant_models import (  # noqa: F401
    EligibilityCriterion,
    Participant,
    ParticipantQuerySet,
    PersonalDataAccess,
    has_validated_criterion,
)

USER = settings.AUTH_USER_MODEL


class PrivateStorage(FileSystemStorage):
    """Proof files live outside the static and media roots; views serve them after checking access.

    The folder is read from ``PRIVATE_STORAGE_ROOT`` each time, so that tests can point it elsewhere.
    """

    @property
    def base_location(self):
        return str(settings.PRIVATE_STORAGE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL: serve them through a view.")


def private_storage():
    return PrivateStorage()


class ContractType(models.TextChoices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    CDDI = "cddi", "CDDI (contrat à durée déterminée d'insertion)"
    TEMPORARY = "temporary", "Intérim"
    APPRENTICESHIP = "apprenticeship", "Contrat d'apprentissage"
    PROFESSIONALISATION = "professionalisation", "Contrat de professionnalisation"


# Offers and candidacies --------------------------------------------------------------------


class JobOfferQuerySet(models.QuerySet):
    def for_user(self, user):
        if is_administrator(user):
            return self.all()
        condition = Q(pk__in=[])
        if has_role(user, Role.FACILITATOR):
            condition |= Q(lot__contract__operation__facilitation_body__in=facilitation_bodies_of(user))
        if has_role(user, Role.EMPLOYER):
            condition |= Q(employer__in=_employer_ids(user))
        return self.filter(condition)

    def open(self):
        return self.filter(status=JobOffer.Status.OPEN)


class JobOffer(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Ouverte"
        FILLED = "filled", "Pourvue"
        CANCELLED = "cancelled", "Annulée"

    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="job_offers",
        limit_choices_to={"kind__in": ["company", "inclusion_structure"]},
        verbose_name="employeur",
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="job_offers", verbose_name="lot")
    position = models.CharField("poste", max_length=150)
    rome_code = models.CharField("code ROME", max_length=5, blank=True)
    tasks = models.TextField("missions")
    skills = models.TextField("compétences attendues", blank=True)
    contract_type = models.CharField("type de contrat", max_length=20, choices=ContractType.choices)
    positions = models.PositiveSmallIntegerField(
        "nombre de postes", default=1, validators=[MinValueValidator(1, "Au moins un poste.")]
    )
    weekly_hours = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("1"), "Au moins une heure par semaine."),
            MaxValueValidator(WEEKLY_HOURS_MAXIMUM, "Au plus 48 heures par semaine (durée maximale légale)."),
        ],
    )
    start_date = models.DateField("date de début")
    place = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="lieu de travail")
    status = models.CharField("statut", max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = JobOfferQuerySet.as_manager()

    class Meta:
        verbose_name = "offre d'emploi"
        verbose_name_plural = "offres d'emploi"
        ordering = ["-start_date", "position"]

    def __str__(self):
        return f"{self.position} — {self.employer}"


class CandidacyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Facilitators: candidacies of offers they follow; employers: those sent to them."""
        if is_administrator(user):
            return self.all()
        condition = Q(pk__in=[])
        if has_role(user, Role.FACILITATOR):
            condition |= Q(offer__lot__contract__operation__facilitation_body__in=facilitation_bodies_of(user))
        if has_role(user, Role.EMPLOYER):
            condition |= Q(offer__employer__in=_employer_ids(user)) & ~Q(status=Candidacy.Status.PROPOSED)
        return self.filter(condition)


class Candidacy(models.Model):
    """A participant proposed by the facilitator to a job offer, and what became of it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposée"
        SENT = "sent", "Transmise à l'employeur"
        INTERVIEW = "interview", "Entretien"
        HIRED = "hired", "Embauchée"
        REFUSED = "refused", "Refusée"
        WITHDRAWN = "withdrawn", "Retirée"

    class RefusalReason(models.TextChoices):
        PROFILE = "profile", "Profil ne correspondant pas au poste"
        SKILLS = "skills", "Compétences insuffisantes"
        MOBILITY = "mobility", "Mobilité ou horaires incompatibles"
        POSITION_FILLED = "position_filled", "Poste déjà pourvu"
        NO_SHOW = "no_show", "Absence à l'entretien"
        CANDIDATE_DECLINED = "candidate_declined", "Le candidat a décliné"
        OTHER = "other", "Autre motif"

    offer = models.ForeignKey(JobOffer, on_delete=models.CASCADE, related_name="candidacies", verbose_name="offre")
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="candidacies", verbose_name="participant"
    )
    status = models.CharField("statut", max_length=12, choices=Status.choices, default=Status.PROPOSED)
    refusal_reason = models.CharField("motif du refus", max_length=20, choices=RefusalReason.choices, blank=True)
    comment = models.TextField("commentaire", blank=True)
    interview_date = models.DateField("date d'entretien", null=True, blank=True)
    proposed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("proposée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = CandidacyQuerySet.as_manager()

    class Meta:
        verbose_name = "candidature"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["offer", "participant"], name="unique_candidacy")]

    def __str__(self):
        return f"{self.participant} → {self.offer}"


# Placements ----------------------------------------------------------------------------------


class PlacementQuerySet(models.QuerySet):
    def for_user(self, user):
        if is_administrator(user):
            return self.all()
        # Subqueries on the placement's own columns, not joins: no DISTINCT to undo, and PostgreSQL
        # reads the few ids of the user's territory instead of joining every placement to its
        # participant, lot, contract and operation (bench/README.md).
        condition = Q(pk__in=[])
        if has_role(user, Role.FACILITATOR):
            bodies = facilitation_bodies_of(user)
            condition |= Q(participant__in=Participant.objects.filter(facilitation_body__in=bodies).values("pk"))
            condition |= Q(lot__in=Lot.objects.filter(contract__operation__facilitation_body__in=bodies).values("pk"))
        if has_role(user, Role.EMPLOYER):
            condition |= Q(employer__in=_employer_ids(user))
        return self.filter(condition)

    def followed_by(self, user):
        """The placements ``user`` follows, by their ids read once per request (one query): the
        queues and counts that filter on them several times then read a short list of ids instead
        of working the territory out again each time. Administrators follow them all."""
        if is_administrator(user):
            return self.all()
        ids = getattr(user, "_followed_placement_ids", None)
        if ids is None:
            ids = list(Placement.objects.for_user(user).order_by().values_list("pk", flat=True))
            user._followed_placement_ids = ids
        return self.filter(pk__any_of=ids)

    def running(self, on):
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))


class Placement(models.Model):
    """A participant working on a lot for an employer."""

    class Mode(models.TextChoices):
        DIRECT_HIRE = "direct_hire", "Embauche directe par l'entreprise"
        PROVISION = "provision", "Mise à disposition (ETTI, AI, GEIQ)"
        SUBCONTRACTING = "subcontracting", "Sous-traitance ou co-traitance (SIAE, EA, ESAT)"
        TRAINING = "training", "Formation"

    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="placements", verbose_name="participant"
    )
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="placements", verbose_name="lot")
    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="placements",
        limit_choices_to={"kind__in": ["company", "inclusion_structure"]},
        verbose_name="employeur",
    )
    candidacy = models.OneToOneField(
        Candidacy, on_delete=models.SET_NULL, null=True, blank=True, related_name="placement"
    )
    mode = models.CharField("mode de réalisation", max_length=20, choices=Mode.choices)
    contract_type = models.CharField("type de contrat", max_length=20, choices=ContractType.choices)
    start_date = models.DateField("début")
    end_date = models.DateField("fin", null=True, blank=True)
    weekly_hours = models.DecimalField(
        "heures par semaine",
        max_digits=4,
        decimal_places=1,
        validators=[
            MinValueValidator(Decimal("1"), "Au moins une heure par semaine."),
            MaxValueValidator(WEEKLY_HOURS_MAXIMUM, "Au plus 48 heures par semaine (durée maximale légale)."),
        ],
    )
    contract_signed = models.BooleanField("contrat de travail signé", default=False)
    eligibility_proof_filed = models.BooleanField("justificatif d'éligibilité classé", default=False)
    start_confirmed = models.BooleanField("prise de poste confirmée", default=False)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "mise à l'emploi"
        verbose_name_plural = "mises à l'emploi"
        ordering = ["-start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="placement_dates_in_order",
            )
        ]

    def __str__(self):
        return f"{self.participant} — {self.lot}"


class FollowUp(models.Model):
    class Kind(models.TextChoices):
        START = "start", "Prise de poste"
        ONE_MONTH = "one_month", "Point à un mois"
        END = "end", "Fin de mission"
        OTHER = "other", "Autre contact"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    kind = models.CharField("type", max_length=12, choices=Kind.choices)
    due_date = models.DateField("prévu le")
    done_on = models.DateField("réalisé le", null=True, blank=True)
    notes = models.TextField("notes", blank=True)
    done_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "suivi"
        ordering = ["due_date"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.placement}"


class Outcome(models.Model):
    """The situation of a person at the end of a placement, then 6 (and 12) months later."""

    class Moment(models.TextChoices):
        EXIT = "exit", "À la sortie"
        SIX_MONTHS = "six_months", "À 6 mois"
        TWELVE_MONTHS = "twelve_months", "À 12 mois"

    class RsaStatus(models.TextChoices):
        RECEIVING = "receiving", "Toujours au RSA"
        LEFT = "left", "Sorti(e) du RSA"
        NOT_CONCERNED = "not_concerned", "Non concerné(e)"
        UNKNOWN = "unknown", "Inconnu"

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="outcomes")
    moment = models.CharField("moment", max_length=14, choices=Moment.choices)
    due_date = models.DateField("à recueillir le")
    recorded_on = models.DateField("recueillie le", null=True, blank=True)
    situation = models.CharField("situation", max_length=20, choices=outcomes.SITUATION_CHOICES, blank=True)
    rsa_status = models.CharField("RSA à cette date", max_length=14, choices=RsaStatus.choices, blank=True)
    notes = models.TextField("notes", blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "sortie"
        ordering = ["due_date"]
        constraints = [models.UniqueConstraint(fields=["placement", "moment"], name="unique_outcome_moment")]

    def __str__(self):
        return f"{self.get_moment_display()} — {self.placement}"

    @property
    def group(self):
        return outcomes.group_of(self.situation) if self.situation else ""

    @property
    def is_dynamic(self):
        return bool(self.situation) and outcomes.is_dynamic(self.situation)


# Monthly hours declarations ------------------------------------------------------------------


def proof_upload_path(instance, filename):
    return f"proofs/{instance.declaration.employer_id}/{instance.declaration.month:%Y-%m}/{filename}"


class DeclarationProof(models.Model):
    """A payslip, an agency statement or a structure report, stored privately."""

    declaration = models.ForeignKey(MonthlyDeclaration, on_delete=models.CASCADE, related_name="proofs")
    file = models.FileField("fichier", upload_to=proof_upload_path, storage=private_storage)
    original_name = models.CharField("nom du fichier", max_length=200)
    content_type = models.CharField("type", max_length=100)
    size = models.PositiveIntegerField("taille (octets)")
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField("déposé le", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "justificatif"
        ordering = ["-uploaded_at"]

    def __str__(self):
        return self.original_name


# Personal data -------------------------------------------------------------------------------
