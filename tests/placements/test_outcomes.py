"""Recording the situation of a person at the exit and 6 months later, and what the placement shows."""

from datetime import timedelta

import pytest
from django.urls import reverse

from partners.roles import Role
from placements.eligibility import add_months
from placements.models import Outcome
from tests.placements.factories import eligible_participant
from tests.placements.test_placements_support import build_world, days, place


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


@pytest.fixture
def exit_outcome(world):
    return world["placement"].outcomes.get(moment=Outcome.Moment.EXIT)


@pytest.fixture
def six_months(world):
    """The 6-month outcome of a placement that ended almost 6 months ago: due within 5 days."""
    end = add_months(days(5), -6)
    placement = place(eligible_participant(last_name="Morel"), world["lot"], world["company"], end - timedelta(60), end)
    outcome = placement.outcomes.get(moment=Outcome.Moment.SIX_MONTHS)
    assert days(0) < outcome.due_date <= days(5)
    return outcome


def url_of(outcome):
    return reverse("placements:outcome_record", args=[outcome.pk])


def data(**overrides):
    values = {"situation": "cdi", "rsa_status": Outcome.RsaStatus.LEFT, "recorded_on": days(0).isoformat(), "notes": ""}
    values.update(overrides)
    return values


def test_the_form_offers_grouped_situations(client, facilitator, exit_outcome):
    client.force_login(facilitator)
    response = client.get(url_of(exit_outcome))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<optgroup label="Emploi durable">' in html
    assert '<optgroup label="Sortie neutre (non comptée)">' in html
    assert response.context["form"]["recorded_on"].value() == days(0)


def test_recording_the_exit_shows_its_group_and_that_it_is_dynamic(client, facilitator, world, exit_outcome):
    client.force_login(facilitator)
    response = client.post(url_of(exit_outcome), data(notes="CDI signé chez le même employeur."))
    assert response.status_code == 302
    assert response.url == reverse("placements:placement_detail", args=[world["placement"].pk])
    exit_outcome.refresh_from_db()
    assert exit_outcome.situation == "cdi" and exit_outcome.recorded_on == days(0)
    assert exit_outcome.rsa_status == "left" and exit_outcome.recorded_by == facilitator
    html = client.get(response.url).content.decode()
    assert "Emploi durable" in html
    assert '<span class="badge text-bg-success">Oui</span>' in html
    assert "Sorti(e) du RSA" in html


def test_a_neutral_exit_is_not_dynamic(client, facilitator, world, exit_outcome):
    client.force_login(facilitator)
    client.post(url_of(exit_outcome), data(situation="illness", rsa_status="receiving"))
    response = client.get(reverse("placements:placement_detail", args=[world["placement"].pk]))
    [(outcome, group_label), _] = response.context["outcomes"]
    assert outcome.situation == "illness" and not outcome.is_dynamic
    assert group_label == "Sortie neutre (non comptée)"
    assert "Sortie neutre (non comptée)" in response.content.decode()


def test_the_exit_is_not_recorded_before_the_end(client, facilitator, world, exit_outcome):
    client.force_login(facilitator)
    end = world["placement"].end_date
    response = client.post(url_of(exit_outcome), data(recorded_on=(end - timedelta(1)).isoformat()))
    assert response.context["form"].errors["recorded_on"] == [
        f"La situation à la sortie se recueille à la fin de la mise à l'emploi, le {end:%d/%m/%Y} au plus tôt."
    ]
    assert client.post(url_of(exit_outcome), data(recorded_on=end.isoformat())).status_code == 302


def test_the_six_month_outcome_opens_15_days_before_it_is_due(client, facilitator, six_months):
    client.force_login(facilitator)
    too_early = six_months.due_date - timedelta(16)
    response = client.post(url_of(six_months), data(recorded_on=too_early.isoformat()))
    [error] = response.context["form"].errors["recorded_on"]
    assert error == (
        f"La situation à 6 mois se recueille à partir du {six_months.due_date - timedelta(15):%d/%m/%Y} "
        f"(15 jours avant l'échéance du {six_months.due_date:%d/%m/%Y})."
    )
    six_months.refresh_from_db()
    assert six_months.recorded_on is None
    just_in_time = six_months.due_date - timedelta(15)
    assert client.post(url_of(six_months), data(recorded_on=just_in_time.isoformat())).status_code == 302
    six_months.refresh_from_db()
    assert six_months.recorded_on == just_in_time


def test_a_recorded_date_in_the_future_is_refused(client, facilitator, six_months):
    client.force_login(facilitator)
    response = client.post(url_of(six_months), data(recorded_on=days(1).isoformat()))
    assert response.context["form"].errors["recorded_on"] == ["La date de recueil ne peut pas être dans le futur."]


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("situation", "Choisissez la situation de la personne."),
        ("rsa_status", "Indiquez si la personne perçoit le RSA (ou « Non concerné(e) »)."),
        ("recorded_on", "Indiquez la date à laquelle la situation a été recueillie."),
    ],
)
def test_required_fields(client, facilitator, exit_outcome, field, message):
    client.force_login(facilitator)
    response = client.post(url_of(exit_outcome), data(**{field: ""}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    exit_outcome.refresh_from_db()
    assert exit_outcome.recorded_on is None and exit_outcome.situation == ""


def test_an_unknown_situation_is_refused(client, facilitator, exit_outcome):
    client.force_login(facilitator)
    response = client.post(url_of(exit_outcome), data(situation="lottery"))
    assert "situation" in response.context["form"].errors


def test_people_not_on_rsa_are_not_concerned_by_default(client, facilitator, world, exit_outcome):
    participant = world["placement"].participant
    participant.rsa_at_entry = False
    participant.save()
    client.force_login(facilitator)
    assert client.get(url_of(exit_outcome)).context["form"]["rsa_status"].value() == "not_concerned"


def test_the_employer_gets_403_and_outsiders_404(client, world, exit_outcome):
    client.force_login(world["users"][Role.EMPLOYER])
    assert client.get(url_of(exit_outcome)).status_code == 403
    assert client.post(url_of(exit_outcome), data()).status_code == 403
    for who in ("other_facilitator", "other_employer", Role.DEPARTMENT_READER, Role.BUYER):
        client.force_login(world["users"][who])
        assert client.get(url_of(exit_outcome)).status_code == 404, who
        assert client.post(url_of(exit_outcome), data()).status_code == 404, who
    exit_outcome.refresh_from_db()
    assert exit_outcome.recorded_on is None


def test_administrator_records(client, administrator, exit_outcome):
    client.force_login(administrator)
    assert client.post(url_of(exit_outcome), data(situation="qualifying_training")).status_code == 302
    exit_outcome.refresh_from_db()
    assert exit_outcome.is_dynamic and exit_outcome.group == "positive"
