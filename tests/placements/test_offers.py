"""Job offers: create and edit with French errors, the list and its filters, the detail page, access per role."""

import html
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clauses.models import Contract, Lot, LotAward
from partners.models import Commune, Organisation
from partners.roles import Role
from placements.eligibility import CRITERIA
from placements.models import Candidacy, JobOffer
from tests.clauses.factories import ClauseFactory, award
from tests.partners.factories import OrganisationFactory, user_with_role
from tests.placements.factories import CandidacyFactory, CriterionFactory, JobOfferFactory, eligible_participant


def build_world(users_by_role):
    """A lot of the Département (2026), bought by the buyer fixture, awarded to the employer fixture,
    with one open offer; outsiders of every kind."""
    buyer_org = users_by_role[Role.BUYER].memberships.get().organisation
    company = users_by_role[Role.EMPLOYER].memberships.get().organisation
    lot = ClauseFactory(lot__contract__operation__buyer=buyer_org, lot__title="Gros œuvre du collège").lot
    award(lot, company)
    offer = JobOfferFactory(lot=lot, employer=company, position="Maçon ou maçonne")
    users = dict(users_by_role)
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    users["other_facilitator"] = user_with_role(Role.FACILITATOR, organisation=other_body)
    users["other_employer"] = user_with_role(Role.EMPLOYER)
    users["other_buyer"] = user_with_role(Role.BUYER)
    return {"lot": lot, "company": company, "offer": offer, "users": users}


@pytest.fixture
def world(db, users_by_role):
    return build_world(users_by_role)


def offer_data(lot, employer, **overrides):
    data = {
        "employer": employer.pk,
        "position": "Coffreur ou coffreuse",
        "rome_code": "f1701",
        "tasks": "Coffrages bois et métal, décoffrage",
        "skills": "Lecture de plans",
        "contract_type": "cdd",
        "positions": "2",
        "weekly_hours": "35",
        "start_date": "2026-04-06",
        "place": Commune.objects.get(insee_code="01053").pk,
        "status": "open",
    }
    data.update(overrides)
    return data


def html_of(response):
    """The page as the user reads it: entities such as ' turned back into characters."""
    return html.unescape(response.content.decode())


# Create and update -------------------------------------------------------------------------


@pytest.mark.parametrize("who", [Role.FACILITATOR, Role.ADMINISTRATOR])
def test_editors_create_an_offer_for_an_awarded_company(client, world, who):
    client.force_login(world["users"][who])
    url = reverse("placements:offer_create", args=[world["lot"].pk])
    assert client.get(url).status_code == 200
    response = client.post(url, offer_data(world["lot"], world["company"]))
    offer = JobOffer.objects.get(position="Coffreur ou coffreuse")
    assert response.status_code == 302 and response.url == reverse("placements:offer_detail", args=[offer.pk])
    assert offer.lot == world["lot"] and offer.employer == world["company"]
    assert offer.rome_code == "F1701"
    assert offer.positions == 2 and offer.weekly_hours == Decimal("35")


def test_create_form_offers_only_awarded_companies(client, world, facilitator):
    stranger = OrganisationFactory(name="Entreprise sans attribution")
    client.force_login(facilitator)
    response = client.get(reverse("placements:offer_create", args=[world["lot"].pk]))
    assert list(response.context["form"].fields["employer"].queryset) == [world["company"]]
    assert "Entreprise sans attribution" not in html_of(response)
    assert stranger.pk


def test_create_refuses_a_company_not_awarded_the_lot(client, world, facilitator):
    stranger = OrganisationFactory()
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]), offer_data(world["lot"], stranger)
    )
    assert response.status_code == 200
    assert f"Cette entreprise n'est pas attributaire du lot {world['lot'].number}" in html_of(response)
    assert not JobOffer.objects.filter(position="Coffreur ou coffreuse").exists()


def test_lot_without_awards_says_to_add_one(client, facilitator):
    lot = ClauseFactory().lot
    client.force_login(facilitator)
    page = html_of(client.get(reverse("placements:offer_create", args=[lot.pk])))
    assert "Ce lot n'a pas encore d'entreprise attributaire" in page
    assert reverse("clauses:award_create", args=[lot.pk]) in page


