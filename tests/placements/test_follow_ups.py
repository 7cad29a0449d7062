"""The facilitator's list of follow-ups (and outcomes) due, and recording a follow-up."""

import pytest
from django.urls import reverse

from partners.roles import Role
from placements.models import FollowUp, Outcome
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import eligible_participant
from tests.placements.test_placements_support import build_world, days, lot_around_today, place

LIST = reverse("placements:follow_up_list")


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


@pytest.fixture
def due(world):
    """On a running placement: one follow-up overdue, one due in 3 days, one in 20 days, one done."""
    placement = place(eligible_participant(last_name="Rey"), world["lot"], world["company"], days(-40), days(200))
    FollowUp.objects.filter(placement=placement).delete()
    FollowUp.objects.filter(placement=world["placement"]).update(done_on=days(-5))
    make = FollowUp.objects.create
    return {
        "overdue": make(placement=placement, kind=FollowUp.Kind.ONE_MONTH, due_date=days(-3)),
        "soon": make(placement=placement, kind=FollowUp.Kind.OTHER, due_date=days(3)),
        "later": make(placement=placement, kind=FollowUp.Kind.END, due_date=days(20)),
        "done": make(placement=placement, kind=FollowUp.Kind.START, due_date=days(-40), done_on=days(-39)),
        "placement": placement,
    }


def listed(response):
    return [follow_up.pk for follow_up in response.context["page"].object_list]


@pytest.mark.parametrize(
    ("show", "expected"),
    [
        ("", ["overdue", "soon"]),
        ("overdue", ["overdue"]),
        ("week", ["soon"]),
        ("done", ["done"]),
        ("all", ["overdue", "soon", "later", "done"]),
    ],
)
def test_filters(client, facilitator, world, due, show, expected):
    client.force_login(facilitator)
    response = client.get(LIST, {"show": show} if show else {})
    assert response.status_code == 200
    done_before = list(FollowUp.objects.filter(placement=world["placement"]).values_list("pk", flat=True))
    pks = listed(response)
    if show in ("done", "all"):  # the follow-ups of the ended placement are done too
        pks = [pk for pk in pks if pk not in done_before]
    assert pks == [due[name].pk for name in expected]


def test_the_default_list_puts_overdue_first_and_marks_them(client, facilitator, world, due):
    client.force_login(facilitator)
    html = client.get(LIST).content.decode()
    assert html.index(due["overdue"].get_kind_display()) < html.index(due["soon"].get_kind_display())
    assert html.count("En retard</span>") == 2  # the overdue follow-up and the overdue exit outcome
    assert f"{reverse('placements:follow_up_record', args=[due['overdue'].pk])}?next=" in html


def test_an_unknown_filter_falls_back_to_the_default(client, facilitator, world, due):
    client.force_login(facilitator)
    assert listed(client.get(LIST, {"show": "n'importe quoi"})) == [due["overdue"].pk, due["soon"].pk]


def test_outcomes_due_are_listed_below(client, facilitator, world):
    placement = world["placement"]
    exit_outcome = placement.outcomes.get(moment=Outcome.Moment.EXIT)
    client.force_login(facilitator)
    response = client.get(LIST)
    assert [outcome.pk for outcome in response.context["outcomes_due"]] == [exit_outcome.pk]
    assert reverse("placements:outcome_record", args=[exit_outcome.pk]) in response.content.decode()
    exit_outcome.recorded_on = days(-1)
    exit_outcome.situation = "cdi"
    exit_outcome.save()
    assert list(client.get(LIST).context["outcomes_due"]) == []


def test_only_the_follow_ups_of_visible_placements(client, world, due):
    client.force_login(world["users"]["other_facilitator"])
    response = client.get(LIST, {"show": "all"})
    assert listed(response) == [] and list(response.context["outcomes_due"]) == []
    # A placement of a person the other body follows, on a lot of the Département, is theirs too.
    theirs = place(
        eligible_participant(facilitation_body=world["other_body"]),
        world["lot"],
        world["company"],
        days(-10),
        days(100),
    )
    assert set(listed(client.get(LIST, {"show": "all"}))) == set(theirs.follow_ups.values_list("pk", flat=True))


