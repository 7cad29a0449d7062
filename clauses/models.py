"""Operations, contracts, lots, their insertion clauses and the hours they require."""

from decimal import Decimal

from django.db import models
from django.db.models import DateField, F, Q, Sum, Value
from simple_history.models import HistoricalRecords

from common.dates import today
from partners.models import Commune, Organisation
from partners.permissions import has_role, is_administrator
from partners.roles import Role

from . import hours
from .clause_models import Clause, ClauseSheetTemplate
from .progress_sql import behind_on, invoiced, validated_hours
from .reference_models import PERCENT_VALIDATORS, POSITIVE_MONEY, ActivitySector, HoursSettings, Trade

__all__ = [
    "PERCENT_VALIDATORS",
    "POSITIVE_MONEY",
    "ActivitySector",
    "Clause",
    "ClauseSheetTemplate",
    "Contract",
    "HoursSettings",
    "InvoicedAmount",
    "Lot",
    "LotAward",
    "Operation",
    "Trade",
    "facilitation_bodies_of",
    "organisations_with_role",
]


def facilitation_bodies_of(user):
    """Ids of the organisations where the user works as a facilitator."""
    return [m.organisation_id for m in user.memberships.all() if m.is_active and m.role == Role.FACILITATOR]


def organisations_with_role(user, role):
    return [m.organisation_id for m in user.memberships.all() if m.is_active and m.role == role]


class OperationQuerySet(models.QuerySet):
    def for_user(self, user):
        """Operations the user may see: all for administrators and department readers; those
        followed by their facilitation body for facilitators; their own for buyers; those with a
        lot awarded to their organisation for employers."""
        if not user.is_authenticated:
            return self.none()
        if is_administrator(user) or has_role(user, Role.DEPARTMENT_READER):
            return self.all()
        condition = Q(pk__in=[])
        if has_role(user, Role.FACILITATOR):
            condition |= Q(facilitation_body__in=facilitation_bodies_of(user))
        if has_role(user, Role.BUYER):
            condition |= Q(buyer__in=organisations_with_role(user, Role.BUYER))
        if has_role(user, Role.EMPLOYER):
            condition |= Q(contracts__lots__awards__company__in=organisations_with_role(user, Role.EMPLOYER))
        return self.filter(condition).distinct()

    def editable_by(self, user):
        """Operations the user may change: all for administrators, their body's for facilitators."""
        if is_administrator(user):
            return self.all()
        if has_role(user, Role.FACILITATOR):
            return self.filter(facilitation_body__in=facilitation_bodies_of(user))
        return self.none()


class Operation(models.Model):
    """A project of a buyer (a building, a renovation, a service) that gives rise to contracts."""

    buyer = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="operations",
        limit_choices_to={"kind__in": ["department", "contracting_authority"]},
        verbose_name="donneur d'ordre",
    )
    title = models.CharField("intitulé", max_length=250)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="operations", verbose_name="commune")
    project_manager = models.CharField("maître d'œuvre", max_length=200, blank=True)
    start_date = models.DateField("début prévu", null=True, blank=True)
    end_date = models.DateField("fin prévue", null=True, blank=True)
    description = models.TextField("description", blank=True)
    facilitation_body = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="followed_operations",
        limit_choices_to={"kind__in": ["department", "facilitation_body"]},
        verbose_name="suivie par",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)
    history = HistoricalRecords()

    objects = OperationQuerySet.as_manager()

    class Meta:
        verbose_name = "opération"
        ordering = ["-start_date", "title"]

    def __str__(self):
        return self.title


class ContractQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(operation__in=Operation.objects.for_user(user))


class Contract(models.Model):
    class Procedure(models.TextChoices):
        OPEN = "open", "Appel d'offres ouvert"
        RESTRICTED = "restricted", "Appel d'offres restreint"
        ADAPTED = "adapted", "Procédure adaptée (MAPA)"
        NEGOTIATED = "negotiated", "Procédure avec négociation"
        COMPETITIVE_DIALOGUE = "competitive_dialogue", "Dialogue compétitif"
        OTHER = "other", "Autre"

    operation = models.ForeignKey(
        Operation, on_delete=models.CASCADE, related_name="contracts", verbose_name="opération"
    )
    reference = models.CharField("référence", max_length=60)
    title = models.CharField("objet", max_length=250)
    procedure = models.CharField("procédure", max_length=30, choices=Procedure.choices, default=Procedure.ADAPTED)
    is_purchase_order_framework = models.BooleanField("accord-cadre à bons de commande", default=False)
    notification_date = models.DateField("notification", null=True, blank=True)
    start_date = models.DateField("début d'exécution")
    end_date = models.DateField("fin d'exécution")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        verbose_name = "marché"
        ordering = ["-start_date", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["operation", "reference"], name="unique_contract_reference"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="contract_dates_in_order"),
        ]

    def __str__(self):
        return f"{self.reference} — {self.title}"