@pytest.mark.parametrize("code", ["F170", "17033", "FF703", "F17034"])
def test_bad_rome_code_is_refused(client, world, facilitator, code):
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]),
        offer_data(world["lot"], world["company"], rome_code=code),
    )
    assert "Le code ROME s'écrit avec une lettre et quatre chiffres, par exemple F1703." in html_of(response)
    assert not JobOffer.objects.filter(position="Coffreur ou coffreuse").exists()


def test_rome_code_is_optional(client, world, facilitator):
    client.force_login(facilitator)
    client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]),
        offer_data(world["lot"], world["company"], rome_code=""),
    )
    assert JobOffer.objects.get(position="Coffreur ou coffreuse").rome_code == ""


@pytest.mark.parametrize(
    "hours, message",
    [
        ("60", "Au plus 48 heures par semaine (durée maximale légale)."),
        ("0.5", "Au moins une heure par semaine."),
    ],
)
def test_weekly_hours_between_1_and_48(client, world, facilitator, hours, message):
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]),
        offer_data(world["lot"], world["company"], weekly_hours=hours),
    )
    assert message in html_of(response)
    assert not JobOffer.objects.filter(position="Coffreur ou coffreuse").exists()


@pytest.mark.parametrize("start", ["2025-12-31", "2027-01-01"])
def test_start_date_must_fall_within_the_lot(client, world, facilitator, start):
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]),
        offer_data(world["lot"], world["company"], start_date=start),
    )
    assert "Le poste doit commencer pendant le lot, entre le 01/01/2026 et le 31/12/2026." in html_of(response)
    assert not JobOffer.objects.filter(position="Coffreur ou coffreuse").exists()


def test_lot_bounds_themselves_are_accepted(client, world, facilitator):
    client.force_login(facilitator)
    url = reverse("placements:offer_create", args=[world["lot"].pk])
    client.post(url, offer_data(world["lot"], world["company"], start_date="2026-01-01"))
    client.post(url, offer_data(world["lot"], world["company"], start_date="2026-12-31", position="Boiseur"))
    assert JobOffer.objects.filter(lot=world["lot"]).count() == 3


def test_a_form_with_several_errors_saves_nothing_and_lists_them_all(client, world, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_create", args=[world["lot"].pk]),
        offer_data(world["lot"], world["company"], rome_code="X1", weekly_hours="60", tasks=""),
    )
    errors = response.context["form"].errors
    assert set(errors) == {"rome_code", "weekly_hours", "tasks"}
    assert "Le formulaire n'est pas enregistré : corrigez 3 champs." in html_of(response)


def test_update_changes_the_offer(client, world, facilitator):
    offer = world["offer"]
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_update", args=[offer.pk]),
        offer_data(world["lot"], world["company"], position="Maçon qualifié", status="filled"),
    )
    offer.refresh_from_db()
    assert response.status_code == 302
    assert offer.position == "Maçon qualifié" and offer.status == JobOffer.Status.FILLED


def test_update_keeps_an_employer_whose_award_was_removed_but_refuses_other_outsiders(client, world, facilitator):
    offer = world["offer"]
    LotAward.objects.filter(lot=world["lot"], company=world["company"]).delete()
    client.force_login(facilitator)
    url = reverse("placements:offer_update", args=[offer.pk])
    response = client.post(url, offer_data(world["lot"], world["company"], status="cancelled"))
    offer.refresh_from_db()
    assert response.status_code == 302 and offer.status == JobOffer.Status.CANCELLED
    response = client.post(url, offer_data(world["lot"], OrganisationFactory()))
    assert "n'est pas attributaire du lot" in html_of(response)


def test_update_validates_like_create(client, world, facilitator):
    client.force_login(facilitator)
    response = client.post(
        reverse("placements:offer_update", args=[world["offer"].pk]),
        offer_data(world["lot"], world["company"], weekly_hours="60", start_date="2027-02-01"),
    )
    assert set(response.context["form"].errors) == {"weekly_hours", "start_date"}
    world["offer"].refresh_from_db()
    assert world["offer"].weekly_hours == Decimal("35")