@pytest.mark.parametrize("who", [Role.EMPLOYER, Role.DEPARTMENT_READER, Role.BUYER])
def test_the_list_is_for_facilitators_only(client, world, who):
    client.force_login(world["users"][who])
    assert client.get(LIST).status_code == 403


def _add_placements(world, count):
    for index in range(count):
        lot = lot_around_today()
        employer = OrganisationFactory()
        place(eligible_participant(last_name=f"Personne {index}"), lot, employer, days(-60 + index), days(-2))


@pytest.mark.parametrize("extra", [0, 12])
def test_query_count_does_not_grow_with_rows(client, facilitator, world, django_assert_num_queries, extra):
    _add_placements(world, extra)
    client.force_login(facilitator)
    with django_assert_num_queries(6):
        response = client.get(LIST, {"show": "all"})
    assert len(listed(response)) == 3 * (1 + extra)
    assert len(response.context["outcomes_due"]) == 1 + extra


# Recording a follow-up ------------------------------------------------------------------------


def test_recording_a_follow_up(client, facilitator, world, due):
    follow_up = due["overdue"]
    client.force_login(facilitator)
    url = reverse("placements:follow_up_record", args=[follow_up.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response.context["form"]["done_on"].value() == days(0)
    response = client.post(
        f"{url}?next={LIST}?show=overdue", {"done_on": days(-1).isoformat(), "notes": "Bonne intégration."}
    )
    assert response.status_code == 302 and response.url == f"{LIST}?show=overdue"
    follow_up.refresh_from_db()
    assert follow_up.done_on == days(-1) and follow_up.done_by == facilitator
    assert follow_up.notes == "Bonne intégration."
    assert follow_up.pk not in listed(client.get(LIST))


def test_recording_goes_back_to_the_placement_and_ignores_foreign_next(client, facilitator, world, due):
    client.force_login(facilitator)
    url = reverse("placements:follow_up_record", args=[due["soon"].pk])
    response = client.post(f"{url}?next=https://exemple.com/", {"done_on": days(0).isoformat()})
    assert response.url == reverse("placements:placement_detail", args=[due["placement"].pk])


@pytest.mark.parametrize(
    ("done_on", "message"),
    [
        (days(1), "La date du suivi ne peut pas être dans le futur."),
        (days(-41), "Le suivi ne peut pas précéder le début de la mise à l'emploi, le "),
        ("", "Indiquez la date à laquelle le suivi a eu lieu."),
    ],
)
def test_refused_dates(client, facilitator, world, due, done_on, message):
    follow_up = due["overdue"]
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:follow_up_record", args=[follow_up.pk]),
        {"done_on": done_on.isoformat() if done_on else "", "notes": "x"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["done_on"][0].startswith(message)
    follow_up.refresh_from_db()
    assert follow_up.done_on is None and follow_up.notes == ""


def test_the_employer_gets_403_and_outsiders_404(client, world, due):
    url = reverse("placements:follow_up_record", args=[due["overdue"].pk])
    client.force_login(world["users"][Role.EMPLOYER])
    assert client.get(url).status_code == 403
    assert client.post(url, {"done_on": days(0).isoformat()}).status_code == 403
    for who in ("other_facilitator", "other_employer", Role.DEPARTMENT_READER, Role.BUYER):
        client.force_login(world["users"][who])
        assert client.get(url).status_code == 404, who
        assert client.post(url, {"done_on": days(0).isoformat()}).status_code == 404, who
    due["overdue"].refresh_from_db()
    assert due["overdue"].done_on is None


def test_administrator_records(client, administrator, world, due):
    client.force_login(administrator)
    url = reverse("placements:follow_up_record", args=[due["soon"].pk])
    assert client.post(url, {"done_on": days(0).isoformat()}).status_code == 302
