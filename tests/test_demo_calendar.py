"""The demo gives every role something to do, whatever the day it is built: the calendar edges
(first and last day of the year and of a month, 29 February, mid-year) and the suite's own day."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from clauses import hours
from clauses.models import Lot
from placements import declaration_rules as rules
from placements.models import Candidacy, FollowUp, JobOffer, MonthlyDeclaration, Outcome, Placement
from tests.clock import PARIS, suite_today

DAYS = [
    datetime.date(2028, 1, 1),
    datetime.date(2028, 1, 31),
    datetime.date(2028, 2, 29),
    datetime.date(2028, 6, 30),
    datetime.date(2028, 12, 1),
    datetime.date(2028, 12, 31),
]

EMPLOYER = "Bâtir Bresse Construction"


def running_during(month):
    return Placement.objects.filter(start_date__lte=rules.last_day(month)).exclude(end_date__lt=month)


def what_each_role_finds(today):
    previous = rules.previous_month(today)
    this_month = rules.first_day(today)
    employer = running_during(previous).filter(employer__name=EMPLOYER)
    lots = Lot.objects.filter(clause__isnull=False).with_progress_data()
    return {
        "employer: placements last month": employer.count(),
        "employer: placements this month": running_during(this_month).filter(employer__name=EMPLOYER).count(),
        "employer: last month to declare": not MonthlyDeclaration.objects.filter(
            employer__name=EMPLOYER, month=previous
        ).exists(),
        "employer: a month to correct": MonthlyDeclaration.objects.filter(
            employer__name=EMPLOYER, status="to_correct"
        ).exists(),
        "declarations: statuses": set(MonthlyDeclaration.objects.values_list("status", flat=True)),
        "facilitator: outcomes due": Outcome.objects.filter(recorded_on__isnull=True, due_date__lte=today).count(),
        "facilitator: outcomes recorded": Outcome.objects.filter(recorded_on__isnull=False).count(),
        "facilitator: follow-ups to come or due": FollowUp.objects.filter(done_on__isnull=True).count(),
        "facilitator: candidacies": set(Candidacy.objects.values_list("status", flat=True)),
        "facilitator: open offers": JobOffer.objects.filter(status=JobOffer.Status.OPEN).count(),
        "lots: progress states": {lot.progress(today).status for lot in lots},
        "buyer: lots with validated hours": sum(
            1 for lot in lots if lot.contract.operation.buyer.name.startswith("Dynacité") and lot.hours_done > 0
        ),
    }


def assert_every_role_has_something_to_do(found):
    assert found["employer: placements last month"] >= 2, found
    assert found["employer: placements this month"] >= 2, found
    assert found["employer: last month to declare"], found
    assert found["employer: a month to correct"], found
    assert found["declarations: statuses"] == set(MonthlyDeclaration.Status.values), found
    assert found["facilitator: outcomes due"] >= 1, found
    assert found["facilitator: outcomes recorded"] >= 1, found
    assert found["facilitator: follow-ups to come or due"] >= 1, found
    assert found["facilitator: candidacies"] == set(Candidacy.Status.values), found
    assert found["facilitator: open offers"] >= 1, found
    assert found["lots: progress states"] == {hours.NOT_STARTED, hours.ON_TRACK, hours.BEHIND, hours.DONE}, found
    assert found["buyer: lots with validated hours"] >= 1, found


@pytest.mark.parametrize("day", DAYS, ids=lambda day: f"{day:%Y-%m-%d}")
def test_the_demo_gives_every_role_something_to_do_on_any_day(db, settings, tmp_path, time_machine, day):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    time_machine.move_to(datetime.datetime.combine(day, datetime.time(9, 0), tzinfo=PARIS))
    call_command("seed_demo")
    assert timezone.localdate() == day
    assert_every_role_has_something_to_do(what_each_role_finds(day))


def test_the_demo_gives_every_role_something_to_do_on_the_suites_day(db, settings, tmp_path):
    settings.PRIVATE_STORAGE_ROOT = tmp_path
    call_command("seed_demo")
    assert_every_role_has_something_to_do(what_each_role_finds(suite_today()))
