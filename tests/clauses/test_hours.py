"""The hours rules of clauses/hours.py, with the published examples of domain.md."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clauses import hours


def test_published_example_mef_sud_77():
    # 1,000,000 € × 50 % × 5 % ÷ 30 €/h = 833.33 → 833 h (rounded down to the hour)
    assert hours.formula_hours(D("1000000"), D("50"), D("5"), D("30")) == D("833")


def test_formula_with_typical_trades():
    # Interior painting, 70 % labour, 10 % insertion, 28 €/h on 240,000 €: 600 h
    assert hours.formula_hours(D("240000"), D("70"), D("10"), D("28")) == D("600")
    # Steel framing, 20 % labour: few hours, below the minimum
    steel = hours.formula_hours(D("300000"), D("20"), D("5"), D("30"))
    assert steel == D("100")
    assert hours.is_below_minimum(steel, D("150"))
    assert not hours.is_below_minimum(D("150"), D("150"))


def test_cleaning_coefficient_without_transfer():
    # hours = A ÷ C × rate = 600,000 ÷ 25 × 10 % = 2,400 h
    assert hours.cleaning_hours(D("600000"), D("10")) == D("2400")


def test_cleaning_coefficient_with_staff_transfer():
    # A = 600,000 €, N = 36 months, S = 300 h/month, C = 25
    # P = 1 − (300 × 25) ÷ (600,000 ÷ 36) = 1 − 7,500 ÷ 16,666.67 = 0.55
    assert hours.cleaning_weighting(D("600000"), 36, D("300")) == D("0.55")
    # hours = 0.55 × 600,000 ÷ 25 × 10 % = 1,320 h
    assert hours.cleaning_hours(D("600000"), D("10"), months=36, transferred_monthly_hours=D("300")) == D("1320")


def test_cleaning_weighting_never_negative():
    assert hours.cleaning_weighting(D("12000"), 12, D("1000")) == D("0")
    assert hours.cleaning_hours(D("12000"), D("10"), months=12, transferred_monthly_hours=D("1000")) == D("0")


def test_cleaning_transfer_needs_a_duration():
    with pytest.raises(hours.HoursInputError, match="durée en mois"):
        hours.cleaning_hours(D("600000"), D("10"), transferred_monthly_hours=D("300"))


def test_hours_per_euro_invoiced_grow_with_orders():
    # 1 h per 2,000 € excl. tax invoiced
    assert hours.invoiced_hours(D("0"), D("2000")) == D("0")
    assert hours.invoiced_hours(D("150000"), D("2000")) == D("75")
    assert hours.invoiced_hours(D("151999"), D("2000")) == D("75")
    assert hours.invoiced_hours(D("152000"), D("2000")) == D("76")


def test_percentage_of_worked_hours():
    assert hours.worked_hours_share_hours(D("12000"), D("7")) == D("840")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: hours.formula_hours(D("-1"), D("50"), D("5"), D("30")), "Le montant HT ne peut pas être négatif"),
        (lambda: hours.formula_hours(D("1000"), D("150"), D("5"), D("30")), "entre 0 et 100 %"),
        (lambda: hours.formula_hours(D("1000"), D("50"), D("5"), D("0")), "Le coût horaire doit être strictement"),
        (lambda: hours.invoiced_hours(D("1000"), D("0")), "strictement positif"),
        (lambda: hours.worked_hours_share_hours(D("100"), D("-2")), "entre 0 et 100 %"),
    ],
)
def test_bad_inputs_get_a_french_message(call, message):
    with pytest.raises(hours.HoursInputError, match=message):
        call()


@given(
    amount=st.decimals(min_value=0, max_value=10**9, places=2),
    labour=st.decimals(min_value=0, max_value=100, places=2),
    rate=st.decimals(min_value=0, max_value=100, places=2),
    cost=st.decimals(min_value=D("0.01"), max_value=1000, places=2),
)
def test_formula_is_a_whole_number_never_above_the_exact_value(amount, labour, rate, cost):
    result = hours.formula_hours(amount, labour, rate, cost)
    exact = amount * labour / 100 * rate / 100 / cost
    assert result == result.to_integral_value()
    assert result <= exact < result + 1


def test_months_between():
    assert hours.months_between(date(2026, 1, 1), date(2026, 12, 31)) == 12
    assert hours.months_between(date(2026, 1, 15), date(2026, 1, 20)) == 1
    assert hours.months_between(date(2025, 3, 1), date(2028, 3, 1)) == 37


# Progress -----------------------------------------------------------------------------------

START, END = date(2026, 1, 1), date(2026, 12, 31)


def test_expected_hours_pro_rata_of_elapsed_duration():
    assert hours.expected_hours(D("730"), START, END, date(2025, 12, 1)) == D("0")
    # 182 of 364 days elapsed: half of the hours
    assert hours.expected_hours(D("730"), START, END, date(2026, 7, 2)) == D("365.00")
    assert hours.expected_hours(D("730"), START, END, date(2027, 2, 1)) == D("730")


def test_status_of_a_lot():
    today = date(2026, 7, 2)
    assert hours.lot_progress(D("730"), D("0"), date(2026, 9, 1), END, today).status == hours.NOT_STARTED
    assert hours.lot_progress(D("730"), D("100"), START, END, today).status == hours.BEHIND
    assert hours.lot_progress(D("730"), D("400"), START, END, today).status == hours.ON_TRACK
    assert hours.lot_progress(D("730"), D("730"), START, END, today).status == hours.DONE
    progress = hours.lot_progress(D("730"), D("400"), START, END, today)
    assert (progress.done_percent, progress.expected_percent) == (D("54"), D("50"))
    assert progress.status_label == "Dans les temps"


def test_combined_progress_sums_the_lots():
    today = date(2026, 7, 2)
    combined = hours.combined_progress(
        [(D("730"), D("400"), START, END), (D("270"), D("0"), date(2026, 9, 1), END)], today
    )
    assert combined.required == D("1000")
    assert combined.done == D("400")
    assert combined.expected == D("365.00")
    assert combined.status == hours.ON_TRACK


def test_hours_per_euro_invoiced_by_invoicing_date():
    invoices = [(date(2026, 3, 31), D("100000")), (date(2026, 9, 30), D("60000")), (date(2027, 1, 31), D("40000"))]
    assert hours.invoiced_between(invoices) == D("200000")
    assert hours.invoiced_between(invoices, last=date(2026, 12, 31)) == D("160000")
    assert hours.invoiced_between(invoices, first=date(2026, 4, 1), last=date(2026, 9, 30)) == D("60000")
    assert hours.invoiced_between(invoices, first=date(2027, 2, 1)) == 0


def test_progress_with_expected_hours_given():
    # An obligation that is not spread over the lot: the hours expected are given.
    progress = hours.lot_progress(D("80"), D("30"), START, END, date(2026, 4, 1), expected=D("50"))
    assert (progress.required, progress.expected, progress.status) == (D("80"), D("50"), hours.BEHIND)
    combined = hours.combined_progress(
        [(D("730"), D("400"), START, END), (D("80"), D("60"), START, END, D("50"))], date(2026, 7, 2)
    )
    assert (combined.required, combined.done, combined.expected) == (D("810"), D("460"), D("415.00"))
