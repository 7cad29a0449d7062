"""What a facilitation body follows (coverage rules) and the awareness-raising actions it leads,
with their audiences. Organisations and users are named by label (``partners.models`` imports this
module)."""

from django.conf import settings
from django.db import models

from .territory_models import Epci, Sector


class CoverageRuleQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)

    def with_territories(self):
        return self.select_related("facilitation_body").prefetch_related("epcis", "sectors__epcis", "sectors__communes")


class CoverageRule(models.Model):
    """Which contracts a facilitation body follows: where (EPCI, sectors or all Ain) and for which buyers."""

    facilitation_body = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.CASCADE,
        related_name="coverage_rules",
        limit_choices_to={"kind__in": ["department", "facilitation_body"]},
        verbose_name="structure d'animation",
    )
    whole_department = models.BooleanField("tout l'Ain", default=False)
    epcis = models.ManyToManyField(Epci, blank=True, related_name="coverage_rules", verbose_name="EPCI")
    sectors = models.ManyToManyField(
        Sector, blank=True, related_name="coverage_rules", verbose_name="secteurs départementaux"
    )
    buyer_kinds = models.JSONField(
        "types de donneurs d'ordre",
        default=list,
        blank=True,
        help_text="Laisser vide pour tous les donneurs d'ordre.",
    )
    engineering_agency_members_only = models.BooleanField(
        "seulement les adhérents de l'Agence d'Ingénierie 01", default=False
    )
    is_active = models.BooleanField("active", default=True)
    notes = models.TextField("notes", blank=True)

    objects = CoverageRuleQuerySet.as_manager()

    class Meta:
        verbose_name = "règle de couverture"
        verbose_name_plural = "règles de couverture"
        ordering = ["facilitation_body__name", "pk"]

    def __str__(self):
        return f"{self.facilitation_body} — {self.scope_label}"

    @property
    def buyer_kinds_labels(self):
        organisation = self._meta.get_field("facilitation_body").related_model
        labels = dict(organisation.BuyerKind.choices)
        return [labels.get(kind, kind) for kind in self.buyer_kinds]

    @property
    def territory_label(self):
        """Where the rule applies, in words (uses prefetched EPCI and sectors when present)."""
        if self.whole_department:
            return "Tout l'Ain"
        parts = [epci.name for epci in self.epcis.all()]
        parts += [f"secteur {sector.name}" for sector in self.sectors.all()]
        return ", ".join(parts) or "Aucun territoire"

    @property
    def scope_label(self):
        buyers = ", ".join(self.buyer_kinds_labels) if self.buyer_kinds else "tous les donneurs d'ordre"
        if self.engineering_agency_members_only:
            buyers += " adhérents de l'Agence d'Ingénierie 01"
        return buyers


class Audience(models.Model):
    """An audience of awareness-raising actions (public buyers, companies, IAE actors…)."""

    code = models.SlugField("code", max_length=40, unique=True)
    label = models.CharField("libellé", max_length=100)
    position = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "public visé"
        verbose_name_plural = "publics visés"
        ordering = ["position", "label"]

    def __str__(self):
        return self.label


class AwarenessActionQuerySet(models.QuerySet):
    def between(self, start=None, end=None):
        queryset = self
        if start:
            queryset = queryset.filter(date__gte=start)
        if end:
            queryset = queryset.filter(date__lte=end)
        return queryset


class AwarenessAction(models.Model):
    """An awareness-raising or partnership action led by a facilitator."""

    class Kind(models.TextChoices):
        INFORMATION_MEETING = "information_meeting", "Réunion d'information"
        TRAINING = "training", "Formation"
        FORUM = "forum", "Forum"
        SITE_VISIT = "site_visit", "Visite de chantier"
        STEERING_COMMITTEE = "steering_committee", "Comité de pilotage"
        PARTNERS_MEETING = "partners_meeting", "Réunion de partenaires"

    date = models.DateField("date")
    kind = models.CharField("type d'action", max_length=30, choices=Kind.choices)
    title = models.CharField("intitulé", max_length=200)
    audiences = models.ManyToManyField(Audience, related_name="actions", verbose_name="publics visés")
    people_reached = models.PositiveIntegerField("personnes touchées")
    epci = models.ForeignKey(
        Epci, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="EPCI"
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="secteur"
    )
    organisations = models.ManyToManyField(
        "partners.Organisation", blank=True, related_name="awareness_actions", verbose_name="organisations associées"
    )
    notes = models.TextField("notes", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="saisie par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = AwarenessActionQuerySet.as_manager()

    class Meta:
        verbose_name = "action de sensibilisation"
        verbose_name_plural = "actions de sensibilisation"
        ordering = ["-date", "-pk"]

    def __str__(self):
        return f"{self.title} ({self.date:%d/%m/%Y})"

    @property
    def territory_label(self):
        if self.epci_id:
            return str(self.epci)
        if self.sector_id:
            return str(self.sector)
        return "Tout l'Ain"
