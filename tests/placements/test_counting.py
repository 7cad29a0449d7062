"""The stored ``counted`` flag stays true when the facts behind it change (placements.counting)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from placements import counting
from placements.declaration_rules import counts
from placements.eligibility import counting_window
from placements.models import CountingRules, DeclarationLine, EligibilityCriterion, Placement
from placements.tasks import recount_hours
from tests.placements.factories import CriterionFactory, PlacementFactory, declared_month
from tests.services import tasks_eager

pytestmark = pytest.mark.django_db

MONTHS = [date(2026, month, 1) for month in range(3, 9)]  # the placement's months, March to August 2026


def counted_hours(participant):
    total = DeclarationLine.objects.counted().filter(placement__participant=participant).aggregate(s=Sum("hours"))
    return total["s"] or Decimal(0)


@pytest.fixture
def declared():
    """A placement from 2 March to 31 August 2026 with 100 h validated each month: 600 h count."""
    placement = PlacementFactory(start_date=date(2026, 3, 2), end_date=date(2026, 8, 31))
    for month in MONTHS:
        declared_month(placement, "100", month=month, status="validated")
    return placement


def settings_with(**changes):
    from django.conf import settings

    return override_settings(CLAUSIER={**settings.CLAUSIER, **changes})


def test_hours_of_a_person_without_a_validated_criterion_do_not_count():
    window = counting_window(date(2026, 3, 2), 24)
    assert counts(date(2026, 3, 1), window, eligible=True)
    assert not counts(date(2026, 3, 1), window, eligible=False)


def test_an_earlier_placement_added_makes_the_counted_hours_drop(declared):
    person = declared.participant
    assert counted_hours(person) == Decimal(600)
    # A first placement from 3 June 2024: the 24 months end on 31 May 2026.
    PlacementFactory(participant=person, start_date=date(2024, 6, 3), end_date=date(2024, 9, 30))
    assert counted_hours(person) == Decimal(300)  # March to May 2026 only
    assert (
        list(
            DeclarationLine.objects.filter(placement=declared, counted=True)
            .order_by("declaration__month")
            .values_list("declaration__month", flat=True)
        )
        == MONTHS[:3]
    )


def test_the_start_of_the_first_placement_edited_or_deleted_recounts_the_lines(declared):
    person = declared.participant
    earlier = PlacementFactory(participant=person, start_date=date(2024, 6, 3), end_date=date(2024, 9, 30))
    earlier.start_date = date(2024, 4, 2)  # the window now ends on 31 March 2026
    earlier.save()
    assert counted_hours(person) == Decimal(100)
    earlier.delete()
    assert counted_hours(person) == Decimal(600)


def test_a_placement_moved_to_another_person_recounts_both(declared):
    person = declared.participant
    earlier = PlacementFactory(participant=person, start_date=date(2024, 6, 3), end_date=date(2024, 9, 30))
    other = PlacementFactory().participant
    earlier.participant = other
    earlier.save()
    assert counted_hours(person) == Decimal(600)


def test_hours_count_again_once_a_criterion_is_validated_and_stop_when_it_is_removed(declared):
    person = declared.participant
    EligibilityCriterion.objects.filter(participant=person).delete()
    assert counted_hours(person) == Decimal(0)
    CriterionFactory(participant=person, criterion="DELD")
    assert counted_hours(person) == Decimal(600)


def test_hours_saved_from_the_grid_do_not_count_for_a_person_without_criterion():
    from portal.declaration_services import declaration_for, save_hours

    placement = PlacementFactory(start_date=date(2026, 3, 2), end_date=date(2026, 8, 31))
    EligibilityCriterion.objects.filter(participant=placement.participant).delete()
    declaration = declaration_for(placement.employer, date(2026, 4, 1))
    save_hours(declaration, {placement.pk: Decimal(120)}, None, declaration.revision)
    assert DeclarationLine.objects.get(placement=placement).counted is False


def test_a_changed_window_setting_is_recounted_by_the_job_and_the_figures_say_so_meanwhile(declared):
    person = declared.participant
    with settings_with(COUNTING_WINDOW_MONTHS=3):
        row = counting.stored_rules()
        assert counting.needs_recount(row)
        assert "en cours de recalcul" in counting.recount_pending(row)
        assert counted_hours(person) == Decimal(600)  # not yet recounted
        assert recount_hours() == {"recounted": True, "lines_changed": 3}
        assert counted_hours(person) == Decimal(300)  # March to May 2026
        row = counting.stored_rules()
        assert (row.window_months, row.state, counting.recount_pending(row)) == (3, "current", None)
        assert recount_hours() == {"recounted": False, "lines_changed": 0}  # nothing changed since


def test_training_hours_are_recounted_when_the_setting_changes():
    placement = PlacementFactory(mode=Placement.Mode.TRAINING, start_date=date(2026, 3, 2), end_date=date(2026, 4, 30))
    declared_month(placement, "70", month=date(2026, 3, 1), status="validated")
    call_command("recount_hours", stdout=_Output())
    assert counted_hours(placement.participant) == Decimal(0)
    with settings_with(TRAINING_HOURS_COUNT=True):
        recount_hours()
        assert counted_hours(placement.participant) == Decimal(70)


def test_the_dashboard_starts_the_recount_and_shows_it_while_a_job_runs(
    client, facilitator, declared, django_capture_on_commit_callbacks
):
    client.force_login(facilitator)
    url = reverse("reporting:facilitator_dashboard")
    with settings_with(COUNTING_WINDOW_MONTHS=3):
        # Another job is at work: the dashboard says so and does not start a second one.
        CountingRules.objects.filter(pk=1).update(state="recounting", started_at=timezone.now())
        page = client.get(url).content.decode()
        assert "en cours de recalcul" in page
        assert counted_hours(declared.participant) == Decimal(600)
        # That job died long ago: the dashboard starts one (run in-process here, eager tasks).
        CountingRules.objects.filter(pk=1).update(started_at=timezone.now() - timedelta(hours=2))
        with tasks_eager(True), django_capture_on_commit_callbacks(execute=True):
            page = client.get(url).content.decode()
        assert counted_hours(declared.participant) == Decimal(300)
        # The page was written as the job started: it says so; the next one is current.
        assert "en cours de recalcul" in page
        assert "en cours de recalcul" not in client.get(url).content.decode()


def test_the_dashboard_says_nothing_when_the_rules_are_current(client, department_reader):
    client.force_login(department_reader)
    assert "en cours de recalcul" not in client.get(reverse("reporting:department_dashboard")).content.decode()


def test_the_rules_row_comes_back_after_the_tables_were_emptied(declared):
    CountingRules.objects.all().delete()
    row = counting.stored_rules()
    assert counting.needs_recount(row)  # lines exist: they were counted under unknown rules
    DeclarationLine.objects.all().delete()
    CountingRules.objects.all().delete()
    assert not counting.needs_recount(counting.stored_rules())


def test_the_command_recounts_and_reports(declared):
    DeclarationLine.objects.update(counted=False)  # a flag gone stale, e.g. written by an old version
    out = _Output()
    call_command("recount_hours", stdout=out)
    assert "6 ligne(s) changée(s)" in out.text
    assert counted_hours(declared.participant) == Decimal(600)


class _Output:
    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass
