"""The list of awareness-raising actions: filters, totals, pagination and a bounded number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.action_forms import ActionFilterForm
from partners.actions import default_period, filter_actions, totals
from partners.models import Audience, AwarenessAction, Epci, Sector
from tests.partners.action_factories import AwarenessActionFactory

LIST = reverse("partners:action_list")
YEAR_2026 = {"start": "2026-01-01", "end": "2026-12-31"}
K = AwarenessAction.Kind


def titles(response):
    return [action.title for action in response.context["page"].object_list]


def row(rows, label):
    return next((r.actions, r.people) for r in rows if r.label == label)


@pytest.fixture
def territories(db):
    return {
        "bourg": Epci.objects.get(siren="200071751"),  # in the Bresse sector
        "dombes": Epci.objects.get(siren="200069193"),  # in Dombes et Côtière
        "bresse": Sector.objects.get(name="Bresse"),
        "bugey": Sector.objects.get(name="Bugey"),
    }


@pytest.fixture
def actions(territories):
    """Five actions of 2026 and one of 2025, with several audiences and territories."""
    return {
        "forum": AwarenessActionFactory(
            title="Forum BTP",
            kind=K.FORUM,
            date=datetime.date(2026, 3, 20),
            people_reached=60,
            audiences=["companies", "iae_actors"],
            epci=territories["bourg"],
        ),
        "training": AwarenessActionFactory(
            title="Formation acheteurs",
            kind=K.TRAINING,
            date=datetime.date(2026, 4, 15),
            people_reached=20,
            audiences=["public_buyers", "project_managers"],
        ),
        "meeting": AwarenessActionFactory(
            title="Réunion artisans",
            kind=K.INFORMATION_MEETING,
            date=datetime.date(2026, 5, 5),
            people_reached=25,
            audiences=["companies", "federations"],
            sector=territories["bresse"],
        ),
        "elected": AwarenessActionFactory(
            title="Réunion des élus de la Dombes",
            kind=K.INFORMATION_MEETING,
            date=datetime.date(2026, 6, 1),
            people_reached=15,
            audiences=["elected_officials", "public_buyers"],
            epci=territories["dombes"],
        ),
        "bugey": AwarenessActionFactory(
            title="Atelier marchés réservés",
            kind=K.TRAINING,
            date=datetime.date(2026, 9, 10),
            people_reached=12,
            audiences=["iae_actors"],
            sector=territories["bugey"],
        ),
        "last_year": AwarenessActionFactory(
            title="Comité de pilotage 2025",
            kind=K.STEERING_COMMITTEE,
            date=datetime.date(2025, 12, 9),
            people_reached=21,
            audiences=["public_buyers", "elected_officials", "federations"],
        ),
    }


@pytest.fixture
def logged_in(client, facilitator):
    client.force_login(facilitator)
    return client


# Table -------------------------------------------------------------------------------------


def test_list_shows_the_actions_newest_first_with_french_dates(logged_in, actions):
    response = logged_in.get(LIST, YEAR_2026)
    assert response.status_code == 200
    assert titles(response) == [
        "Atelier marchés réservés",
        "Réunion des élus de la Dombes",
        "Réunion artisans",
        "Formation acheteurs",
        "Forum BTP",
    ]
    html = response.content.decode()
    assert "20/03/2026" in html
    assert reverse("partners:action_detail", args=[actions["forum"].pk]) in html
    assert "CA du Bassin de Bourg-en-Bresse" in html  # territory of an action in an EPCI
    assert "Tout l&#x27;Ain" in html  # territory of an action without EPCI nor sector
    assert '<th scope="col">Publics visés</th>' in html
    assert "<caption" in html


def test_default_period_runs_from_the_first_of_january_to_today(logged_in):
    today = timezone.localdate()
    start, end = default_period()
    assert (start, end) == (datetime.date(today.year, 1, 1), today)
    AwarenessActionFactory(title="Le premier janvier", date=start)
    AwarenessActionFactory(title="Aujourd'hui", date=today)
    AwarenessActionFactory(title="L'an dernier", date=start - datetime.timedelta(days=1))
    AwarenessActionFactory(title="Demain", date=today + datetime.timedelta(days=1))
    response = logged_in.get(LIST)
    assert sorted(titles(response)) == ["Aujourd'hui", "Le premier janvier"]
    assert response.context["form"]["start"].value() == start.isoformat()
    assert f"du {start:%d/%m/%Y} au {today:%d/%m/%Y}" in response.content.decode()


def test_empty_period_shows_the_empty_state(logged_in, actions):
    response = logged_in.get(LIST, {"start": "2020-01-01", "end": "2020-12-31"})
    assert titles(response) == []
    assert "Aucune action ne correspond à ces critères" in response.content.decode()
    assert response.context["totals"].actions == 0
    assert response.context["totals"].people == 0


# Filters -----------------------------------------------------------------------------------


def test_filter_by_period(logged_in, actions):
    response = logged_in.get(LIST, {"start": "2026-04-01", "end": "2026-06-01"})
    assert titles(response) == ["Réunion des élus de la Dombes", "Réunion artisans", "Formation acheteurs"]
    response = logged_in.get(LIST, {"start": "", "end": "2025-12-31"})
    assert titles(response) == ["Comité de pilotage 2025"]
    response = logged_in.get(LIST, {"start": "", "end": ""})
    assert len(titles(response)) == 6


def test_end_before_start_is_reported_in_french(logged_in, actions):
    response = logged_in.get(LIST, {"start": "2026-06-01", "end": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["end"] == ["La date de fin doit être postérieure à la date de début."]
    # The wrong end date is left out: everything from the start date is listed.
    assert titles(response) == ["Atelier marchés réservés", "Réunion des élus de la Dombes"]


def test_filter_by_kind(logged_in, actions):
    response = logged_in.get(LIST, {**YEAR_2026, "kind": K.TRAINING})
    assert titles(response) == ["Atelier marchés réservés", "Formation acheteurs"]
    assert "(avec les filtres choisis)" in response.content.decode()


def test_filter_by_audience(logged_in, actions):
    companies = Audience.objects.get(code="companies")
    response = logged_in.get(LIST, {**YEAR_2026, "audience": companies.pk})
    assert titles(response) == ["Réunion artisans", "Forum BTP"]
    assert response.context["totals"].actions == 2
    assert response.context["totals"].people == 85


def test_filter_by_epci(logged_in, actions, territories):
    response = logged_in.get(LIST, {**YEAR_2026, "epci": territories["dombes"].pk})
    assert titles(response) == ["Réunion des élus de la Dombes"]


def test_filter_by_sector_includes_the_actions_of_its_epci(logged_in, actions, territories):
    response = logged_in.get(LIST, {**YEAR_2026, "sector": territories["bresse"].pk})
    assert titles(response) == ["Réunion artisans", "Forum BTP"]  # the sector itself, and Bourg in Bresse
    response = logged_in.get(LIST, {**YEAR_2026, "sector": territories["bugey"].pk})
    assert titles(response) == ["Atelier marchés réservés"]


def test_filters_combine(logged_in, actions, territories):
    iae = Audience.objects.get(code="iae_actors")
    response = logged_in.get(LIST, {**YEAR_2026, "audience": iae.pk, "sector": territories["bresse"].pk})
    assert titles(response) == ["Forum BTP"]
    response = logged_in.get(LIST, {**YEAR_2026, "kind": K.FORUM, "epci": territories["dombes"].pk})
    assert titles(response) == []


def test_unknown_filter_values_are_reported_not_crashing(logged_in, actions):
    response = logged_in.get(LIST, {**YEAR_2026, "kind": "picnic", "epci": "999999", "start": "demain"})
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"kind", "epci", "start"}
    assert "Date de début invalide." in form.errors["start"]
    # Only the valid end date applies: every action up to the end of 2026.
    assert len(titles(response)) == 6


# Totals ------------------------------------------------------------------------------------


def test_totals_by_kind_and_grand_total(logged_in, actions):
    response = logged_in.get(LIST, YEAR_2026)
    result = response.context["totals"]
    assert row(result.by_kind, "Forum") == (1, 60)
    assert row(result.by_kind, "Formation") == (2, 32)
    assert row(result.by_kind, "Réunion d'information") == (2, 40)
    assert row(result.by_kind, "Comité de pilotage") == (0, 0)  # 2025 is outside the period
    assert [r.label for r in result.by_kind] == [label for _, label in K.choices]
    assert (result.actions, result.people) == (5, 132)
    assert "132 personnes touchées" in response.content.decode()


def test_totals_by_audience_count_an_action_once_per_audience(logged_in, actions):
    result = logged_in.get(LIST, YEAR_2026).context["totals"]
    assert row(result.by_audience, "Acheteurs publics") == (2, 35)  # training + elected
    assert row(result.by_audience, "Entreprises") == (2, 85)  # forum + meeting
    assert row(result.by_audience, "Acteurs de l'IAE") == (2, 72)  # forum + bugey
    assert row(result.by_audience, "Maîtres d'œuvre") == (1, 20)
    assert row(result.by_audience, "Fédérations et branches") == (1, 25)
    assert row(result.by_audience, "Élus") == (1, 15)
    assert sum(r.actions for r in result.by_audience) == 9  # more than the 5 actions: several audiences each


def test_totals_cover_the_whole_period_not_only_the_page(logged_in):
    AwarenessActionFactory.create_batch(55, date=datetime.date(2026, 2, 1), people_reached=2, audiences=["companies"])
    response = logged_in.get(LIST, YEAR_2026)
    assert len(response.context["page"].object_list) == 50
    assert response.context["totals"].actions == 55
    assert response.context["totals"].people == 110


def test_totals_helpers_on_a_queryset(actions, territories):
    queryset = filter_actions(AwarenessAction.objects.all(), sector=territories["bresse"])
    result = totals(queryset)
    assert (result.actions, result.people) == (2, 85)
    assert row(result.by_audience, "Entreprises") == (2, 85)
    assert row(result.by_audience, "Fédérations et branches") == (1, 25)
    assert row(result.by_audience, "Élus") == (0, 0)


# Pagination and queries --------------------------------------------------------------------


def test_pagination_keeps_the_filters(logged_in):
    AwarenessActionFactory.create_batch(55, kind=K.FORUM, date=datetime.date(2026, 2, 1))
    AwarenessActionFactory.create_batch(3, kind=K.TRAINING, date=datetime.date(2026, 2, 1))
    response = logged_in.get(LIST, {**YEAR_2026, "kind": K.FORUM})
    page = response.context["page"]
    assert (page.number, page.paginator.num_pages, len(page.object_list)) == (1, 2, 50)
    html = response.content.decode()
    assert "start=2026-01-01&amp;end=2026-12-31&amp;kind=forum&amp;page=2" in html
    second = logged_in.get(LIST, {**YEAR_2026, "kind": K.FORUM, "page": 2})
    assert len(second.context["page"].object_list) == 5
    assert all(action.kind == K.FORUM for action in second.context["page"].object_list)


# Session, user, memberships (navigation), filter choices (audiences, EPCI, sectors), count,
# page, audiences of the page, totals by kind, totals by audience.
LIST_QUERIES = 11


@pytest.mark.parametrize("count", [5, 30])
def test_list_queries_do_not_grow_with_the_number_of_actions(logged_in, territories, django_assert_num_queries, count):
    audiences = list(Audience.objects.all())
    today = timezone.localdate()
    for index in range(count):
        AwarenessActionFactory(
            date=today,
            kind=K.choices[index % len(K.choices)][0],
            audiences=audiences[index % 6 : index % 6 + 2],
            epci=territories["bourg"] if index % 3 == 0 else None,
            sector=territories["bugey"] if index % 3 == 1 else None,
        )
    with django_assert_num_queries(LIST_QUERIES):
        response = logged_in.get(LIST)
    assert response.status_code == 200
    assert response.context["totals"].actions == count
    assert len(response.context["page"].object_list) == count


def test_filter_form_defaults_only_when_the_period_is_absent():
    today = datetime.date(2026, 11, 24)
    form = ActionFilterForm({}, today=today)
    assert form.is_valid()
    assert (form.cleaned_data["start"], form.cleaned_data["end"]) == (datetime.date(2026, 1, 1), today)
    form = ActionFilterForm({"start": "", "end": ""}, today=today)
    assert form.is_valid()
    assert form.filters()["start"] is None and form.filters()["end"] is None
