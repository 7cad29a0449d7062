import datetime

from django.utils import timezone

from tests.clock import suite_today


def test_the_suite_runs_on_its_set_day_not_the_real_one():
    assert timezone.localdate() == suite_today()
    assert datetime.date.today() == suite_today()
    assert timezone.localtime().hour >= 10


def test_the_day_can_be_set_from_the_environment(monkeypatch):
    monkeypatch.setenv("CLAUSIER_TEST_TODAY", "2028-02-29")
    assert suite_today() == datetime.date(2028, 2, 29)
