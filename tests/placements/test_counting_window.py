"""The counting window of a person's hours: whole calendar months only (pure rules, no database).

The window runs from the first placement's start to the last day of the Nth calendar month, the
start month counting as the 1st; a month counts only when it lies entirely inside the window.
"""

from datetime import date

import pytest

from placements.declaration_rules import counts
from placements.eligibility import counting_window


def counted_months(window, first, last):
    """The months from ``first`` to ``last`` (first days) that count in ``window``."""
    months, month = [], first
    while month <= last:
        if counts(month, window):
            months.append(month)
        month = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return months


def test_a_start_on_the_first_gives_exactly_24_months():
    window = counting_window(date(2025, 3, 1), 24)
    assert (window.start, window.end) == (date(2025, 3, 1), date(2027, 2, 28))
    months = counted_months(window, date(2025, 1, 1), date(2027, 6, 1))
    assert (len(months), months[0], months[-1]) == (24, date(2025, 3, 1), date(2027, 2, 1))


def test_a_start_mid_month_counts_the_start_month_in_full_and_not_the_25th_month():
    """From 15 March 2025, the 24 months end on 14 March 2027: March 2027 would run past them."""
    window = counting_window(date(2025, 3, 15), 24)
    assert window.end == date(2027, 2, 28)
    assert counts(date(2025, 3, 1), window)  # no hours before the first placement: the month counts
    assert counts(date(2027, 2, 1), window)
    assert not counts(date(2027, 3, 1), window)
    assert len(counted_months(window, date(2025, 1, 1), date(2027, 6, 1))) == 24


def test_a_start_on_the_31st():
    window = counting_window(date(2025, 1, 31), 24)
    assert window.end == date(2026, 12, 31)
    assert counts(date(2025, 1, 1), window) and counts(date(2026, 12, 1), window)
    assert not counts(date(2027, 1, 1), window)


def test_a_start_on_29_february():
    window = counting_window(date(2028, 2, 29), 24)
    assert window.end == date(2030, 1, 31)
    assert counts(date(2028, 2, 1), window) and counts(date(2030, 1, 1), window)
    assert not counts(date(2030, 2, 1), window)


def test_a_12_month_window():
    window = counting_window(date(2027, 3, 15), 12)
    assert window.end == date(2028, 2, 29)  # a leap year: the true last day of February
    months = counted_months(window, date(2027, 1, 1), date(2028, 12, 1))
    assert (len(months), months[0], months[-1]) == (12, date(2027, 3, 1), date(2028, 2, 1))


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 3, 15), 1, date(2027, 3, 31)),
        (date(2027, 12, 10), 2, date(2028, 1, 31)),
        (date(2027, 11, 30), 3, date(2028, 1, 31)),
    ],
)
def test_the_end_is_the_last_day_of_the_nth_month(start, months, end):
    window = counting_window(start, months)
    assert window.end == end
    assert window.contains(end) and not window.contains(date.fromordinal(end.toordinal() + 1))
    assert window.contains(start) and not window.contains(date.fromordinal(start.toordinal() - 1))


def test_no_window_no_count():
    assert counting_window(None) is None
    assert not counts(date(2027, 3, 1), None)


def test_a_month_before_the_window_does_not_count():
    """Hours cannot precede the first placement, but a placement's dates may be edited afterwards."""
    window = counting_window(date(2027, 3, 15), 24)
    assert not counts(date(2027, 2, 1), window)
