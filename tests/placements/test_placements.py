"""Placements: creation (from a hired candidacy or directly), every refused input, the checklist,
the page of a placement for each role, and the counting window."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clauses.models import LotAward
from partners.models import Organisation
from partners.roles import Role
from placements.eligibility import add_months
from placements.models import Candidacy, FollowUp, JobOffer, Outcome, Placement
from tests.partners.factories import OrganisationFactory
from tests.placements.factories import CandidacyFactory, JobOfferFactory, eligible_participant
from tests.placements.test_placements_support import CRITERION_WORDS, build_world, days, lot_around_today, place

CREATE = reverse("placements:placement_create")


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def form_data(world, **overrides):
    data = {
        "participant": eligible_participant(first_name="Kevin", last_name="Morel").pk,
        "lot": world["lot"].pk,
        "employer": world["company"].pk,
        "mode": Placement.Mode.DIRECT_HIRE,
        "contract_type": "cdd",
        "start_date": days(-30).isoformat(),
        "end_date": days(60).isoformat(),
        "weekly_hours": "35",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# From a hired candidacy --------------------------------------------------------------------


@pytest.fixture
def hired(world):
    offer = JobOfferFactory(
        lot=world["lot"],
        employer=world["company"],
        contract_type="cdi",
        weekly_hours=Decimal("28"),
        start_date=days(-20),
        positions=1,
    )
    return CandidacyFactory(offer=offer, status=Candidacy.Status.HIRED)


def test_the_form_from_a_hired_candidacy_is_prefilled_from_the_offer(client, facilitator, world, hired):
    client.force_login(facilitator)
    response = client.get(CREATE, {"candidacy": hired.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form["participant"].value() == hired.participant_id
    assert form["lot"].value() == world["lot"].pk
    assert form["employer"].value() == world["company"].pk
    assert form["contract_type"].value() == "cdi"
    assert form["weekly_hours"].value() == Decimal("28")
    assert form.fields["participant"].disabled and form.fields["lot"].disabled
    assert "Embauche de" in response.content.decode()


def test_creating_from_a_hired_candidacy_plans_follow_ups_and_outcomes_and_fills_the_offer(
    client, facilitator, world, hired
):
    client.force_login(facilitator)
    data = form_data(world, participant=None, lot=None, contract_type="cdi", weekly_hours="28")
    data["participant"] = world["participant"].pk  # disabled: ignored, the candidacy's person is kept
    response = client.post(f"{CREATE}?candidacy={hired.pk}", data)
    placement = Placement.objects.get(candidacy=hired)
    assert response.status_code == 302 and response.url == reverse("placements:placement_detail", args=[placement.pk])
    assert placement.participant == hired.participant and placement.lot == world["lot"]
    assert placement.created_by == facilitator
    assert placement.contract_type == "cdi" and placement.weekly_hours == Decimal("28")
    follow_ups = dict(placement.follow_ups.values_list("kind", "due_date"))
    assert follow_ups == {
        FollowUp.Kind.START: days(-30),
        FollowUp.Kind.ONE_MONTH: add_months(days(-30), 1),
        FollowUp.Kind.END: days(60),
    }
    outcomes = dict(placement.outcomes.values_list("moment", "due_date"))
    assert outcomes == {Outcome.Moment.EXIT: days(60), Outcome.Moment.SIX_MONTHS: add_months(days(60), 6)}
    hired.offer.refresh_from_db()
    assert hired.offer.status == JobOffer.Status.FILLED
    assert "est enregistrée" in messages_of(response)[0]


def test_an_offer_with_positions_left_stays_open(client, facilitator, world, hired):
    JobOffer.objects.filter(pk=hired.offer_id).update(positions=2)
    client.force_login(facilitator)
    client.post(f"{CREATE}?candidacy={hired.pk}", form_data(world, participant=None, lot=None))
    assert Placement.objects.filter(candidacy=hired).exists()
    hired.offer.refresh_from_db()
    assert hired.offer.status == JobOffer.Status.OPEN


@pytest.mark.parametrize("status", [Candidacy.Status.SENT, Candidacy.Status.INTERVIEW, Candidacy.Status.REFUSED])
def test_a_candidacy_not_hired_is_refused(client, facilitator, world, hired, status):
    Candidacy.objects.filter(pk=hired.pk).update(status=status)
    client.force_login(facilitator)
    for response in (
        client.get(CREATE, {"candidacy": hired.pk}),
        client.post(f"{CREATE}?candidacy={hired.pk}", form_data(world, participant=None, lot=None)),
    ):
        assert response.status_code == 302
        assert response.url == reverse("placements:offer_detail", args=[hired.offer_id])
        assert "seule une candidature embauchée" in messages_of(response)[0]
    assert not Placement.objects.filter(candidacy=hired).exists()


def test_a_candidacy_already_placed_leads_to_its_placement(client, facilitator, world, hired):
    existing = place(hired.participant, world["lot"], world["company"], days(-20), days(20), candidacy=hired)
    client.force_login(facilitator)
    response = client.get(CREATE, {"candidacy": hired.pk})
    assert response.url == reverse("placements:placement_detail", args=[existing.pk])
    assert Placement.objects.filter(candidacy=hired).count() == 1


def test_a_candidacy_of_another_body_is_not_found(client, world, hired):
    client.force_login(world["users"]["other_facilitator"])
    assert client.get(CREATE, {"candidacy": hired.pk}).status_code == 404
    assert client.get(CREATE, {"candidacy": "abc"}).status_code == 404


# Direct creation and refused input ----------------------------------------------------------


def test_direct_creation(client, facilitator, world):
    client.force_login(facilitator)
    data = form_data(world, contract_signed="on", start_confirmed="on")
    response = client.post(CREATE, data)
    placement = Placement.objects.get(participant=data["participant"])
    assert response.status_code == 302
    assert placement.candidacy is None and placement.created_by == facilitator
    assert placement.contract_signed and placement.start_confirmed and not placement.eligibility_proof_filed
    assert placement.follow_ups.count() == 3 and placement.outcomes.count() == 2


def test_without_an_end_date_outcomes_wait_for_it(client, facilitator, world):
    client.force_login(facilitator)
    data = form_data(world, end_date="", contract_type="cdi")
    client.post(CREATE, data)
    placement = Placement.objects.get(participant=data["participant"])
    assert set(placement.follow_ups.values_list("kind", flat=True)) == {"start", "one_month"}
    assert not placement.outcomes.exists()
    html = client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert "dès que la date de fin sera connue" in html


def test_the_form_is_prefilled_from_a_participant_and_a_lot(client, facilitator, world):
    client.force_login(facilitator)
    response = client.get(CREATE, {"participant": world["participant"].pk, "lot": world["lot"].pk})
    assert response.context["form"]["participant"].value() == world["participant"].pk
    assert response.context["form"]["lot"].value() == world["lot"].pk


def _lot_dates(world):
    lot = world["lot"]
    return f"du {lot.start_date:%d/%m/%Y} au {lot.end_date:%d/%m/%Y}"


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": days(-500).isoformat()}, "start_date", "doit commencer dans ces dates"),
        ({"end_date": days(400).isoformat()}, "end_date", "doit finir dans ces dates"),
        (
            {"start_date": days(10).isoformat(), "end_date": days(5).isoformat()},
            "end_date",
            "La date de fin doit être égale ou postérieure à la date de début.",
        ),
        ({"weekly_hours": "60"}, "weekly_hours", "Au plus 48 heures par semaine (durée maximale légale)."),
        ({"weekly_hours": "0"}, "weekly_hours", "Au moins une heure par semaine."),
        ({"start_date": ""}, "start_date", "Indiquez la date de début."),
    ],
)
def test_refused_input(client, facilitator, world, overrides, field, message):
    client.force_login(facilitator)
    data = form_data(world, **overrides)
    response = client.post(CREATE, data)
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    if field in ("start_date", "end_date") and "dans ces dates" in message:
        assert _lot_dates(world) in errors[0]
    assert not Placement.objects.filter(participant=data["participant"]).exists()
    assert "Le formulaire n'est pas enregistré" in response.content.decode()


def test_an_employer_not_awarded_the_lot_is_refused(client, facilitator, world):
    stranger = OrganisationFactory(kind=Organisation.Kind.COMPANY, name="Bâtisseurs du Bugey")
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, employer=stranger.pk))
    [error] = response.context["form"].errors["employer"]
    assert "« Bâtisseurs du Bugey » n'est pas attributaire du lot" in error
    assert not Placement.objects.filter(employer=stranger).exists()


def test_an_inclusion_structure_may_work_without_award_only_in_provision_or_subcontracting(client, facilitator, world):
    etti = OrganisationFactory(kind=Organisation.Kind.INCLUSION_STRUCTURE, structure_kind="ETTI", name="ETTI de l'Ain")
    client.force_login(facilitator)
    refused = client.post(CREATE, form_data(world, employer=etti.pk, mode=Placement.Mode.DIRECT_HIRE))
    assert "qu'en mise à disposition ou en sous-traitance" in refused.context["form"].errors["employer"][0]
    accepted = client.post(CREATE, form_data(world, employer=etti.pk, mode=Placement.Mode.PROVISION))
    assert accepted.status_code == 302
    assert Placement.objects.get(employer=etti).mode == Placement.Mode.PROVISION
    assert not LotAward.objects.filter(company=etti).exists()


def test_lots_and_people_are_those_the_facilitator_follows(client, world):
    other = world["users"]["other_facilitator"]
    client.force_login(other)
    response = client.post(CREATE, form_data(world))
    form = response.context["form"]
    assert "Vous ne pouvez pas enregistrer de mise à l'emploi sur ce lot." in form.errors["lot"]
    assert "Vous ne suivez pas cette personne" in form.errors["participant"][0]
    assert not Placement.objects.exclude(pk=world["placement"].pk).exists()


# Update and checklist -----------------------------------------------------------------------


def test_checklist_update(client, facilitator, world):
    placement = world["placement"]
    client.force_login(facilitator)
    url = reverse("placements:placement_update", args=[placement.pk])
    assert client.get(url).status_code == 200
    data = form_data(
        world,
        participant=placement.participant_id,
        start_date=placement.start_date.isoformat(),
        end_date=placement.end_date.isoformat(),
        contract_signed="on",
        eligibility_proof_filed="on",
        start_confirmed="on",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    placement.refresh_from_db()
    assert placement.contract_signed and placement.eligibility_proof_filed and placement.start_confirmed
    html = client.get(reverse("placements:placement_detail", args=[placement.pk])).content.decode()
    assert html.count('text-bg-success">Fait') == 3


def test_changing_the_end_moves_what_is_not_done(client, facilitator, world):
    placement = world["placement"]
    FollowUp.objects.filter(placement=placement, kind=FollowUp.Kind.START).update(done_on=days(-119))
    client.force_login(facilitator)
    new_end = days(30)
    data = form_data(
        world, participant=placement.participant_id, start_date=placement.start_date.isoformat(), end_date=new_end
    )
    client.post(reverse("placements:placement_update", args=[placement.pk]), data)
    assert placement.follow_ups.get(kind=FollowUp.Kind.END).due_date == new_end
    assert placement.follow_ups.get(kind=FollowUp.Kind.START).done_on == days(-119)
    assert placement.outcomes.get(moment=Outcome.Moment.EXIT).due_date == new_end


# The page of a placement --------------------------------------------------------------------


def test_the_facilitator_sees_everything(client, facilitator, world):
    placement = world["placement"]
    client.force_login(facilitator)
    response = client.get(reverse("placements:placement_detail", args=[placement.pk]))
    html = response.content.decode()
    assert reverse("placements:participant_detail", args=[placement.participant_id]) in html
    assert reverse("clauses:lot_detail", args=[placement.lot_id]) in html
    assert world["company"].name in html
    assert "Embauche directe par l&#x27;entreprise" in html
    assert "Bénéficiaire du RSA" in html
    for follow_up in placement.follow_ups.all():
        assert reverse("placements:follow_up_record", args=[follow_up.pk]) in html
    for outcome in placement.outcomes.all():
        assert reverse("placements:outcome_record", args=[outcome.pk]) in html
    assert f"Du {placement.start_date:%d/%m/%Y}" in html
    assert "entièrement dans la fenêtre" in html
    assert reverse("placements:placement_update", args=[placement.pk]) in html


def test_the_employer_sees_the_page_read_only_without_eligibility(client, employer, world):
    placement = world["placement"]
    client.force_login(employer)
    response = client.get(reverse("placements:placement_detail", args=[placement.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert str(placement.participant) in html and "Contrat de travail signé" in html
    for word in CRITERION_WORDS:
        assert word not in html, word
    assert reverse("placements:placement_update", args=[placement.pk]) not in html
    assert reverse("placements:participant_detail", args=[placement.participant_id]) not in html
    assert "/suivis/" not in html and "/sorties/" not in html
    assert response.context.get("criteria") is None


def test_counting_window_of_a_later_placement(client, facilitator, world):
    participant = world["participant"]
    lot = lot_around_today()
    # A first placement under a clause 30 months ago opened a 24-month window, closed by now.
    Placement.objects.filter(pk=world["placement"].pk).update(start_date=add_months(days(-10), -30))
    later = place(participant, lot, OrganisationFactory(), days(-5), days(30))
    client.force_login(facilitator)
    html = client.get(reverse("placements:placement_detail", args=[later.pk])).content.decode()
    assert "commence après la fin de la fenêtre" in html


def test_counting_window_partly_covered(client, facilitator, world):
    Placement.objects.filter(pk=world["placement"].pk).update(start_date=add_months(days(0), -23))
    later = place(world["participant"], world["lot"], world["company"], days(-5), days(100))
    client.force_login(facilitator)
    html = client.get(reverse("placements:placement_detail", args=[later.pk])).content.decode()
    assert "Elle dépasse la fenêtre" in html


def test_training_hours_do_not_count_by_default(client, facilitator, world):
    Placement.objects.filter(pk=world["placement"].pk).update(mode=Placement.Mode.TRAINING)
    client.force_login(facilitator)
    html = client.get(reverse("placements:placement_detail", args=[world["placement"].pk])).content.decode()
    assert "les heures de formation ne comptent pas" in html


# Access matrix ------------------------------------------------------------------------------


def test_administrator_reads_and_writes(client, administrator, world):
    placement = world["placement"]
    client.force_login(administrator)
    assert client.get(CREATE).status_code == 200
    assert client.get(reverse("placements:placement_detail", args=[placement.pk])).status_code == 200
    assert client.get(reverse("placements:placement_update", args=[placement.pk])).status_code == 200


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_get_403_on_create_and_404_on_pages(client, world, who):
    placement = world["placement"]
    client.force_login(world["users"][who])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(world)).status_code == 403
    assert client.get(reverse("placements:placement_detail", args=[placement.pk])).status_code == 404
    url = reverse("placements:placement_update", args=[placement.pk])
    assert client.get(url).status_code == 404 and client.post(url, {}).status_code == 404


def test_the_employer_gets_403_on_writes(client, employer, world):
    placement = world["placement"]
    client.force_login(employer)
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data(world)).status_code == 403
    url = reverse("placements:placement_update", args=[placement.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(world, contract_signed="on")).status_code == 403
    placement.refresh_from_db()
    assert not placement.contract_signed


@pytest.mark.parametrize("who", ["other_facilitator", "other_employer", "other_buyer"])
def test_outsiders_get_404(client, world, who):
    placement = world["placement"]
    client.force_login(world["users"][who])
    for name in ("placement_detail", "placement_update"):
        url = reverse(f"placements:{name}", args=[placement.pk])
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


def test_a_facilitator_following_the_person_edits_a_placement_on_another_bodys_lot(client, world):
    """The person is followed by the other body; the lot is the Département's."""
    other = world["users"]["other_facilitator"]
    placement = world["placement"]
    placement.participant.facilitation_body = world["other_body"]
    placement.participant.save()
    client.force_login(other)
    assert client.get(reverse("placements:placement_detail", args=[placement.pk])).status_code == 200
    response = client.get(reverse("placements:placement_update", args=[placement.pk]))
    assert response.status_code == 200
    assert list(response.context["form"].fields["lot"].queryset) == [placement.lot]


def test_unknown_dates_are_refused_without_error_500(client, facilitator, world):
    client.force_login(facilitator)
    response = client.post(CREATE, form_data(world, start_date="31/02/2026"))
    assert response.status_code == 200
    assert response.context["form"].errors["start_date"] == ["Saisissez une date valide."]


def test_end_date_equal_to_start_is_accepted(client, facilitator, world):
    client.force_login(facilitator)
    data = form_data(world, start_date=days(-1).isoformat(), end_date=days(-1).isoformat())
    assert client.post(CREATE, data).status_code == 302
    assert Placement.objects.get(participant=data["participant"]).end_date == days(-1)
