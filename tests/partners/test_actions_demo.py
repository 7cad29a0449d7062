"""The demo awareness-raising actions."""

import pytest

from partners import demo, demo_actions
from partners.models import AwarenessAction


@pytest.mark.django_db
def test_demo_actions_are_realistic_and_idempotent():
    context = demo.seed({"fake": None})
    demo_actions.seed(context)
    first_run = {
        (a.date, a.title): (a.people_reached, sorted(a.audiences.values_list("code", flat=True)))
        for a in AwarenessAction.objects.all()
    }
    assert len(first_run) == len(demo_actions.ACTIONS) == 13
    assert {key[0].year for key in first_run} == {2025, 2026}

    demo_actions.seed(demo.seed({"fake": None}))
    second_run = {
        (a.date, a.title): (a.people_reached, sorted(a.audiences.values_list("code", flat=True)))
        for a in AwarenessAction.objects.all()
    }
    assert second_run == first_run

    actions = AwarenessAction.objects.all()
    assert all(action.audiences.exists() for action in actions)
    assert all(action.created_by.email == "facilitatrice@clausier.demo" for action in actions)
    assert not actions.filter(epci__isnull=False, sector__isnull=False).exists()
    forum = AwarenessAction.objects.get(title="Forum emploi et clauses sociales du BTP à Bourg-en-Bresse")
    assert forum.territory_label == "CA du Bassin de Bourg-en-Bresse"
    assert set(forum.organisations.values_list("name", flat=True)) == {
        "Ville de Bourg-en-Bresse",
        "Fédération du BTP de l'Ain",
        "Tremplin Bresse (ACI)",
        "GEIQ BTP de l'Ain",
    }
    assert forum.organisations.count() == 4  # not added twice
