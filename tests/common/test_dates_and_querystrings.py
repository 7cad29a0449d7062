"""Months in French, the clock, and the list pages' query strings (common/)."""

from datetime import date

from django.test import RequestFactory

from common.dates import month_label, of_month, today
from common.querystrings import query_without_page


def test_month_labels_and_the_elision_of_de():
    assert month_label(date(2026, 2, 1)) == "février 2026"
    assert month_label(date(2026, 2, 1), short=True) == "févr. 2026"
    assert of_month(date(2026, 3, 1)) == "de mars 2026"
    assert of_month(date(2026, 4, 1)) == "d'avril 2026"
    assert of_month(date(2026, 8, 1)) == "d'août 2026"


def test_the_clock_is_the_suite_s_day():
    from tests.clock import suite_today

    assert today() == suite_today()


def test_the_query_string_keeps_the_filters_but_not_the_page():
    request = RequestFactory().get("/lots/", {"q": "collège", "statut": ["a", "b"], "page": "3"})
    assert query_without_page(request) == "q=coll%C3%A8ge&statut=a&statut=b"
