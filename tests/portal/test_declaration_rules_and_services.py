"""Rules and writes of the monthly declarations: bounds, counting window, versions, the lock."""

from datetime import date
from decimal import Decimal as D

import pytest

from clauses.models import Lot
from common.dates import month_label, of_month
from placements import declaration_rules as rules
from placements.eligibility import counting_window
from placements.models import DeclarationLine, DeclarationProof
from portal.declaration_services import (
    DeclarationErrors,
    StaleDeclaration,
    declaration_for,
    review,
    save_hours,
    submit,
)
from tests.placements.factories import PlacementFactory

MARCH = date(2026, 3, 1)


def test_parse_hours_in_french():
    assert rules.parse_hours("35,5") == D("35.5")
    assert rules.parse_hours(" 1 234,25 ") == D("1234.25")
    assert rules.parse_hours("") is None
    with pytest.raises(ValueError, match="n'est pas un nombre"):
        rules.parse_hours("abc")
    with pytest.raises(ValueError):
        rules.parse_hours("NaN")


def test_hours_problems():
    start, end = date(2026, 3, 2), date(2026, 8, 31)
    assert rules.hours_problem(D("151.67"), MARCH, start, end) is None
    assert "négatives" in rules.hours_problem(D("-1"), MARCH, start, end)
    assert "durée maximale légale" in rules.hours_problem(D("209"), MARCH, start, end)
    assert "ne couvre pas septembre 2026" in rules.hours_problem(D("10"), date(2026, 9, 1), start, end)
    assert rules.hours_problem(D("0"), date(2026, 9, 1), start, end) is None
    assert "centième" in rules.hours_problem(D("1.005"), MARCH, start, end)


def test_months_and_window():
    assert rules.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert rules.last_day(date(2028, 2, 1)) == date(2028, 2, 29)
    assert month_label(MARCH) == "mars 2026"
    assert (of_month(MARCH), of_month(date(2026, 4, 1))) == ("de mars 2026", "d'avril 2026")
    window = counting_window(date(2026, 3, 2), 24)
    assert rules.counts(MARCH, window)
    assert rules.counts(date(2028, 2, 1), window)  # the window ends on 29 February 2028
    assert not rules.counts(date(2028, 3, 1), window)  # the 25th month is not counted
    assert not rules.counts(MARCH, None)


def test_declaration_status_follows_lines():
    assert rules.declaration_status([]) == "draft"
    assert rules.declaration_status(["pending", "draft"]) == "draft"
    assert rules.declaration_status(["pending", "rejected"]) == "to_correct"
    assert rules.declaration_status(["pending", "validated"]) == "submitted"
    assert rules.declaration_status(["validated"]) == "validated"


@pytest.fixture
def placement(db):
    return PlacementFactory(start_date=date(2026, 3, 2), end_date=date(2026, 8, 31))


def attach_proof(declaration):
    DeclarationProof.objects.create(
        declaration=declaration,
        file="proofs/x.pdf",
        original_name="bulletins.pdf",
        content_type="application/pdf",
        size=10,
    )


def test_save_submit_reject_correct_validate(placement, facilitator):
    declaration = declaration_for(placement.employer, MARCH)
    save_hours(declaration, {placement.pk: D("120")}, None, expected_revision=0)
    line = declaration.lines.get()
    assert (line.hours, line.status, line.version, line.counted) == (D("120"), "draft", 1, True)
    save_hours(declaration, {placement.pk: D("121")}, None, expected_revision=1)  # drafts change in place
    assert declaration.lines.count() == 1
    with pytest.raises(DeclarationErrors, match="justificatif"):
        submit(declaration, None, expected_revision=2)
    attach_proof(declaration)
    submit(declaration, None, expected_revision=2)
    assert declaration.status == "submitted"
    review(list(declaration.lines.current()), "rejected", facilitator, "Le bulletin indique 111 h.")
    declaration.refresh_from_db()
    assert declaration.status == "to_correct"
    save_hours(declaration, {placement.pk: D("111")}, None, expected_revision=declaration.revision)
    versions = list(DeclarationLine.objects.filter(placement=placement).order_by("version"))
    assert [(v.version, v.hours, v.status, v.is_current) for v in versions] == [
        (1, D("121"), "rejected", False),
        (2, D("111"), "draft", True),
    ]
    declaration.refresh_from_db()
    submit(declaration, None, expected_revision=declaration.revision)
    review(list(declaration.lines.current()), "validated", facilitator)
    declaration.refresh_from_db()
    assert declaration.status == "validated"
    lot = Lot.objects.with_progress_data().get(pk=placement.lot_id)
    assert lot.progress().done == D("111")


