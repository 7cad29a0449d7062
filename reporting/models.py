"""Reports built on request: a row first (queued → running → done or failed), then a Celery task
fills it with a PDF (design.md, Jobs)."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify

from clauses.models import Contract, facilitation_bodies_of
from partners.permissions import has_role, is_administrator
from partners.roles import Role
from placements.models import private_storage

from . import scope as scopes
from .permissions import buyers_of
from .rules import Period


def report_upload_path(report, filename):
    return f"reports/{report.created_at:%Y/%m}/{filename}"


class ReportQuerySet(models.QuerySet):
    def for_user(self, user):
        """Reports the user may see: all for administrators and department readers; for
        facilitators those they asked for and those about their facilitation body; for buyers the
        buyer reports about their organisation or one of its contracts; none for anyone else."""
        if not user.is_authenticated:
            return self.none()
        if is_administrator(user) or has_role(user, Role.DEPARTMENT_READER):
            return self.all()
        condition = Q(pk__in=[])
        if has_role(user, Role.FACILITATOR):
            condition |= Q(created_by=user.pk) | Q(
                scope_kind=scopes.FACILITATION_BODY, scope_id__in=facilitation_bodies_of(user)
            )
        if has_role(user, Role.BUYER):
            buyers = buyers_of(user)
            contracts = Contract.objects.filter(operation__buyer__in=buyers).values("pk")
            condition |= Q(kind=Report.Kind.BUYER) & (
                Q(scope_kind=scopes.BUYER, scope_id__in=buyers) | Q(scope_kind=scopes.CONTRACT, scope_id__in=contracts)
            )
        return self.filter(condition)


class Report(models.Model):
    class Kind(models.TextChoices):
        IMPACT = "impact", "Bilan d'impact pour le Département"
        BUYER = "buyer", "Bilan de clause pour un donneur d'ordre"
        COMPLIANCE = "compliance", "Bilan annuel PNAD et SPASER"

    class Status(models.TextChoices):
        QUEUED = "queued", "En attente"
        RUNNING = "running", "En cours"
        DONE = "done", "Prêt"
        FAILED = "failed", "Échec"

    kind = models.CharField("type de bilan", max_length=10, choices=Kind.choices, default=Kind.IMPACT)
    period_start = models.DateField("début de la période")
    period_end = models.DateField("fin de la période")
    scope_kind = models.CharField(
        "périmètre", max_length=20, choices=list(scopes.KIND_LABELS.items()), default=scopes.ALL
    )
    scope_id = models.PositiveIntegerField("identifiant de l'élément du périmètre", null=True, blank=True)
    scope_label = models.CharField("libellé du périmètre", max_length=400, blank=True)
    status = models.CharField("état", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("avancement (%)", default=0, validators=[MaxValueValidator(100)])
    error = models.TextField("erreur", blank=True)
    file = models.FileField("fichier", upload_to=report_upload_path, storage=private_storage, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name="demandé par",
    )
    created_at = models.DateTimeField("demandé le", auto_now_add=True)
    started_at = models.DateTimeField("commencé le", null=True, blank=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = "bilan"
        verbose_name_plural = "bilans"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.scope_label or self.get_scope_kind_display()} — {self.period.label}"

    @property
    def period(self):
        return Period(self.period_start, self.period_end)

    @property
    def scope(self):
        """The scope, reloaded from the database (ScopeError when its element is gone)."""
        return scopes.Scope.load(self.scope_kind, self.scope_id)

    @property
    def is_pending(self):
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_done(self):
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def is_failed(self):
        return self.status == self.Status.FAILED

    @property
    def filename(self):
        """bilan-impact-2026.pdf, bilan-clause-commune-de-trevoux-2026.pdf…"""
        period = self.period
        if period.start.month == 1 and period.start.day == 1 and period.end == period.start.replace(month=12, day=31):
            when = str(period.start.year)
        else:
            when = f"{period.start:%Y-%m-%d}-au-{period.end:%Y-%m-%d}"
        if self.kind == self.Kind.BUYER:
            name = slugify(self.scope_label.split(":", 1)[-1])[:60].strip("-")
            return f"bilan-clause-{name}-{when}.pdf" if name else f"bilan-clause-{when}.pdf"
        if self.kind == self.Kind.COMPLIANCE:
            return f"bilan-pnad-spaser-{when}.pdf"
        return f"bilan-impact-{when}.pdf"