class LotQuerySet(models.QuerySet):
    def for_user(self, user):
        """Lots the user may see; employers see only the lots awarded to their organisation."""
        lots = self.filter(contract__operation__in=Operation.objects.for_user(user))
        if has_role(user, Role.EMPLOYER) and not (
            is_administrator(user) or has_role(user, Role.FACILITATOR, Role.DEPARTMENT_READER, Role.BUYER)
        ):
            lots = lots.filter(awards__company__in=organisations_with_role(user, Role.EMPLOYER)).distinct()
        return lots

    def with_required_data(self, clause_texts=True, on=None):
        """What the required hours need, in the same query: the clause and the amounts invoiced.
        ``clause_texts=False`` leaves out the clause's long texts, for pages that only count.

        Hours per euro invoiced: ``invoiced_total`` is every amount entered (what is required) and
        ``invoiced_due`` the amounts invoiced by ``invoiced_due_on`` (today), what is expected by
        then. ``on``: the lot as it stood on that day, with only the amounts invoiced by then."""
        day = on or today()

        lots = self.select_related("clause")
        if not clause_texts:
            lots = lots.defer("clause__model_text", "clause__adjustment_reason")
        due = invoiced(InvoicedAmount.objects.dated_between(last=day))
        return lots.annotate(
            invoiced_total=due if on else invoiced(InvoicedAmount.objects.all()),
            invoiced_due=F("invoiced_total") if on else due,
            invoiced_due_on=Value(day, output_field=DateField()),
        )

    def with_progress_data(self, on=None):
        """Everything the progress needs, in the same query: hours required and done; with the
        operation and buyer that lists show beside it. ``on``: as the lot stood on that day."""
        return self.with_progress_figures(clause_texts=True, on=on).select_related("contract__operation__buyer")

    def with_progress_figures(self, clause_texts=False, on=None):
        """Hours required and done only, without related objects: for pages that go over many lots.

        ``on``: the lot as it stood on that day, to judge it then: the hours validated for the months
        up to that day, the amounts invoiced by then (default: everything entered)."""
        return self.with_required_data(clause_texts, on=on).annotate(validated_hours=validated_hours(self.model, on))

    def behind_schedule(self, on=None):
        """Lots whose validated hours are below the hours expected by ``on`` (default: today), in
        the database: the same rule as ``Lot.progress(on).status == hours.BEHIND`` (see
        ``progress_sql.behind_on``). The queryset comes back without annotations, ready to be read as wanted."""
        on = on or today()
        return self.filter(start_date__lte=on, clause__isnull=False).filter(
            behind_on(self.model, InvoicedAmount.objects, Clause.Method.PER_EURO_INVOICED, on)
        )

    def fell_behind_between(self, start, end):
        """Lots behind schedule on ``end`` that were not behind on ``start`` (the week's new ones:
        ``start`` = ``end`` − 7 days). A lot not started on ``start`` was not behind then."""
        behind = self.behind_schedule(end)
        return behind.exclude(pk__in=behind.behind_schedule(start).values("pk"))


