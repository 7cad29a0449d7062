"""The PNAD share rule (plan national pour des achats durables 2022-2025), pure: no database.

The share of the contracts notified in a year that carry at least one social consideration, in
number or in amount, as a percentage to the tenth (half up); a year reaches the target when its
share in number is at least the target (a setting, ``CLAUSIER["PNAD_TARGET"]``, 30 % by default).

Worked example: 4 contracts notified, 1 with a social consideration → 25.0 %, under 30 %;
3 contracts, 1 social → 33.3 %, the target is reached.
"""

from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")


def share(part, whole):
    """``part`` as a percentage of ``whole``, to the tenth; None when ``whole`` is zero."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TENTH, rounding=ROUND_HALF_UP)


def reaches_target(count_share, target):
    """Whether a share (None: nothing notified) reaches the target; both in %."""
    return count_share is not None and count_share >= Decimal(target)


def gap_to_target(count_share, target):
    """Percentage points still missing to reach the target (0 once reached); None without share."""
    if count_share is None:
        return None
    return max(Decimal(target) - count_share, Decimal(0)).quantize(TENTH, rounding=ROUND_HALF_UP)


def contracts_missing(social_count, count, target):
    """How many more contracts with a social consideration the year needed to reach the target:
    the smallest n with (social_count + n) / count >= target %, 0 when reached (or nothing notified)."""
    if not count:
        return 0
    needed = Decimal(target) * count / 100
    whole = int(needed.to_integral_value(rounding="ROUND_CEILING"))
    return max(whole - social_count, 0)
