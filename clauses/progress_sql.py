"""The lots' progress in SQL: validated hours, invoiced amounts and "behind schedule" as
expressions on a lot's row, for ``LotQuerySet`` (clauses/models.py). The models are passed in
(this module is imported by the models)."""

from decimal import Decimal

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

from .counting_rule import counted_lines


def hours_field():
    return DecimalField(max_digits=12, decimal_places=2)


def money_field():
    return DecimalField(max_digits=14, decimal_places=2)


def validated_hours(lot_model, on=None):
    """The lot's (``lot_model``: ``Lot``) validated hours inside each person's counting window, from
    the placements app's declarations (reached through the relations: clauses does not import
    placements); ``on``: the months up to that day only."""
    placement_model = lot_model._meta.get_field("placements").related_model
    line_model = placement_model._meta.get_field("declaration_lines").related_model
    lines = line_model._base_manager.filter(counted_lines(), placement__lot=OuterRef("pk"))
    if on is not None:
        lines = lines.filter(declaration__month__lte=on)
    # A correlated subquery rather than a join and GROUP BY over every selected column: each
    # lot sums its own lines through the indexes (placements of the lot, lines of a placement),
    # whatever else the page selects; from the lines, not the lot, so that it joins nothing else.
    validated_total = lines.order_by().values("placement__lot").annotate(total=Sum("hours")).values("total")
    return Coalesce(Subquery(validated_total, output_field=hours_field()), Decimal(0), output_field=hours_field())


def invoiced(amounts):
    """The total of ``amounts`` (invoiced amounts) of the lot, 0 without any."""
    total = amounts.filter(lot=OuterRef("pk")).order_by().values("lot").annotate(total=Sum("amount"))
    return Coalesce(Subquery(total.values("total"), output_field=money_field()), Decimal(0), output_field=money_field())


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


def whole(expression):
    """An exact integer in SQL (a sum of decimals is a float on SQLite: rounding it to the
    integer gives back the exact value, the numbers here being integers by construction)."""
    return Cast(Round(expression), BigIntegerField())


def required_whole_hours():
    """A lot's clause's required hours as an exact integer: contractual, else computed (both fields
    hold whole hours)."""
    return whole(Coalesce("clause__contractual_hours", "clause__computed_hours"))


def grows_with_invoices(per_euro_invoiced):
    """``Clause.grows_with_invoices`` as a condition on a lot's row (``per_euro_invoiced``: the method
    of hours per euro invoiced)."""
    return Q(clause__method=per_euro_invoiced, clause__euros_per_hour__gt=0)


def behind_on(lot_model, amounts, per_euro_invoiced, on):
    """ "Validated hours < hours expected by ``on``" for a started lot with a clause, as a condition
    on the lot's row (``amounts``: the invoiced amounts' manager, ``per_euro_invoiced``: the method
    of hours per euro invoiced); exactly ``hours.lot_progress`` with ``Lot.hours_expected`` (tested
    lot by lot against it), in integer arithmetic so that it is exact on SQLite (floats) and PostgreSQL:

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
    done = whole(validated_hours(lot_model, on) * 100)
    growing = grows_with_invoices(per_euro_invoiced)
    invoiced_by = whole(invoiced(amounts.dated_between(last=on)) * 100)
    euros_per_hour = whole(F("clause__euros_per_hour") * 100)
    required = required_whole_hours()
    day = Value(on, output_field=DateField())
    return Case(
        When(growing, then=LessThan(done, (invoiced_by / euros_per_hour) * 100)),
        When(end_date__lte=on, then=LessThan(done, required * 100)),
        default=LessThanOrEqual(
            (done * 2 + 1) * DaysBetween(F("end_date"), F("start_date")),
            required * 200 * DaysBetween(day, F("start_date")),
        ),
        output_field=BooleanField(),
    )