# Access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", [Role.ADMINISTRATOR, Role.FACILITATOR])
def test_editors_reach_every_offer_page(client, world, who):
    client.force_login(world["users"][who])
    for url in [
        reverse("placements:offer_list"),
        reverse("placements:offer_detail", args=[world["offer"].pk]),
        reverse("placements:offer_update", args=[world["offer"].pk]),
        reverse("placements:offer_create", args=[world["lot"].pk]),
    ]:
        assert client.get(url).status_code == 200, url


def test_employer_reads_its_offer_and_gets_403_on_writes(client, world, employer):
    client.force_login(employer)
    assert client.get(reverse("placements:offer_list")).status_code == 200
    detail = client.get(reverse("placements:offer_detail", args=[world["offer"].pk]))
    assert detail.status_code == 200
    assert reverse("placements:offer_update", args=[world["offer"].pk]) not in html_of(detail)
    for url in [
        reverse("placements:offer_update", args=[world["offer"].pk]),
        reverse("placements:offer_create", args=[world["lot"].pk]),
    ]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, offer_data(world["lot"], world["company"], position="Intrus")).status_code == 403
    assert not JobOffer.objects.filter(position="Intrus").exists()


@pytest.mark.parametrize("who", [Role.DEPARTMENT_READER, Role.BUYER])
def test_readers_and_buyers_get_403_on_the_list(client, world, who):
    client.force_login(world["users"][who])
    assert client.get(reverse("placements:offer_list")).status_code == 403


@pytest.mark.parametrize(
    "who", ["other_facilitator", "other_employer", "other_buyer", Role.DEPARTMENT_READER, Role.BUYER]
)
def test_outsiders_get_404_on_the_offer_pages(client, world, who):
    client.force_login(world["users"][who])
    for url in [
        reverse("placements:offer_detail", args=[world["offer"].pk]),
        reverse("placements:offer_update", args=[world["offer"].pk]),
    ]:
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code == 404, url


@pytest.mark.parametrize("who", ["other_facilitator", "other_employer", "other_buyer"])
def test_outsiders_cannot_create_offers_on_the_lot(client, world, who):
    client.force_login(world["users"][who])
    url = reverse("placements:offer_create", args=[world["lot"].pk])
    assert client.get(url).status_code == 404
    assert client.post(url, offer_data(world["lot"], world["company"])).status_code == 404


def test_other_facilitator_and_other_employer_have_an_empty_list(client, world):
    for who in ["other_facilitator", "other_employer"]:
        client.force_login(world["users"][who])
        response = client.get(reverse("placements:offer_list"))
        assert response.status_code == 200
        assert list(response.context["page"].object_list) == []


def test_anonymous_users_are_sent_to_the_login_page(client, world):
    response = client.get(reverse("placements:offer_list"))
    assert response.status_code == 302 and "/compte/login/" in response.url


# The list ----------------------------------------------------------------------------------


@pytest.fixture
def several_offers(world):
    """Offers of two employers, two buyers, three months and three statuses."""
    lot, company = world["lot"], world["company"]
    second = OrganisationFactory(name="Plâtrerie de la Reyssouze")
    award(lot, second)
    other_buyer = OrganisationFactory(kind=Organisation.Kind.CONTRACTING_AUTHORITY, name="Commune de Viriat")
    other_lot = ClauseFactory(lot__contract__operation__buyer=other_buyer).lot
    award(other_lot, company)
    return {
        "march": world["offer"],  # 2026-03-02, open
        "plaster": JobOfferFactory(lot=lot, employer=second, position="Plaquiste", start_date=date(2026, 5, 4)),
        "filled": JobOfferFactory(
            lot=lot, employer=company, position="Coffreur", start_date=date(2026, 3, 16), status="filled"
        ),
        "viriat": JobOfferFactory(lot=other_lot, employer=company, position="Terrassier", start_date=date(2026, 6, 1)),
        "second": second,
        "other_buyer": other_buyer,
    }


