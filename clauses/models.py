"""Operations, contracts, lots, their insertion clauses and the hours they require."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    DateField,
    DecimalField,
    F,
    Func,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Round
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.utils import timezone
from simple_history.models import HistoricalRecords

from partners.models import Commune, Organisation
from partners.permissions import has_role, is_administrator
from partners.roles import Role

from . import hours
from .counting_rule import counted_lines

PERCENT_VALIDATORS = [
    MinValueValidator(Decimal(0), "Un pourcentage ne peut pas être négatif."),
    MaxValueValidator(Decimal(100), "Un pourcentage ne peut pas dépasser 100 %%."),
]
POSITIVE_MONEY = [MinValueValidator(Decimal(0), "Le montant ne peut pas être négatif.")]


def today():
    return timezone.localdate()


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


# Access ------------------------------------------------------------------------------------


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
        due = _invoiced(InvoicedAmount.objects.dated_between(last=day))
        return lots.annotate(
            invoiced_total=due if on else _invoiced(InvoicedAmount.objects.all()),
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
        return self.with_required_data(clause_texts, on=on).annotate(validated_hours=_validated_hours(on))

    def behind_schedule(self, on=None):
        """Lots whose validated hours are below the hours expected by ``on`` (default: today), in
        the database: the same rule as ``Lot.progress(on).status == hours.BEHIND`` (see
        ``_behind_on``). The queryset comes back without annotations, ready to be read as wanted."""
        on = on or today()
        return self.filter(start_date__lte=on, clause__isnull=False).filter(_behind_on(on))

    def fell_behind_between(self, start, end):
        """Lots behind schedule on ``end`` that were not behind on ``start`` (the week's new ones:
        ``start`` = ``end`` − 7 days). A lot not started on ``start`` was not behind then."""
        behind = self.behind_schedule(end)
        return behind.exclude(pk__in=behind.behind_schedule(start).values("pk"))


def _hours_field():
    return DecimalField(max_digits=12, decimal_places=2)


def _money_field():
    return DecimalField(max_digits=14, decimal_places=2)


def _validated_hours(on=None):
    """The lot's validated hours inside each person's counting window, from the placements app's
    declarations (by relation name: clauses does not import placements); ``on``: the months up to
    that day only."""
    validated = counted_lines("placements__declaration_lines__")
    if on is not None:
        validated &= Q(placements__declaration_lines__declaration__month__lte=on)
    # A correlated subquery rather than a join and GROUP BY over every selected column: each
    # lot sums its own lines through the indexes, whatever else the page selects.
    validated_total = (
        Lot.objects.filter(pk=OuterRef("pk"))
        .annotate(total=Sum("placements__declaration_lines__hours", filter=validated))
        .values("total")
    )
    return Coalesce(Subquery(validated_total, output_field=_hours_field()), Decimal(0), output_field=_hours_field())


def _invoiced(amounts):
    """The total of ``amounts`` (invoiced amounts) of the lot, 0 without any."""
    total = amounts.filter(lot=OuterRef("pk")).order_by().values("lot").annotate(total=Sum("amount"))
    return Coalesce(
        Subquery(total.values("total"), output_field=_money_field()), Decimal(0), output_field=_money_field()
    )


class DaysBetween(Func):
    """Whole days from ``start`` to ``end`` (dates): ``end - start`` on PostgreSQL, from the Julian
    day numbers on SQLite (a date's is always x.5 there, so the difference is exact)."""

    output_field = BigIntegerField()
    arity = 2

    def _sides(self, compiler):
        end, start = self.get_source_expressions()
        end_sql, end_params = compiler.compile(end)
        start_sql, start_params = compiler.compile(start)
        return end_sql, start_sql, (*end_params, *start_params)

    def as_sql(self, compiler, connection, **extra_context):
        end_sql, start_sql, params = self._sides(compiler)
        return f"(CAST({end_sql} AS date) - CAST({start_sql} AS date))", params

    def as_sqlite(self, compiler, connection, **extra_context):
        end_sql, start_sql, params = self._sides(compiler)
        return f"CAST(julianday({end_sql}) - julianday({start_sql}) AS INTEGER)", params


def _whole(expression):
    """An exact integer in SQL (a sum of decimals is a float on SQLite: rounding it to the
    integer gives back the exact value, the numbers here being integers by construction)."""
    return Cast(Round(expression), BigIntegerField())


def _behind_on(on):
    """ "Validated hours < hours expected by ``on``" for a started lot with a clause, as a condition
    on the lot's row; exactly ``hours.lot_progress`` with ``Lot.hours_expected`` (tested lot by lot
    against it), in integer arithmetic so that it is exact on SQLite (floats) and PostgreSQL:

    - done: the validated hours counted up to ``on``, to the hundredth: ``n`` = done × 100;
    - hours per euro invoiced (``Clause.grows_with_invoices``): expected = required = the whole hours
      of the amounts invoiced by ``on`` = ⌊D ÷ E⌋ with D and E the amount and the euros per hour in
      cents: behind ⟺ n < 100 × ⌊D ÷ E⌋ (integer division of positive integers on both);
    - otherwise required R (contractual hours, else computed: whole hours) pro rata of the days
      elapsed d out of the lot's T days, rounded half up to the hundredth (``hours.expected_hours``):
      done < round(R × d ÷ T, 2) ⟺ n + ½ ≤ 100 × R × d ÷ T ⟺ (2n + 1) × T ≤ 200 × R × d; all of it
      once the lot has ended (share 1: n < 100 × R), so T > 0 where it divides.

    "Done" (required hours reached) never meets "behind": behind means below the expected hours,
    which never exceed the required ones. Lots not started and lots without a clause are left out
    by ``behind_schedule``."""
    done = _whole(_validated_hours(on) * 100)
    growing = Q(clause__method=Clause.Method.PER_EURO_INVOICED, clause__euros_per_hour__gt=0)
    invoiced = _whole(_invoiced(InvoicedAmount.objects.dated_between(last=on)) * 100)
    euros_per_hour = _whole(F("clause__euros_per_hour") * 100)
    required = _whole(Coalesce("clause__contractual_hours", "clause__computed_hours"))
    day = Value(on, output_field=DateField())
    return Case(
        When(growing, then=LessThan(done, (invoiced / euros_per_hour) * 100)),
        When(end_date__lte=on, then=LessThan(done, required * 100)),
        default=LessThanOrEqual(
            (done * 2 + 1) * DaysBetween(F("end_date"), F("start_date")),
            required * 200 * DaysBetween(day, F("start_date")),
        ),
        output_field=BooleanField(),
    )


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

    lot = models.OneToOneField(Lot, on_delete=models.CASCADE, related_name="clause", verbose_name="lot")
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
