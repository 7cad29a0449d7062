"""One rule for the lines that count: ``DeclarationLine.objects.counted()`` and a lot's validated
hours read the same conditions (clauses.counting_rule)."""

from datetime import date
from decimal import Decimal

from clauses import counting_rule
from clauses.models import Lot
from placements.models import DeclarationLine
from tests.placements.factories import PlacementFactory, declared_month


def test_the_rule_names_the_validated_status_of_the_lines():
    assert DeclarationLine.Status.VALIDATED == counting_rule.VALIDATED
    assert counting_rule.COUNTED_LINE == {"is_current": True, "status": "validated", "counted": True}


def test_a_lot_counts_the_hours_of_the_lines_that_count(db):
    placement = PlacementFactory()
    declared_month(placement, "70", month=date(2026, 3, 1), status="validated")
    declared_month(placement, "35", month=date(2026, 4, 1), status="pending")
    outside = declared_month(placement, "14", month=date(2026, 5, 1), status="validated")
    DeclarationLine.objects.filter(pk=outside.pk).update(counted=False)  # outside the person's window
    counted = sum(line.hours for line in DeclarationLine.objects.counted())
    lot = Lot.objects.with_progress_figures().get(pk=placement.lot_id)
    assert counted == lot.validated_hours == Decimal("70")
