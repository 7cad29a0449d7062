"""Pure rules of placements: eligibility, the counting window, outcomes and the dynamic exit rate."""

from datetime import date
from decimal import Decimal

import pytest

from placements import eligibility, outcomes


def test_add_months_keeps_the_day_or_takes_the_last_of_the_month():
    assert eligibility.add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert eligibility.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert eligibility.add_months(date(2026, 11, 15), 2) == date(2027, 1, 15)


def test_counting_window_is_24_whole_months_from_the_first_placement():
    """Whole months only (tests/placements/test_counting_window.py): from 2 March 2026, to the end
    of February 2028; March 2028 would run past the 24 months."""
    window = eligibility.counting_window(date(2026, 3, 2))
    assert (window.start, window.end) == (date(2026, 3, 2), date(2028, 2, 29))
    assert window.contains(date(2028, 2, 29)) and not window.contains(date(2028, 3, 1))
    assert not window.contains(date(2026, 3, 1))
    assert eligibility.counting_window(date(2026, 3, 2), 12).end == date(2027, 2, 28)
    assert eligibility.counting_window(None) is None


def test_eligibility_needs_one_known_criterion():
    assert eligibility.is_eligible(["RSA"])
    assert eligibility.is_eligible(["QPV", "JEUNE"])
    assert not eligibility.is_eligible([])
    assert not eligibility.is_eligible(["UNKNOWN"])


def test_proof_is_required():
    assert eligibility.proof_problem("RSA", "Attestation CAF", None) is None
    assert eligibility.proof_problem("RSA", "", 12) is None
    assert "justificatif" in eligibility.proof_problem("RSA", "  ", None)
    assert "avis motivé d'un prescripteur" in eligibility.proof_problem("DEROGATION", "Courrier", None)


def test_age():
    assert eligibility.age_on(date(2000, 6, 15), date(2026, 6, 14)) == 25
    assert eligibility.age_on(date(2000, 6, 15), date(2026, 6, 15)) == 26


@pytest.mark.parametrize(
    ("situation", "group", "dynamic"),
    [
        ("cdi", "sustainable", True),
        ("long_fixed_term", "sustainable", True),
        ("business_creation", "sustainable", True),
        ("short_fixed_term", "transitional", True),
        ("subsidised_contract", "transitional", True),
        ("qualifying_training", "positive", True),
        ("other_siae", "positive", True),
        ("jobseeker", "other", False),
        ("no_news", "other", False),
        ("illness", "neutral", False),
        ("death", "neutral", False),
    ],
)
def test_situation_groups(situation, group, dynamic):
    assert outcomes.group_of(situation) == group
    assert outcomes.is_dynamic(situation) is dynamic


def test_dynamic_exit_rate_leaves_neutral_exits_out():
    rates = outcomes.exit_rates(["cdi", "short_fixed_term", "qualifying_training", "jobseeker", "illness", "maternity"])
    assert rates.counted == 4
    assert rates.dynamic == 3
    assert rates.dynamic_rate == Decimal("75.0")
    assert rates.by_group["neutral"] == 2
    assert outcomes.exit_rates(["illness"]).dynamic_rate is None
