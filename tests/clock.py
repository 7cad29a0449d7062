"""The suite's clock: every test runs on a set day, never on the real date.

time-machine (not freezegun) moves the clock of the whole process, C-level calls included, so the
live server's threads, the in-thread Celery worker and Django's ``timezone.localdate()`` all see the
same day; it is also much faster than freezegun, which patches every loaded module. The clock keeps
ticking from 10:00 (Europe/Paris) on that day, so durations and timeouts behave as usual.

``CLAUSIER_TEST_TODAY=YYYY-MM-DD`` sets the day; ``make test-dates`` runs the date-sensitive tests
on the days that break calendars (1 and 31 January, 29 February, 30 June, 1 and 31 December),
browser journeys excepted (they run once, on the default day).
"""

import datetime
import os
import zoneinfo

import time_machine

DEFAULT_TODAY = datetime.date(2027, 3, 10)
PARIS = zoneinfo.ZoneInfo("Europe/Paris")

_travel = None


def suite_today():
    value = os.environ.get("CLAUSIER_TEST_TODAY", "").strip()
    return datetime.date.fromisoformat(value) if value else DEFAULT_TODAY


def suite_moment():
    return datetime.datetime.combine(suite_today(), datetime.time(10, 0), tzinfo=PARIS)


def pytest_configure(config):
    global _travel
    _travel = time_machine.travel(suite_moment(), tick=True)
    _travel.start()


def pytest_unconfigure(config):
    if _travel is not None:
        _travel.stop()


def pytest_report_header(config):
    return f"horloge de la suite : {suite_today():%d/%m/%Y} (CLAUSIER_TEST_TODAY)"
