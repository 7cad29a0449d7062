"""The PNAD/SPASER figures of a year are the reconciliation's shares and the indicators' hours."""

from compliance.pnad_returns import returns
from procurement import reconciliation
from reporting.indicators import yearly


def test_returns_use_the_reconciliation_shares_and_the_indicators_hours(published, django_assert_num_queries):
    expected = {row.year: row for row in reconciliation.shares_by_year()}
    with django_assert_num_queries(6):  # one more than before in ``yearly``: the lots by hours per euro invoiced
        rows = returns()
    assert [row.year for row in rows] == sorted(expected, reverse=True)
    hours = {row.key: row for row in yearly(sorted(expected))}
    for row in rows:
        same = expected[row.year]
        assert (row.count, row.social_count, row.count_share) == (same.count, same.social_count, same.count_share)
        assert row.reaches_target == same.reaches_target
        assert (row.hours, row.people) == (hours[row.year].validated, hours[row.year].people)
