"""Worked examples of the PNAD share rule (pure: no database)."""

from decimal import Decimal

import pytest

from procurement.pnad_rules import contracts_missing, gap_to_target, reaches_target, share


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (1, 4, Decimal("25.0")),
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (Decimal("350000"), Decimal("1000000"), Decimal("35.0")),
        (0, 7, Decimal("0.0")),
        (1, 0, None),
    ],
)
def test_share_to_the_tenth_half_up(part, whole, expected):
    assert share(part, whole) == expected


def test_reaching_the_target():
    assert reaches_target(Decimal("30.0"), 30)
    assert reaches_target(Decimal("33.3"), Decimal(30))
    assert not reaches_target(Decimal("29.9"), 30)
    assert not reaches_target(None, 30)
    assert not reaches_target(Decimal("33.3"), 40)


def test_gap_and_contracts_missing():
    # 10 contracts, 2 social: 20 % → 10 points and 1 contract short of 30 %.
    assert gap_to_target(share(2, 10), 30) == Decimal("10.0")
    assert contracts_missing(2, 10, 30) == 1
    # 7 contracts, 2 social: 28.6 % → 30 % of 7 is 2.1, so 3 are needed: 1 more.
    assert gap_to_target(share(2, 7), 30) == Decimal("1.4")
    assert contracts_missing(2, 7, 30) == 1
    # Reached: nothing missing.
    assert gap_to_target(share(4, 10), 30) == Decimal("0.0")
    assert contracts_missing(4, 10, 30) == 0
    assert contracts_missing(0, 0, 30) == 0 and gap_to_target(None, 30) is None


def test_the_reconciliation_follows_the_target_setting(settings):
    from procurement.reconciliation import ShareRow

    row = ShareRow("x", "x", 2026, 10, Decimal(100), 3, Decimal(10))
    assert row.reaches_target
    settings.CLAUSIER = {**settings.CLAUSIER, "PNAD_TARGET": Decimal(40)}
    assert not row.reaches_target
