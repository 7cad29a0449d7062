"""The monthly declarations of hours: a declaration per employer and month, its lines (one per
placement and version) and the counting rules."""

from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from clauses import counting_rule
from clauses.counting_rule import counted_lines
from clauses.models import organisations_with_role
from partners.models import Organisation
from partners.permissions import has_role, is_administrator
from partners.roles import Role

USER = settings.AUTH_USER_MODEL


def _employer_ids(user):
    return organisations_with_role(user, Role.EMPLOYER)


class DeclarationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Employers: their organisation's declarations; facilitators: those with a placement their
        body follows (by the participant or the operation); administrators: all."""
        if is_administrator(user):
            return self.all()
        condition = Q(pk__in=[])
        if has_role(user, Role.EMPLOYER):
            condition |= Q(employer__in=_employer_ids(user))
        if has_role(user, Role.FACILITATOR):
            followed = apps.get_model("placements", "Placement").objects.for_user(user).values("pk")
            condition |= Q(pk__in=DeclarationLine.objects.filter(placement__in=followed).values("declaration"))
        return self.filter(condition)

    def to_correct_followed_by(self, user):
        """Declarations sent back for correction that hold a line of a placement ``user`` follows
        (all of them for administrators). They are few: their ids first, then the followed lines
        among theirs only (index on the declaration), not every followed line."""
        to_correct = self.filter(status=MonthlyDeclaration.Status.TO_CORRECT)
        if is_administrator(user):
            return to_correct
        ids = list(to_correct.values_list("pk", flat=True))
        followed = DeclarationLine.objects.filter(
            declaration__any_of=ids, placement__in=apps.get_model("placements", "Placement").objects.followed_by(user)
        ).values("declaration")
        return self.filter(pk__in=followed)


class MonthlyDeclaration(models.Model):
    """The hours an employer declares for one month, one line per placement."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        SUBMITTED = "submitted", "Transmise, à valider"
        TO_CORRECT = "to_correct", "À corriger"
        VALIDATED = "validated", "Validée"

    employer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="declarations",
        limit_choices_to={"kind__in": ["company", "inclusion_structure"]},
        verbose_name="employeur",
    )
    month = models.DateField("mois", help_text="Premier jour du mois déclaré.")
    status = models.CharField("état", max_length=12, choices=Status.choices, default=Status.DRAFT)
    revision = models.PositiveIntegerField("révision", default=0, help_text="Augmente à chaque enregistrement.")
    submitted_at = models.DateTimeField("transmise le", null=True, blank=True)
    submitted_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = DeclarationQuerySet.as_manager()

    class Meta:
        verbose_name = "déclaration mensuelle"
        verbose_name_plural = "déclarations mensuelles"
        ordering = ["-month", "employer__name"]
        constraints = [
            models.UniqueConstraint(fields=["employer", "month"], name="unique_declaration_month"),
            models.CheckConstraint(condition=Q(month__day=1), name="declaration_month_first_day"),
        ]
        # The month's declarations of every employer (missing declarations, reminders): the
        # unique constraint above leads with the employer and cannot serve them.
        indexes = [models.Index(fields=["month"], name="declaration_month")]

    def __str__(self):
        from common.dates import month_label

        return f"{self.employer} — {month_label(self.month)}"


class CountingRules(models.Model):
    """The rules every line's ``counted`` flag was computed with (one row; ``counting``)."""

    window_months = models.PositiveSmallIntegerField("période de décompte (mois)")
    training_counts = models.BooleanField("heures de formation comptées")
    rule_version = models.PositiveSmallIntegerField("version de la règle")

    class State(models.TextChoices):
        CURRENT = "current", "à jour"
        RECOUNTING = "recounting", "en cours de recalcul"

    state = models.CharField("état", max_length=12, choices=State.choices, default=State.CURRENT)
    started_at = models.DateTimeField("recalcul commencé le", null=True, blank=True)
    recounted_at = models.DateTimeField("recalculé le", null=True, blank=True)

    class Meta:
        verbose_name = "règles de décompte appliquées"
        verbose_name_plural = "règles de décompte appliquées"

    def __str__(self):
        return f"{self.window_months} mois, formation {'comptée' if self.training_counts else 'non comptée'}"


class DeclarationLineQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_current=True)

    def validated(self):
        return self.filter(is_current=True, status=DeclarationLine.Status.VALIDATED)

    def counted(self):
        """Validated hours inside the person's counting window: what counts for the clause
        (``clauses.counting_rule``, the same rule as the lots' validated hours)."""
        return self.filter(counted_lines())


class DeclarationLine(models.Model):
    """Hours of one placement in one month. A correction adds a version and keeps the old one."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Brouillon"
        PENDING = "pending", "À valider"
        VALIDATED = counting_rule.VALIDATED, "Validée"
        REJECTED = "rejected", "Refusée"

    declaration = models.ForeignKey(MonthlyDeclaration, on_delete=models.CASCADE, related_name="lines")
    placement = models.ForeignKey("Placement", on_delete=models.PROTECT, related_name="declaration_lines")
    version = models.PositiveSmallIntegerField("version", default=1)
    is_current = models.BooleanField("version en vigueur", default=True)
    hours = models.DecimalField(
        "heures",
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0), "Les heures ne peuvent pas être négatives.")],
    )
    counted = models.BooleanField("comptées pour la clause", default=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField("commentaire du facilitateur", blank=True)
    reviewed_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField("examinée le", null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("saisie le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = DeclarationLineQuerySet.as_manager()

    class Meta:
        verbose_name = "ligne de déclaration"
        verbose_name_plural = "lignes de déclaration"
        ordering = ["placement__participant__last_name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "placement", "version"], name="unique_line_version"),
            models.UniqueConstraint(
                fields=["declaration", "placement"], condition=Q(is_current=True), name="one_current_line"
            ),
            models.CheckConstraint(condition=Q(hours__gte=0), name="line_hours_not_negative"),
        ]
        # The lines waiting for validation, by placement: the queue and the to-do counts filter on
        # them several times per page; a few hundred among tens of thousands.
        indexes = [
            models.Index(
                fields=["placement"], condition=Q(is_current=True, status="pending"), name="pending_line_placement"
            )
        ]

    def __str__(self):
        return f"{self.placement.participant} — {self.hours} h (v{self.version})"
