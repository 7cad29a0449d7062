"""``LotQuerySet.behind_schedule`` is a database query: it must list exactly the lots that the Python
rule (``Lot.progress(on).status == hours.BEHIND``) finds behind, lot by lot, on any day."""

from datetime import date, timedelta
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command

from clauses import hours
from clauses.models import InvoicedAmount, Lot
from tests.clauses.factories import ClauseFactory, ContractFactory, LotFactory
from tests.placements.factories import PlacementFactory
from tests.reporting.dataset import line

GENERATED_ON = date(2026, 7, 1)


def python_rule(on):
    """The lots behind on ``on`` by the Python rule, read as ``behind_schedule`` used to read them."""
    lots = Lot.objects.filter(start_date__lte=on, clause__isnull=False).with_progress_data(on=on)
    return {lot.pk for lot in lots if lot.progress(on).status == hours.BEHIND}


def sql_rule(on):
    return set(Lot.objects.behind_schedule(on).values_list("pk", flat=True))


def assert_same_lots(days):
    for day in days:
        expected = python_rule(day)
        assert sql_rule(day) == expected, day
    return expected


def lot_with_hours(start, end, required=None, done=(), **clause):
    """A lot with a clause (``required``: contractual hours) and validated ``done`` hours:
    ``(month, hours)`` pairs, or ``(month, hours, status, counted)``."""
    contract = ContractFactory(start_date=start, end_date=end)
    lot = LotFactory(contract=contract, start_date=start, end_date=end)
    if required is not None:
        clause.setdefault("contractual_hours", D(required))
    ClauseFactory(lot=lot, **clause)
    if done:
        placement = PlacementFactory(lot=lot, start_date=start, end_date=end)
        for month, value, *rest in done:
            status, counted = rest if rest else ("validated", True)
            line(placement, month, value, status=status, counted=counted)
    return lot


@pytest.fixture
def edge_lots(db):
    """Lots at the boundaries of each branch of the rule, judged on 2 July 2026 (T = 364 days)."""
    year = (date(2026, 1, 1), date(2026, 12, 31))
    on = date(2026, 7, 2)  # 182 days elapsed of 364: half of the required hours expected
    lots = {
        # 365 h × 182/364 = 182.50 h expected
        "one cent short": lot_with_hours(*year, required=365, done=[(date(2026, 3, 1), "182.49")]),
        "just on time": lot_with_hours(*year, required=365, done=[(date(2026, 3, 1), "182.50")]),
        # 1 h over 8 days, 1 day elapsed: 0.125 rounded half up to 0.13
        "half up short": lot_with_hours(
            on - timedelta(days=1), on + timedelta(days=7), required=1, done=[(date(2026, 7, 1), "0.12")]
        ),
        "half up on time": lot_with_hours(
            on - timedelta(days=1), on + timedelta(days=7), required=1, done=[(date(2026, 7, 1), "0.13")]
        ),
        "computed hours": lot_with_hours(*year, computed_hours=D("833"), done=[(date(2026, 2, 1), "100")]),
        "nothing required": lot_with_hours(*year, computed_hours=D("0")),
        "not started": lot_with_hours(date(2026, 9, 1), date(2027, 8, 31), required=100),
        "starts today": lot_with_hours(on, date(2027, 6, 30), required=100),
        "ends today": lot_with_hours(date(2026, 1, 1), on, required=100, done=[(date(2026, 5, 1), "99.99")]),
        "one-day lot": lot_with_hours(date(2026, 5, 5), date(2026, 5, 5), required=10),
        "ended, done": lot_with_hours(
            date(2025, 1, 1), date(2025, 12, 31), required=50, done=[(date(2025, 6, 1), "50")]
        ),
        "ended, short": lot_with_hours(
            date(2025, 1, 1), date(2025, 12, 31), required=50, done=[(date(2025, 6, 1), "49")]
        ),
        "done early": lot_with_hours(*year, required=20, done=[(date(2026, 2, 1), "25")]),
        "pending and uncounted hours do not count": lot_with_hours(
            *year,
            required=10,
            done=[(date(2026, 2, 1), "100", "pending", True), (date(2026, 3, 1), "100", "validated", False)],
        ),
        "hours of later months": lot_with_hours(*year, required=100, done=[(date(2026, 8, 1), "100")]),
        "per euro, no euros per hour": lot_with_hours(*year, method="per_euro_invoiced", computed_hours=D("40")),
    }
    for name, amounts, done in (
        ("per euro, short", [("2026-03-31", "100000"), ("2026-09-30", "60000")], "49.99"),  # 50 h by 2 July
        ("per euro, on time", [("2026-03-31", "100000")], "50"),
        ("per euro, remainder", [("2026-03-31", "3999.99")], "0.99"),  # 1.99… h: 1 h due
        ("per euro, remainder met", [("2026-03-31", "3999.99")], "1"),
        ("per euro, no invoice yet", [("2026-09-30", "100000")], None),
    ):
        lot = lot_with_hours(
            *year,
            method="per_euro_invoiced",
            euros_per_hour=D("2000"),
            computed_hours=D("0"),
            done=[(date(2026, 2, 1), done)] if done else (),
        )
        for end, amount in amounts:
            end = date.fromisoformat(end)
            InvoicedAmount.objects.create(lot=lot, period_start=end.replace(day=1), period_end=end, amount=D(amount))
        lots[name] = lot
    return on, lots


