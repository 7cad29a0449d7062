"""French numbers, one implementation (common/numbers.py) for pages, charts, PDFs, sheets and files."""

from decimal import Decimal

import pytest

from common.numbers import as_decimal, french_number, legal_number, plain_number


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("1234.5"), "1\u00a0234,5"),
        (12, "12"),
        (Decimal("12.0"), "12"),
        (Decimal("12.04"), "12"),
        (Decimal("0.25"), "0,3"),
        (1_000_000, "1\u00a0000\u00a0000"),
        (0, "0"),
        (Decimal("-1234.56"), "-1\u00a0234,6"),
        (None, "0"),
    ],
)
def test_french_number(value, expected):
    assert french_number(value) == expected


def test_french_number_honours_decimals_max_min_and_grouping():
    assert french_number(Decimal("2.25"), decimals_max=2) == "2,25"
    assert french_number(Decimal("2.50"), decimals_max=2) == "2,5"
    assert french_number(Decimal("2.5"), decimals_max=0) == "3"
    assert french_number(Decimal("2.5"), decimals_max=2, decimals_min=2) == "2,50"
    assert french_number(Decimal("1234.5"), grouping="") == "1234,5"


@pytest.mark.parametrize(
    ("value", "expected"),
    [(Decimal("1217.00"), "1217"), (Decimal("35.50"), "35,5"), (Decimal("0.125"), "0,125"), (1234567, "1234567")],
)
def test_plain_number_keeps_every_decimal_without_grouping(value, expected):
    assert plain_number(value) == expected


def test_legal_number_writes_two_decimals_or_none():
    assert legal_number(Decimal("1000000")) == "1\u202f000\u202f000"
    assert legal_number(Decimal("1234.5")) == "1\u202f234,50"
    assert legal_number(Decimal("833")) == "833"
    assert legal_number(Decimal("-0.5")) == "-0,50"


def test_garbage_and_non_finite_values_count_as_zero():
    assert as_decimal("abc") == 0 and as_decimal(Decimal("NaN")) == 0 and as_decimal(True) == 0