def listed(client, **params):
    response = client.get(reverse("placements:offer_list"), params)
    assert response.status_code == 200
    return {offer.position for offer in response.context["page"].object_list}


def test_list_filters(client, world, several_offers, facilitator):
    client.force_login(facilitator)
    assert listed(client) == {"Maçon ou maçonne", "Plaquiste", "Coffreur", "Terrassier"}
    assert listed(client, status="filled") == {"Coffreur"}
    assert listed(client, employer=several_offers["second"].pk) == {"Plaquiste"}
    assert listed(client, buyer=several_offers["other_buyer"].pk) == {"Terrassier"}
    assert listed(client, month="2026-03") == {"Maçon ou maçonne", "Coffreur"}
    assert listed(client, month="2026-03", status="open") == {"Maçon ou maçonne"}


def test_list_filter_choices_come_from_the_visible_offers(client, world, several_offers, facilitator):
    other_body = OrganisationFactory(kind=Organisation.Kind.FACILITATION_BODY)
    JobOfferFactory(  # another body's lot and employer
        start_date=date(2026, 9, 7), lot=ClauseFactory(lot__contract__operation__facilitation_body=other_body).lot
    )
    client.force_login(facilitator)
    form = client.get(reverse("placements:offer_list")).context["form"]
    assert [value for value, _ in form.fields["month"].choices] == ["", "2026-03", "2026-05", "2026-06"]
    assert dict(form.fields["month"].choices)["2026-03"] == "Mars 2026"
    assert set(form.fields["employer"].queryset) == {world["company"], several_offers["second"]}


def test_list_shows_open_offers_first_and_the_counts(client, world, several_offers, facilitator):
    offer = world["offer"]
    CandidacyFactory(offer=offer, status=Candidacy.Status.PROPOSED)
    CandidacyFactory(offer=offer, status=Candidacy.Status.SENT)
    CandidacyFactory(offer=offer, status=Candidacy.Status.INTERVIEW)
    CandidacyFactory(offer=offer, status=Candidacy.Status.HIRED)
    client.force_login(facilitator)
    response = client.get(reverse("placements:offer_list"))
    rows = list(response.context["page"].object_list)
    assert [o.position for o in rows][-1] == "Coffreur"  # the filled offer comes last
    first = next(o for o in rows if o.pk == offer.pk)
    assert (first.proposed_count, first.awaiting_count, first.hired_count) == (1, 2, 1)
    summary = response.context["summary"]
    assert (summary["open"], summary["filled"], summary["cancelled"], summary["open_positions"]) == (3, 1, 0, 3)
    assert "3</strong> ouvertes" in html_of(response)


def test_employer_list_never_counts_proposed_candidacies(client, world, several_offers, employer):
    CandidacyFactory(offer=world["offer"], status=Candidacy.Status.PROPOSED)
    CandidacyFactory(offer=world["offer"], status=Candidacy.Status.SENT)
    client.force_login(employer)
    response = client.get(reverse("placements:offer_list"))
    assert {o.position for o in response.context["page"].object_list} == {"Maçon ou maçonne", "Coffreur", "Terrassier"}
    mine = next(o for o in response.context["page"].object_list if o.pk == world["offer"].pk)
    assert not hasattr(mine, "proposed_count") and mine.awaiting_count == 1
    assert "Proposées" not in html_of(response)


def test_new_offer_chooser_redirects_to_the_form_of_an_editable_lot(client, world, facilitator):
    # The chooser offers the lots still running: this one until the end of next year, whatever the day.
    end = date(timezone.localdate().year + 1, 12, 31)
    Contract.objects.filter(pk=world["lot"].contract_id).update(end_date=end)
    Lot.objects.filter(pk=world["lot"].pk).update(end_date=end)
    client.force_login(facilitator)
    response = client.get(reverse("placements:offer_list"), {"lot": world["lot"].pk})
    assert response.status_code == 302
    assert response.url == reverse("placements:offer_create", args=[world["lot"].pk])
    foreign_lot = ClauseFactory(
        lot__contract__operation__facilitation_body=OrganisationFactory(kind="facilitation_body")
    )
    response = client.get(reverse("placements:offer_list"), {"lot": foreign_lot.lot.pk})
    assert response.status_code == 200
    assert "Vous ne pouvez pas créer d'offre sur ce lot." in html_of(response)