def test_correction_after_validation_is_a_new_version_back_to_validation(placement, facilitator):
    declaration = declaration_for(placement.employer, MARCH)
    save_hours(declaration, {placement.pk: D("100")}, None, 0)
    attach_proof(declaration)
    submit(declaration, None, 1)
    review(list(declaration.lines.current()), "validated", facilitator)
    declaration.refresh_from_db()
    save_hours(declaration, {placement.pk: D("104")}, None, declaration.revision)
    declaration.refresh_from_db()
    assert declaration.status == "draft"
    # Until the correction is validated, the lot keeps counting the validated version only.
    assert Lot.objects.with_progress_data().get(pk=placement.lot_id).progress().done == D("0")
    assert DeclarationLine.objects.filter(placement=placement, is_current=False, status="validated").exists()


def test_two_concurrent_edits_the_second_is_refused(placement):
    declaration = declaration_for(placement.employer, MARCH)
    save_hours(declaration, {placement.pk: D("100")}, None, expected_revision=0)
    with pytest.raises(StaleDeclaration):
        save_hours(declaration, {placement.pk: D("90")}, None, expected_revision=0)
    assert declaration.lines.get().hours == D("100")
    assert "rechargez la page" in StaleDeclaration.message


def test_bad_hours_save_nothing(placement):
    other = PlacementFactory(employer=placement.employer, start_date=date(2026, 3, 2), end_date=None)
    declaration = declaration_for(placement.employer, MARCH)
    with pytest.raises(DeclarationErrors) as raised:
        save_hours(declaration, {placement.pk: D("100"), other.pk: D("-3")}, None, 0)
    assert raised.value.errors == {other.pk: "Les heures ne peuvent pas être négatives."}
    assert not DeclarationLine.objects.exists()
    declaration.refresh_from_db()
    assert declaration.revision == 0


def test_another_employers_placement_is_refused(placement):
    foreign = PlacementFactory(start_date=date(2026, 3, 2))
    declaration = declaration_for(placement.employer, MARCH)
    with pytest.raises(DeclarationErrors) as raised:
        save_hours(declaration, {foreign.pk: D("10")}, None, 0)
    assert "ne travaille pas pour vous" in raised.value.errors[foreign.pk]


def test_hours_outside_the_window_are_kept_but_not_counted(placement, facilitator):
    # A first placement two and a half years earlier: the 24-month window is over by March 2026.
    PlacementFactory(participant=placement.participant, start_date=date(2023, 9, 1), end_date=date(2023, 12, 31))
    declaration = declaration_for(placement.employer, MARCH)
    save_hours(declaration, {placement.pk: D("100")}, None, 0)
    line = declaration.lines.get()
    assert line.counted is False
    attach_proof(declaration)
    submit(declaration, None, 1)
    line.refresh_from_db()
    review([line], "validated", facilitator)
    assert Lot.objects.with_progress_data().get(pk=placement.lot_id).progress().done == D("0")


def test_rejection_needs_a_comment(placement, facilitator):
    declaration = declaration_for(placement.employer, MARCH)
    save_hours(declaration, {placement.pk: D("100")}, None, 0)
    attach_proof(declaration)
    submit(declaration, None, 1)
    with pytest.raises(DeclarationErrors, match="pourquoi"):
        review(list(declaration.lines.current()), "rejected", facilitator, "  ")


def test_training_hours_count_only_where_the_local_rule_says_so(db, settings, facilitator):
    training = PlacementFactory(mode="training", start_date=date(2026, 3, 2), end_date=date(2026, 8, 31))
    window = counting_window(date(2026, 3, 2))
    assert not rules.counts(MARCH, window, is_training=True)
    assert rules.counts(MARCH, window, is_training=True, training_counts=True)
    declaration = declaration_for(training.employer, MARCH)
    save_hours(declaration, {training.pk: D("35")}, None, 0)
    assert declaration.lines.get().counted is False
    settings.CLAUSIER = {**settings.CLAUSIER, "TRAINING_HOURS_COUNT": True}
    save_hours(declaration, {training.pk: D("36")}, None, 1)
    assert declaration.lines.get().counted is True