def test_the_query_finds_the_boundary_lots_the_python_rule_finds(edge_lots):
    on, lots = edge_lots
    behind = {name for name, lot in lots.items() if lot.pk in sql_rule(on)}
    assert behind == {
        "one cent short",
        "half up short",
        "computed hours",
        "ends today",
        "one-day lot",
        "ended, short",
        "pending and uncounted hours do not count",
        "hours of later months",
        "per euro, no euros per hour",
        "per euro, short",
        "per euro, remainder",
    }
    days = [
        on,
        on - timedelta(days=1),
        on + timedelta(days=1),
        date(2025, 12, 31),
        date(2026, 12, 31),
        date(2027, 3, 10),
    ]
    assert_same_lots(days)


@pytest.fixture
def generated(db):
    call_command(
        "generate_dataset", "--scale", "tiny", "--seed", "11", "--today", GENERATED_ON.isoformat(), stdout=StringIO()
    )


def test_the_query_lists_the_same_lots_as_the_python_rule_on_generated_data(generated):
    days = [
        GENERATED_ON,
        GENERATED_ON - timedelta(days=7),
        date(2025, 12, 31),  # a period's end
        date(2026, 6, 30),  # mid-year
        date(2026, 6, 15),
        date(2024, 12, 31),
        date(2026, 12, 31),  # the period's end, in the future of the data
    ]
    lots = Lot.objects.all()
    assert lots.count() >= 30 and lots.filter(clause__method="per_euro_invoiced").exists()
    assert lots.filter(clause__contractual_hours__isnull=False).exists()
    found = [len(python_rule(day)) for day in days]
    assert_same_lots(days)
    assert found[0] >= 5, found  # lots behind to compare (the generator makes 40 % of the started ones so)


def test_the_query_keeps_the_queryset_it_filters(db):
    """A user's lots stay theirs; the result has no annotations and can be read as wanted."""
    on = date(2026, 7, 2)
    behind = lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=100)
    other = lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=100)
    lots = Lot.objects.filter(pk=behind.pk).behind_schedule(on)
    assert list(lots) == [behind]
    read = lots.with_progress_data(on=on).get()
    assert read.progress(on).status == hours.BEHIND
    assert other in Lot.objects.behind_schedule(on)


def test_fell_behind_between_lists_the_lots_behind_on_the_day_not_a_week_before(db):
    on = date(2026, 7, 2)
    week_before = on - timedelta(days=7)
    # 364 h over 364 days: 1 h a day expected; 180 h done is behind from day 181 (30 June).
    fell = lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=364, done=[(date(2026, 3, 1), "180")])
    already = lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=364, done=[(date(2026, 3, 1), "100")])
    started_this_week = lot_with_hours(on - timedelta(days=2), date(2026, 12, 31), required=100)
    lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=364, done=[(date(2026, 3, 1), "200")])  # on time
    caught_up = lot_with_hours(date(2026, 1, 1), date(2026, 12, 31), required=364, done=[(date(2026, 3, 1), "170")])
    line(caught_up.placements.get(), date(2026, 7, 1), "50")  # validated for July: on time again
    assert set(Lot.objects.behind_schedule(on)) == {fell, already, started_this_week}
    assert set(Lot.objects.behind_schedule(week_before)) == {already, caught_up}
    assert set(Lot.objects.fell_behind_between(week_before, on)) == {fell, started_this_week}
    assert set(Lot.objects.filter(pk=fell.pk).fell_behind_between(week_before, on)) == {fell}
