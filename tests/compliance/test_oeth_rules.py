"""Worked examples of the OETH deduction (compliance/oeth_rules.py): no database."""

from decimal import Decimal as D

import pytest

from compliance import oeth_rules


def test_one_purchase_worked_example():
    # 40 000 € invoiced by an ESAT, 60 % labour: labour cost 24 000 €, 30 % of it = 7 200 €.
    assert oeth_rules.labour_cost(D("40000"), D("60")) == D("24000.00")
    assert oeth_rules.purchase_deduction(D("40000"), D("60")) == D("7200.00")


def test_rounding_to_the_cent_half_up():
    # 1 234,57 € × 33,3 % = 411,11181 → 411,11 €; × 30 % = 123,333 → 123,33 €.
    assert oeth_rules.labour_cost(D("1234.57"), D("33.3")) == D("411.11")
    assert oeth_rules.purchase_deduction(D("1234.57"), D("33.3")) == D("123.33")


def test_under_the_50_percent_cap_everything_is_deducted():
    # Two purchases: 7 200 € + 30 000 × 50 % × 30 % = 4 500 € → 11 700 €; contribution 40 000 €, rate 2 %:
    # cap 50 % = 20 000 €; 11 700 € deducted in full.
    result = oeth_rules.year_deduction([(D("40000"), D("60")), (D("30000"), D("50"))], D("40000"), D("2"))
    assert result.gross == D("11700.00")
    assert result.cap_rate == D("0.50")
    assert result.cap == D("20000.00")
    assert result.deductible == D("11700.00")
    assert not result.capped
    assert "50 %" in result.explanation and "en entier" in result.explanation


def test_the_50_percent_cap_lowers_the_total():
    # 200 000 € × 80 % × 30 % = 48 000 €; contribution 60 000 €, rate 1,5 %: cap 30 000 €.
    result = oeth_rules.year_deduction([(D("200000"), D("80"))], D("60000"), D("1.5"))
    assert result.gross == D("48000.00")
    assert result.cap == D("30000.00")
    assert result.deductible == D("30000.00")
    assert result.capped
    assert "ramenée au plafond" in result.explanation and "inférieur à 3 %" in result.explanation


def test_the_75_percent_cap_from_a_rate_of_3_percent():
    # Same purchases, rate 4 %: cap 75 % of 60 000 € = 45 000 €; 48 000 € is brought down to 45 000 €.
    result = oeth_rules.year_deduction([(D("200000"), D("80"))], D("60000"), D("4"))
    assert result.cap_rate == D("0.75")
    assert result.cap == D("45000.00")
    assert result.deductible == D("45000.00")
    assert result.capped
    assert "75 %" in result.explanation and "au moins 3 %" in result.explanation


@pytest.mark.parametrize(
    ("rate", "cap_rate"),
    [(D("2.99"), D("0.50")), (D("3"), D("0.75")), (D("3.00"), D("0.75")), (D("3.01"), D("0.75")), (D("0"), D("0.50"))],
)
def test_boundary_of_3_percent(rate, cap_rate):
    assert oeth_rules.cap_rate(rate) == cap_rate


def test_at_exactly_3_percent_the_raised_cap_lets_more_through():
    # 48 000 € of deductions, contribution 60 000 €: 30 000 € at 2,99 %, 45 000 € at 3 %.
    purchases = [(D("200000"), D("80"))]
    assert oeth_rules.year_deduction(purchases, D("60000"), D("2.99")).deductible == D("30000.00")
    assert oeth_rules.year_deduction(purchases, D("60000"), D("3")).deductible == D("45000.00")


def test_gross_equal_to_the_cap_is_not_capped():
    # 100 000 € × 50 % × 30 % = 15 000 € = 50 % of 30 000 €.
    result = oeth_rules.year_deduction([(D("100000"), D("50"))], D("30000"), D("1"))
    assert result.deductible == D("15000.00")
    assert not result.capped


def test_no_purchase_no_deduction():
    result = oeth_rules.year_deduction([], D("10000"), D("5"))
    assert result.gross == D("0.00") and result.deductible == D("0.00")


@pytest.mark.parametrize(("amount", "share"), [(D("-1"), D("50")), (D("100"), D("101")), (D("100"), D("-0.1"))])
def test_impossible_inputs_are_refused(amount, share):
    with pytest.raises(ValueError):
        oeth_rules.labour_cost(amount, share)
