"""Pure rules of the reports: periods, age bands, hours of a lot in a period, rates, durations."""

from datetime import date
from decimal import Decimal

import pytest

from common.dates import month_label
from reporting import rules
from reporting.rules import Period


def test_a_year_and_its_months():
    year = Period.year(2026)
    assert year.label == "2026"
    assert [m.month for m in year.months()] == list(range(1, 13))
    assert Period(date(2026, 3, 15), date(2026, 5, 2)).months() == [
        date(2026, 3, 1),
        date(2026, 4, 1),
        date(2026, 5, 1),
    ]
    assert Period(date(2026, 3, 15), date(2026, 5, 2)).label == "du 15/03/2026 au 02/05/2026"


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError, match="La fin de la période précède son début."):
        Period(date(2026, 2, 1), date(2026, 1, 31))


def test_overlaps_and_contains():
    year = Period.year(2026)
    assert year.overlaps(date(2025, 11, 3), date(2026, 1, 1))
    assert year.overlaps(date(2025, 11, 3), None)
    assert not year.overlaps(date(2025, 1, 1), date(2025, 12, 31))
    assert year.contains(date(2026, 12, 31)) and not year.contains(None)


@pytest.mark.parametrize(
    "birth, day, age, band",
    [
        (date(2000, 6, 15), date(2026, 6, 14), 25, "under_26"),
        (date(2000, 6, 15), date(2026, 6, 15), 26, "26_49"),
        (date(1976, 6, 15), date(2026, 6, 14), 49, "26_49"),
        (date(1976, 6, 15), date(2026, 6, 15), 50, "50_plus"),
    ],
)
def test_age_and_bands(birth, day, age, band):
    assert rules.age_on(birth, day) == age
    assert rules.age_band(age) == band


def test_hours_of_a_lot_in_a_period_pro_rata_of_its_days():
    # A lot over the second half of 2025 and the first half of 2026: 365 days, 181 of them in 2026.
    assert rules.hours_in_period(365, date(2025, 7, 1), date(2026, 6, 30), Period.year(2026)) == Decimal("181.00")
    assert rules.hours_in_period(730, date(2026, 1, 1), date(2026, 12, 31), Period.year(2026)) == Decimal("730.00")
    assert rules.hours_in_period(730, date(2026, 1, 1), date(2026, 12, 31), Period.year(2027)) == 0
    assert rules.hours_in_period(0, date(2026, 1, 1), date(2026, 12, 31), Period.year(2026)) == 0
    months = Period.year(2026).months()
    parts = [
        rules.hours_in_period(1000, date(2026, 1, 1), date(2026, 12, 31), Period(m, m.replace(day=28))) for m in months
    ]
    assert all(part > 0 for part in parts)


def test_expected_hours_in_a_period():
    lot = (730, date(2026, 1, 1), date(2026, 12, 31))
    assert rules.expected_in_period(*lot, Period.year(2026), date(2026, 7, 1)) == Decimal("364.00")
    assert rules.expected_in_period(*lot, Period.year(2026), date(2025, 12, 31)) == 0
    assert rules.expected_in_period(*lot, Period.year(2026), date(2027, 3, 1)) == Decimal("730.00")


def test_rates():
    assert rules.rate(1, 3) == Decimal("33.3")
    assert rules.rate(2, 3) == Decimal("66.7")
    assert rules.rate(5, 0) is None


@pytest.mark.parametrize(
    "start, end, band",
    [
        (date(2026, 2, 1), date(2026, 2, 20), "under_1"),
        (date(2026, 2, 1), date(2026, 3, 31), "1_3"),
        (date(2026, 1, 1), date(2026, 6, 29), "3_6"),
        (date(2026, 1, 1), None, "6_plus"),
    ],
)
def test_duration_bands(start, end, band):
    assert rules.duration_band(start, end, date(2026, 7, 15)) == band


def test_month_labels():
    assert month_label(date(2026, 2, 1)) == "février 2026"
    assert month_label(date(2026, 2, 1), short=True) == "févr. 2026"


@pytest.mark.parametrize(
    "period, edition_day, judged_on",
    [
        # A closed year: judged on its last day, whenever the report is edited afterwards.
        (Period.year(2026), date(2027, 3, 10), date(2026, 12, 31)),
        (Period.year(2026), date(2027, 1, 1), date(2026, 12, 31)),
        # The current year (edited on its last day too): judged on the edition day.
        (Period.year(2027), date(2027, 3, 10), date(2027, 3, 10)),
        (Period.year(2026), date(2026, 12, 31), date(2026, 12, 31)),
        (Period.year(2026), date(2026, 1, 1), date(2026, 1, 1)),
        # A part of a year, closed.
        (Period(date(2026, 1, 1), date(2026, 6, 30)), date(2026, 7, 1), date(2026, 6, 30)),
    ],
)
def test_the_day_lots_behind_are_judged_on(period, edition_day, judged_on):
    assert rules.behind_judged_on(period, edition_day) == judged_on


def test_hours_per_euro_invoiced_in_a_period_count_the_invoices_dated_in_it():
    # (invoicing date, amount): 1 h per 2,000 € excl. tax.
    invoices = [
        (date(2025, 12, 31), Decimal("30000")),
        (date(2026, 3, 31), Decimal("100000")),
        (date(2026, 9, 30), Decimal("61999")),
        (date(2027, 1, 31), Decimal("40000")),
    ]
    euros = Decimal("2000")
    assert rules.invoiced_hours_in_period(invoices, euros, Period.year(2026)) == Decimal("80")
    assert rules.invoiced_hours_in_period(invoices, euros, Period.year(2025)) == Decimal("15")
    assert rules.invoiced_hours_in_period(invoices, euros, Period.year(2027)) == Decimal("20")
    assert rules.invoiced_hours_in_period(invoices, euros, Period(date(2026, 4, 1), date(2026, 9, 29))) == 0
    assert rules.invoiced_hours_in_period([], euros, Period.year(2026)) == 0
