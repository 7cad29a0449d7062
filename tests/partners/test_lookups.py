"""``__any_of``: the same rows as ``__in``, with the ids as one array parameter on PostgreSQL."""

from clauses.models import Lot
from placements.models import Placement
from tests.placements.factories import PlacementFactory


def test_any_of_finds_what_in_finds(db):
    placements = [PlacementFactory() for _ in range(3)]
    wanted = [placements[0].pk, placements[2].pk, 0]
    assert set(Placement.objects.filter(pk__any_of=wanted)) == set(Placement.objects.filter(pk__in=wanted))
    assert set(Placement.objects.filter(pk__any_of=wanted)) == {placements[0], placements[2]}


def test_any_of_through_a_foreign_key_and_a_join(db):
    placements = [PlacementFactory() for _ in range(3)]
    lot_ids = [placements[1].lot_id]
    assert list(Placement.objects.filter(lot__any_of=lot_ids)) == [placements[1]]
    assert list(Lot.objects.filter(placements__employer__any_of=[placements[1].employer_id])) == [placements[1].lot]


def test_any_of_an_empty_list_finds_nothing(db):
    PlacementFactory()
    assert not Placement.objects.filter(pk__any_of=[]).exists()
    assert Placement.objects.exclude(pk__any_of=[]).count() == 1


def test_the_ids_are_one_parameter_on_postgresql(db):
    from django.db import connection

    sql, params = Placement.objects.filter(pk__any_of=[1, 2, 3]).query.sql_with_params()
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and [1, 2, 3] in params
    else:
        assert "IN (" in sql and params[-3:] == (1, 2, 3)
