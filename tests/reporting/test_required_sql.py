"""The hours lots require in a period, summed by the database (``reporting.required_sql``), are
exactly those the rule gives lot by lot (``rules.hours_in_period`` on the whole required hours),
half-cent ties included, on PostgreSQL and SQLite alike."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from clauses import hours as clause_hours
from clauses.models import Clause, Lot
from reporting import required_sql, rules
from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory

pytestmark = pytest.mark.django_db


def spread_lots(count, seed):
    """Lots of random dates and required hours (computed or contractual: whole hours)."""
    chance = random.Random(seed)
    contract = ContractFactory()
    lots = []
    for _ in range(count):
        start = date(2024, 1, 1) + timedelta(days=chance.randrange(900))
        lot = LotFactory(contract=contract, start_date=start, end_date=start + timedelta(days=chance.randrange(0, 800)))
        contractual = Decimal(chance.randrange(1, 5000)) if chance.random() < 0.5 else None
        ClauseFactory(lot=lot, computed_hours=Decimal(chance.randrange(0, 5000)), contractual_hours=contractual)
        lots.append(lot)
    return lots


def by_rule(lot, start, end):
    required = clause_hours.whole_hours(lot.clause.required_hours())
    return rules.hours_in_period(required, lot.start_date, lot.end_date, rules.Period(start, end))


def random_periods(seed, count):
    chance = random.Random(seed)
    periods = []
    for _ in range(count):
        start = date(2023, 6, 1) + timedelta(days=chance.randrange(1500))
        periods.append((start, start + timedelta(days=chance.randrange(0, 400))))
    return periods


def test_each_lot_in_each_period_as_the_rule_gives_it():
    lots = spread_lots(40, seed=19)
    periods = random_periods(7, 12)
    names = {f"p{index}": bounds for index, bounds in enumerate(periods)}
    found = {lot.pk: lot for lot in required_sql.with_hours_in(Lot.objects.select_related("clause"), **names)}
    for lot in lots:
        for name, (start, end) in names.items():
            assert required_sql.hours(getattr(found[lot.pk], name)) == by_rule(found[lot.pk], start, end), (
                lot.start_date,
                lot.end_date,
                start,
                end,
            )


def test_half_cent_ties_round_up_as_the_rule():
    """2 hours over a lot of 400 days: 0.005 h a day, exactly half a cent on one day."""
    lot = LotFactory(start_date=date(2026, 1, 1), end_date=date(2026, 1, 1) + timedelta(days=399))
    ClauseFactory(lot=lot, computed_hours=Decimal(2))
    for days in (1, 3, 7):
        end = lot.start_date + timedelta(days=days - 1)
        found = required_sql.with_hours_in(Lot.objects.filter(pk=lot.pk), part=(lot.start_date, end)).get()
        expected = rules.hours_in_period(2, lot.start_date, lot.end_date, rules.Period(lot.start_date, end))
        assert required_sql.hours(found.part) == expected
        assert expected == (Decimal(days) * 2 / 400).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


def test_sums_by_period_and_group_are_the_lots_sums():
    lots = spread_lots(30, seed=3)
    ClauseFactory(lot=LotFactory(), method=Clause.Method.PER_EURO_INVOICED, euros_per_hour=Decimal(40))  # left out
    LotFactory()  # no clause: nothing required
    periods = dict(enumerate(random_periods(11, 6)))
    totals = required_sql.sums_by_period(Lot.objects.all(), periods)
    grouped = required_sql.sums_by_period(Lot.objects.all(), periods, group="sector")
    for key, (start, end) in periods.items():
        assert totals[key] == sum((by_rule(lot, start, end) for lot in lots), Decimal(0))
        assert sum((sums[key] for sums in grouped.values()), Decimal(0)) == totals[key]