def test_employer_has_no_new_offer_chooser(client, world, employer):
    client.force_login(employer)
    response = client.get(reverse("placements:offer_list"), {"lot": world["lot"].pk})
    assert response.status_code == 200 and response.context["new_offer_form"] is None


LIST_QUERIES = 12


def test_list_query_count_does_not_grow(client, world, facilitator, django_assert_num_queries):
    client.force_login(facilitator)
    with django_assert_num_queries(LIST_QUERIES):
        client.get(reverse("placements:offer_list"))
    for index in range(12):
        offer = JobOfferFactory(lot=world["lot"], employer=world["company"], start_date=date(2026, 1 + index, 5))
        CandidacyFactory(offer=offer, status=Candidacy.Status.SENT)
    with django_assert_num_queries(LIST_QUERIES):
        response = client.get(reverse("placements:offer_list"))
    assert len(response.context["page"].object_list) == 13


# The detail page ---------------------------------------------------------------------------


@pytest.fixture
def candidacies(world):
    offer = world["offer"]
    return {
        "proposed": CandidacyFactory(
            offer=offer, participant=eligible_participant(last_name="Proposé"), status="proposed"
        ),
        "sent": CandidacyFactory(offer=offer, participant=eligible_participant(last_name="Transmis"), status="sent"),
        "hired": CandidacyFactory(offer=offer, participant=eligible_participant(last_name="Embauché"), status="hired"),
    }


def test_facilitator_sees_every_candidacy_with_links_and_criteria(client, world, candidacies, facilitator):
    CriterionFactory(participant=candidacies["sent"].participant, criterion="QPV")
    client.force_login(facilitator)
    response = client.get(reverse("placements:offer_detail", args=[world["offer"].pk]))
    page = html_of(response)
    assert [c.pk for c, _ in response.context["rows"]] == [c.pk for c in candidacies.values()]
    for candidacy in candidacies.values():
        assert reverse("placements:participant_detail", args=[candidacy.participant_id]) in page
    assert CRITERIA["QPV"] in page
    assert f"{reverse('placements:placement_create')}?candidacy={candidacies['hired'].pk}" in page
    assert reverse("placements:candidacy_update", args=[candidacies["proposed"].pk]) in page
    assert "Proposée" in page and "Transmise à l'employeur" in page and "Embauchée" in page


def test_employer_sees_only_the_candidacies_sent_to_it_and_no_eligibility(client, world, candidacies, employer):
    client.force_login(employer)
    response = client.get(reverse("placements:offer_detail", args=[world["offer"].pk]))
    page = html_of(response)
    assert [c.pk for c, _ in response.context["rows"]] == [candidacies["sent"].pk, candidacies["hired"].pk]
    assert "Proposé" not in page.replace("Proposer", "")
    assert "RSA" not in page
    assert not any(label in page for label in CRITERIA.values())
    assert reverse("placements:participant_detail", args=[candidacies["sent"].participant_id]) not in page
    assert reverse("placements:placement_create") not in page
    assert reverse("placements:employer_candidacy_answer", args=[candidacies["sent"].pk]) in page
    assert reverse("placements:employer_candidacy_answer", args=[candidacies["hired"].pk]) not in page


DETAIL_QUERIES = 9


def test_detail_query_count_does_not_grow_with_candidacies(client, world, facilitator, django_assert_num_queries):
    offer = world["offer"]
    CandidacyFactory(offer=offer, status="hired")
    client.force_login(facilitator)
    with django_assert_num_queries(DETAIL_QUERIES):
        client.get(reverse("placements:offer_detail", args=[offer.pk]))
    for status in ["proposed", "sent", "interview", "refused", "withdrawn"] * 2:
        candidacy = CandidacyFactory(offer=offer, status=status)
        CriterionFactory(participant=candidacy.participant, criterion="QPV")
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("placements:offer_detail", args=[offer.pk]))
    assert len(response.context["rows"]) == 11