class Lot(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="lots", verbose_name="marché")
    number = models.CharField("numéro", max_length=10)
    title = models.CharField("intitulé", max_length=250)
    trade = models.ForeignKey(
        Trade, on_delete=models.PROTECT, null=True, blank=True, related_name="lots", verbose_name="corps d'état"
    )
    sector = models.CharField("secteur", max_length=20, choices=ActivitySector.choices)
    amount_excl_tax = models.DecimalField("montant HT (€)", max_digits=14, decimal_places=2, validators=POSITIVE_MONEY)
    start_date = models.DateField("début")
    end_date = models.DateField("fin")
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True)
    history = HistoricalRecords()

    objects = LotQuerySet.as_manager()

    class Meta:
        verbose_name = "lot"
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="unique_lot_number"),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="lot_dates_in_order"),
            models.CheckConstraint(condition=Q(amount_excl_tax__gte=0), name="lot_amount_not_negative"),
        ]

    def __str__(self):
        return f"Lot {self.number} — {self.title}"

    @property
    def hours_done(self):
        """Validated hours on the lot; the Portal issue fills them (see ``validated_hours``)."""
        return getattr(self, "validated_hours", None) or Decimal(0)

    @property
    def hours_required(self):
        clause = getattr(self, "clause", None)
        if clause is None:
            return Decimal(0)
        invoiced = getattr(self, "invoiced_total", None)
        return clause.required_hours(invoiced_total=invoiced)

    @property
    def grows_with_invoices(self):
        clause = getattr(self, "clause", None)
        return clause is not None and clause.grows_with_invoices

    def invoiced_by(self, day):
        """The amount invoiced by ``day`` (invoicing date), as read with the lot when it was read
        for that day (``LotQuerySet.with_required_data``), else from the database."""
        if getattr(self, "invoiced_due_on", None) == day:
            return self.invoiced_due
        return self.invoiced_amounts.dated_between(last=day).aggregate(total=Sum("amount"))["total"] or Decimal(0)

    def hours_expected(self, on):
        """Hours expected by ``on``: for hours per euro invoiced, the hours of the amounts invoiced
        by then (the obligation grows with each purchase order, it is not spread over the lot);
        otherwise the required hours pro rata of the lot's elapsed duration."""
        if self.grows_with_invoices:
            return self.clause.required_hours(invoiced_total=self.invoiced_by(on))
        return hours.expected_hours(self.hours_required, self.start_date, self.end_date, on)

    def progress(self, on=None):
        on = on or today()
        return hours.lot_progress(
            self.hours_required, self.hours_done, self.start_date, self.end_date, on, expected=self.hours_expected(on)
        )


class LotAward(models.Model):
    """A company or structure awarded a lot, with its role."""

    class Role(models.TextChoices):
        HOLDER = "holder", "Titulaire"
        CO_CONTRACTOR = "co_contractor", "Co-traitant"
        SUBCONTRACTOR = "subcontractor", "Sous-traitant"

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="awards", verbose_name="lot")
    company = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="lot_awards",
        limit_choices_to={"kind__in": ["company", "inclusion_structure"]},
        verbose_name="entreprise",
    )
    role = models.CharField("rôle", max_length=20, choices=Role.choices, default=Role.HOLDER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "attribution"
        ordering = ["role", "company__name"]
        constraints = [models.UniqueConstraint(fields=["lot", "company"], name="unique_lot_award")]

    def __str__(self):
        return f"{self.company} ({self.get_role_display()}) — {self.lot}"


class InvoicedAmountQuerySet(models.QuerySet):
    def dated_between(self, first=None, last=None):
        """Amounts whose invoicing date is from ``first`` to ``last`` (both included; None: no bound)."""
        amounts = self
        if first is not None:
            amounts = amounts.filter(**{f"{InvoicedAmount.INVOICING_DATE}__gte": first})
        if last is not None:
            amounts = amounts.filter(**{f"{InvoicedAmount.INVOICING_DATE}__lte": last})
        return amounts


class InvoicedAmount(models.Model):
    """Amount invoiced on a purchase-order lot for a period: the obligation grows with it, on the
    day it is invoiced (``INVOICING_DATE``: the last day of its period)."""

    INVOICING_DATE = "period_end"

    lot = models.ForeignKey(Lot, on_delete=models.CASCADE, related_name="invoiced_amounts", verbose_name="lot")
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    amount = models.DecimalField("montant HT facturé (€)", max_digits=14, decimal_places=2, validators=POSITIVE_MONEY)
    created_at = models.DateTimeField("saisi le", auto_now_add=True)

    objects = InvoicedAmountQuerySet.as_manager()

    class Meta:
        verbose_name = "montant facturé"
        verbose_name_plural = "montants facturés"
        ordering = ["period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="invoice_period_in_order"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="invoice_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.amount} € du {self.period_start:%d/%m/%Y} au {self.period_end:%d/%m/%Y}"

    @property
    def invoiced_on(self):
        return getattr(self, self.INVOICING_DATE)
