"""Every figure of the dashboards, exports and reports, for a period and a scope.

``compute(period, scope, lots=None, on=None)`` reads the database in a fixed number of queries
(whatever the number of lots, people or hours) and returns an ``Indicators`` object. The
dashboards, the exports and the PDF reports all read it, so a figure is computed in one place.

Definitions (domain.md, "What the Département and the national network count"):
- lots of the period: lots of the scope whose dates touch the period; lots with a clause apart;
- hours required in the period: each lot's required hours pro rata of its days in the period,
  but for hours per euro invoiced, the hours of its amounts invoiced in the period (by invoicing
  date: a later purchase order never moves a closed period); expected: the same up to ``on``;
  validated: current validated hours that count for the clause (inside the person's counting
  window), declared for a month of the period;
- lots behind schedule: lots with a clause judged on ``behind_on`` (``rules.behind_judged_on``:
  the period's last day once it is over, else ``on``), as they stood on that day;
- participants: people with a placement on a lot of the scope that touches the period; their age
  is their age at the start of their first placement under a clause; "new" when that first
  placement starts in the period;
- outcomes: those due in the period and recorded, at exit and at 6 months, on the lots of the
  scope whatever their dates (a 6-month outcome is often due after its lot ended); the RSA exits
  are those of the RSA beneficiaries among them;
- reserved contracts: lots of the period whose clause is a reservation for SIAE or EA/ESAT;
- the Département's spending with EA and ESAT: lots of the period bought by the Département and
  awarded (holder or co-contractor) to an EA, an EATT or an ESAT, at their amount excluding tax.
No person's identity leaves this module: only counts and sums.
"""

from datetime import date

from django.db.models import Count, F, Q, Sum

from clauses import hours as clause_hours
from clauses.models import Lot
from common.dates import today
from placements.models import DeclarationLine

from . import required_sql, rules
from .indicator_figures import (  # noqa: F401 (the figures are reached as indicators.HoursRow…)
    ACTIVITY_LABELS,
    BUYER_KIND_LABELS,
    DISABILITY_CRITERIA,
    DISABILITY_STRUCTURES,
    KIND_LABELS,
    ZERO,
    CountRow,
    HoursRow,
    Indicators,
    OutcomeFigures,
    Profile,
    RsaFigures,
)
from .indicator_fill import _action_figures, _fill
from .indicator_reads import (  # noqa: F401 (with_places is reached as indicators.with_places)
    LOT_COLUMNS,
    _actions,
    _expected_in,
    _hours_in,
    _invoices,
    _lots_of_period,
    _read,
    _set_invoices,
    with_places,
)
from .scope import Scope


def compute(period, scope=None, lots=None, on=None, loaded=None):
    """All the figures for ``period`` and ``scope``, among ``lots`` (the user's visible lots).

    ``loaded``: those lots already read through ``with_places`` (all of Ain only), so that a page
    that shows them too reads them once."""
    scope = scope or Scope()
    on = on or today()
    if loaded is not None and scope.kind != "all":
        raise ValueError("Lots read beforehand are for the whole scope only.")
    result = Indicators(period=period, scope=scope, on=on, behind_on=rules.behind_judged_on(period, on))
    scope_lots = scope.lots(lots)
    lot_list = _lots_of_period(scope_lots, period, on, loaded)
    data = _read(lot_list, scope_lots, period, result.behind_on)
    _fill(result, lot_list, data)
    _action_figures(result, _actions(scope, period))
    return result


TOTAL = "total"


def compute_by(period, group, lots=None, on=None, keys=()):
    """``compute`` for each group of lots at once, in the queries of one ``compute``.

    ``group``: the path from a lot to its group's key (``"contract__operation__facilitation_body"``).
    Returns ``{key: Indicators}`` for every key of ``keys`` and every key with lots in the period or
    outcomes due in it, and ``TOTAL``: all those lots together (a person counts once there even when
    placed in two groups). Awareness actions are not kept per lot: they stay at zero here."""
    on = on or today()
    lots = Lot.objects.all() if lots is None else lots
    keyed = lots.annotate(group_key=F(group))
    behind_on = rules.behind_judged_on(period, on)
    lot_list = _lots_of_period(keyed, period, on)
    data = _read(lot_list, keyed, period, behind_on, group=group)
    results = {}
    for key in [TOTAL, *dict.fromkeys([*keys, *(lot.group_key for lot in lot_list), *data.outcome_keys()])]:
        result = Indicators(period=period, scope=Scope(), on=on, behind_on=behind_on)
        group_lots = lot_list if key == TOTAL else [lot for lot in lot_list if lot.group_key == key]
        _fill(result, group_lots, data if key == TOTAL else data.of_group(key, {lot.pk for lot in group_lots}))
        _action_figures(result, (0, 0, []))
        results[key] = result
    return results


# Year by year -----------------------------------------------------------------------------


def yearly(years, scope=None, lots=None, on=None):
    """Hours required, expected and validated, and people with validated hours, for each year
    (four queries: the lots counted and the hours of those spread over their days summed by the
    database (``required_sql``), the lots by hours per euro invoiced, their invoices, and the
    hours validated summed by year)."""
    scope = scope or Scope()
    on = on or today()
    whole = rules.Period(date(min(years), 1, 1), date(max(years), 12, 31))
    rows = {year: HoursRow(key=year, label=str(year)) for year in years}
    lots_of_years = scope.lots(lots).filter(start_date__lte=whole.end, end_date__gte=whole.start)
    periods = {year: rules.Period.year(year) for year in years}
    bounds = {("required", year): (period.start, period.end) for year, period in periods.items()}
    for year, period in periods.items():
        elapsed = rules.elapsed_part(period, on)
        if elapsed:
            bounds["expected", year] = (elapsed.start, elapsed.end)
    hours_sums, names = required_sql.sums(bounds)
    found = lots_of_years.order_by().aggregate(
        **hours_sums,
        **{
            f"lots_{year}": Count("pk", filter=Q(start_date__lte=period.end, end_date__gte=period.start))
            for year, period in periods.items()
        },
    )
    spread = {key: required_sql.hours(found[name]) for name, key in names.items()}
    for year, row in rows.items():
        row.lots = found[f"lots_{year}"]
        row.required = spread["required", year]
        row.expected = spread.get(("expected", year), ZERO)
    growing = list(lots_of_years.filter(required_sql.GROWS).with_required_data(clause_texts=False))
    _set_invoices(growing, _invoices(lots_of_years, whole))
    for lot in growing:
        lot.required_whole = clause_hours.whole_hours(lot.hours_required) if lot.hours_required else ZERO
        for year in range(max(lot.start_date.year, whole.start.year), min(lot.end_date.year, whole.end.year) + 1):
            rows[year].required += _hours_in(lot, periods[year])
            rows[year].expected += _expected_in(lot, periods[year], on)
    by_year = (
        DeclarationLine.objects.counted()
        .filter(
            placement__lot__in=lots_of_years.values("pk"),
            declaration__month__gte=whole.first_month,
            declaration__month__lte=whole.end,
        )
        .values("declaration__month__year")
        .annotate(total=Sum("hours"), people=Count("placement__participant", distinct=True))
        .order_by()
    )
    for line in by_year:
        row = rows[line["declaration__month__year"]]
        row.validated, row.people = line["total"] or ZERO, line["people"]
    return [rows[year] for year in sorted(years)]
