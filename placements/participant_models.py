"""Participants, their eligibility criteria (the people a facilitator follows) and the log of who
saw their personal data."""

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from clauses.models import Trade, facilitation_bodies_of
from partners.models import Commune, Organisation
from partners.permissions import has_role, is_administrator
from partners.roles import Role

from . import eligibility

USER = settings.AUTH_USER_MODEL

# Participants --------------------------------------------------------------------------------


class ParticipantQuerySet(models.QuerySet):
    def for_user(self, user):
        """Facilitators see the participants their body follows; administrators all; nobody else
        sees a participant's record (employers see candidates through their candidacies)."""
        if is_administrator(user):
            return self.all()
        if has_role(user, Role.FACILITATOR):
            return self.filter(facilitation_body__in=facilitation_bodies_of(user))
        return self.none()

    def with_running_placement(self, on):
        return self.filter(placements__start_date__lte=on).filter(
            Q(placements__end_date__isnull=True) | Q(placements__end_date__gte=on)
        )

    def available(self, on):
        """Eligible people not in a running placement, and not anonymised: the candidate pool."""
        running = apps.get_model("placements", "Placement").objects.running(on).values("participant")
        return self.filter(criteria__isnull=False, anonymised_at__isnull=True).exclude(pk__in=running).distinct()

    def possible_duplicates_of(self, first_name, last_name, birth_date, exclude_pk=None):
        return self.filter(
            first_name__iexact=first_name.strip(), last_name__iexact=last_name.strip(), birth_date=birth_date
        ).exclude(pk=exclude_pk)


class Participant(models.Model):
    """A person placed, or to be placed, through a clause. Sensitive personal data."""

    class Sex(models.TextChoices):
        FEMALE = "F", "Femme"
        MALE = "M", "Homme"

    class EducationLevel(models.TextChoices):
        NONE = "none", "Sans diplôme"
        CAP_BEP = "cap_bep", "CAP, BEP (niveau 3)"
        BAC = "bac", "Baccalauréat (niveau 4)"
        BAC_2 = "bac_2", "Bac + 2 (niveau 5)"
        BAC_3 = "bac_3_plus", "Bac + 3 et plus (niveaux 6 à 8)"

    class Mobility(models.TextChoices):
        NONE = "none", "Aucun moyen de transport"
        PUBLIC = "public_transport", "Transports en commun"
        LICENCE = "licence", "Permis B sans véhicule"
        VEHICLE = "vehicle", "Permis B et véhicule"

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    birth_date = models.DateField("date de naissance")
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, related_name="participants", verbose_name="commune de résidence"
    )
    address = models.CharField("adresse", max_length=250, blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    education_level = models.CharField("niveau de formation", max_length=20, choices=EducationLevel.choices)
    mobility = models.CharField("mobilité", max_length=20, choices=Mobility.choices, blank=True)
    wished_trades = models.ManyToManyField(Trade, blank=True, related_name="+", verbose_name="métiers souhaités")
    availability = models.CharField("disponibilité", max_length=200, blank=True)
    prescriber = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prescribed_participants",
        limit_choices_to={"kind": "employment_service"},
        verbose_name="prescripteur",
    )
    referent = models.CharField("référent (nom et coordonnées)", max_length=200, blank=True)
    rsa_at_entry = models.BooleanField("bénéficiaire du RSA à l'entrée", default=False)
    data_information_date = models.DateField("informé(e) de l'usage de ses données le")
    facilitation_body = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="followed_participants",
        limit_choices_to={"kind__in": ["department", "facilitation_body"]},
        verbose_name="suivi(e) par",
    )
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    anonymised_at = models.DateTimeField("anonymisé(e) le", null=True, blank=True, editable=False)
    history = HistoricalRecords()

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        verbose_name = "participant"
        ordering = ["last_name", "first_name"]
        indexes = [models.Index(fields=["last_name", "first_name", "birth_date"])]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    def first_clause_placement_start(self):
        """Start of the first placement under a clause (prefetched placements are used)."""
        starts = [p.start_date for p in self.placements.all()]
        return min(starts) if starts else None

    def counting_window(self, months=None):
        months = months or settings.CLAUSIER["COUNTING_WINDOW_MONTHS"]
        return eligibility.counting_window(self.first_clause_placement_start(), months)

    def is_eligible(self):
        """At least one validated criterion (prefetched criteria are used)."""
        return eligibility.is_eligible(criterion.criterion for criterion in self.criteria.all())


class EligibilityCriterion(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="criteria", verbose_name="participant"
    )
    criterion = models.CharField("critère", max_length=20, choices=eligibility.CRITERIA_CHOICES)
    assessed_on = models.DateField("date d'appréciation")
    proof = models.CharField("justificatif vu", max_length=250, blank=True)
    confirming_prescriber = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": "employment_service"},
        verbose_name="prescripteur qui confirme",
    )
    validated_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", verbose_name="validé par")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "critère d'éligibilité"
        verbose_name_plural = "critères d'éligibilité"
        ordering = ["criterion"]
        constraints = [
            models.UniqueConstraint(fields=["participant", "criterion"], name="unique_participant_criterion")
        ]

    def __str__(self):
        return self.get_criterion_display()


def has_validated_criterion(participant="pk"):
    """In SQL, what ``eligibility.is_eligible`` says of the person at ``participant`` (a path from
    the rows annotated): at least one validated criterion."""
    return models.Exists(
        EligibilityCriterion.objects.filter(
            participant=models.OuterRef(participant), criterion__in=list(eligibility.CRITERIA)
        )
    )


class PersonalDataAccess(models.Model):
    """Who saw, exported or erased a person's data, when, and through which address.

    Written by the views (one row per person concerned) and by the anonymisation; never changed.
    ``user`` is empty for the periodic retention job."""

    class Kind(models.TextChoices):
        PAGE = "page", "Fiche du participant"
        PROOF = "proof", "Justificatif d'heures"
        EXPORT = "export", "Export du dossier (droit d'accès)"
        ERASURE = "erasure", "Anonymisation"

    user = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="utilisateur"
    )
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="data_accesses", verbose_name="participant"
    )
    kind = models.CharField("donnée consultée", max_length=10, choices=Kind.choices)
    at = models.DateTimeField("le", default=timezone.now, db_index=True)
    path = models.CharField("adresse", max_length=300, blank=True)
    reason = models.CharField("motif", max_length=300, blank=True)

    class Meta:
        verbose_name = "accès aux données personnelles"
        verbose_name_plural = "accès aux données personnelles"
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["participant", "at"]), models.Index(fields=["user", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} — participant n° {self.participant_id} — {self.at:%d/%m/%Y %H:%M}"
