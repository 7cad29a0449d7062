"""Accept, merge, dismiss and undo: what each decision writes, all or nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from clauses.models import Contract, Lot, LotAward, Operation
from partners.models import Organisation
from partners.roles import Role
from procurement import review_services
from procurement.models import PublishedContract
from tests.clauses.factories import LotFactory
from tests.procurement.factories import PublishedContractFactory

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def accept_data(published, **changes):
    values = review_services.proposed_values(published)
    data = {
        "operation_title": values["operation_title"],
        "contract_title": values["contract_title"],
        "reference": values["reference"],
        "commune": values["commune"].pk,
        "trade": values["trade"].pk if values["trade"] else "",
        "sector": "",
        "notification_date": values["notification_date"].isoformat(),
        "start_date": values["start_date"].isoformat(),
        "end_date": values["end_date"].isoformat(),
    }
    data.update(changes)
    return data


def test_the_confirmation_form_is_pre_filled_from_the_decp(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    response = client.get(reverse("procurement:review_accept", args=[world["new"].pk]))
    form = response.context["form"]
    assert form.initial["commune"].name == "Miribel"  # postal code 01700, the most populated commune
    assert form.initial["trade"].name == "Entretien des espaces verts"  # CPV 77310000
    assert form.initial["sector"] == "green_spaces"
    assert form.initial["start_date"] == date(2026, 9, 1)
    assert form.initial["end_date"] == date(2029, 8, 31)  # 36 months
    assert form.initial["reference"] == world["new"].decp_id
    assert Operation.objects.count() == 1  # nothing created by opening the page


def test_accepting_creates_operation_contract_lot_and_holder_in_one_go(client, world):
    published = world["new"]
    published.social_considerations = "Critère social"
    published.save()
    client.force_login(world["users"][Role.FACILITATOR])
    response = client.post(
        reverse("procurement:review_accept", args=[published.pk]),
        accept_data(published, operation_title="Espaces verts de Miribel"),
    )
    lot = Lot.objects.get(contract__reference=published.decp_id)
    assert response.status_code == 302 and response["Location"] == reverse("clauses:lot_detail", args=[lot.pk])
    operation = lot.contract.operation
    assert operation.title == "Espaces verts de Miribel"
    assert operation.commune.name == "Miribel"
    assert operation.facilitation_body == Organisation.objects.department().get()
    assert operation.buyer.kind == "contracting_authority"
    assert operation.buyer.name == "Commune de Miribel" and operation.buyer.siret == "21010283500017"
    contract = lot.contract
    assert contract.title == published.subject and contract.procedure == Contract.Procedure.ADAPTED
    assert (contract.notification_date, contract.start_date, contract.end_date) == (
        date(2026, 9, 1),
        date(2026, 9, 1),
        date(2029, 8, 31),
    )
    assert lot.amount_excl_tax == Decimal("90000") and lot.number == "1"
    assert lot.trade.name == "Entretien des espaces verts" and lot.sector == "green_spaces"
    holder = LotAward.objects.get(lot=lot)
    assert holder.role == "holder" and holder.company.name == "Jardins de l'Ain" and holder.company.kind == "company"
    assert not hasattr(lot, "clause") or lot.clause is None
    published.refresh_from_db()
    assert published.review_status == "accepted" and published.lot == lot and published.contract == contract
    assert published.reviewed_by == world["users"][Role.FACILITATOR] and published.reviewed_at is not None
    assert "sont créés, attribué à Jardins de l'Ain." in messages_of(response)[0]
    latest = published.history.order_by("-history_date").first()
    assert latest.review_status == "accepted" and latest.history_user == world["users"][Role.FACILITATOR]


def test_a_published_social_clause_sends_the_facilitator_to_write_the_clause(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["new"]  # « Clause sociale »
    response = client.post(reverse("procurement:review_accept", args=[published.pk]), accept_data(published))
    lot = Lot.objects.get(contract__reference=published.decp_id)
    assert response["Location"] == reverse("clauses:lot_update", args=[lot.pk])
    assert "écrivez maintenant la clause du lot" in messages_of(response)[0]
    assert not Lot.objects.filter(pk=lot.pk, clause__isnull=False).exists()  # no hours invented


def test_the_buyer_and_the_holder_already_known_are_reused(client, world, department):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["matching"]
    organisations = Organisation.objects.count()
    client.post(reverse("procurement:review_accept", args=[published.pk]), accept_data(published))
    lot = Lot.objects.get(contract__reference=published.decp_id)
    assert lot.contract.operation.buyer == department
    assert LotAward.objects.get(lot=lot).company == world["company"]
    assert Organisation.objects.count() == organisations
    assert lot.trade.name == "Gros œuvre, maçonnerie"


def test_the_department_is_found_by_its_siren_when_its_siret_is_another(db, world, department):
    published = PublishedContractFactory(buyer_siret="22010001000027")
    assert review_services.buyer_organisation(published) == department


def test_an_unknown_place_falls_back_on_the_department_seat(world):
    published = PublishedContractFactory(place_code="01", place_code_type="Code département")
    assert review_services.commune_of(published).insee_code == "01053"


def test_bad_input_gets_french_errors_and_nothing_is_saved(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["new"]
    before = (Operation.objects.count(), Contract.objects.count(), Lot.objects.count(), Organisation.objects.count())
    response = client.post(
        reverse("procurement:review_accept", args=[published.pk]),
        accept_data(published, end_date="2026-01-01", operation_title="", trade="", sector=""),
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["end_date"] == ["La fin d'exécution doit suivre le début d'exécution."]
    assert errors["operation_title"] == ["Ce champ est obligatoire."]
    assert errors["sector"] == ["Choisissez un secteur ou un corps d'état."]
    assert "Le formulaire n'est pas enregistré" in response.content.decode()
    after = (Operation.objects.count(), Contract.objects.count(), Lot.objects.count(), Organisation.objects.count())
    assert after == before
    assert PublishedContract.objects.get(pk=published.pk).review_status == "new"


def test_a_failure_half_way_writes_nothing(world, monkeypatch):
    published = world["new"]
    values = review_services.proposed_values(published)

    def broken(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(review_services.LotAward.objects, "create", broken)
    before = (Operation.objects.count(), Organisation.objects.count())
    with pytest.raises(RuntimeError):
        review_services.accept(published, world["users"][Role.FACILITATOR], values)
    assert (Operation.objects.count(), Organisation.objects.count()) == before
    assert PublishedContract.objects.get(pk=published.pk).review_status == "new"


def test_a_contract_already_reviewed_cannot_be_accepted_again(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["new"]
    review_services.dismiss(published, world["users"][Role.FACILITATOR], "duplicate")
    response = client.get(reverse("procurement:review_accept", args=[published.pk]))
    assert response["Location"] == reverse("procurement:review_detail", args=[published.pk])
    response = client.post(reverse("procurement:review_accept", args=[published.pk]), accept_data(published))
    assert Operation.objects.count() == 1


def test_merging_with_the_proposed_lot(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["matching"]
    response = client.post(
        reverse("procurement:review_merge", args=[published.pk]), {"target": f"lot-{world['lot'].pk}"}
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.review_status == "merged"
    assert published.lot == world["lot"] and published.contract == world["lot"].contract
    assert "est rattaché au lot" in messages_of(response)[0]


def test_merging_by_reference_with_a_contract_of_one_lot(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["new"]
    client.post(reverse("procurement:review_merge", args=[published.pk]), {"reference": "cd01-2026-031"})
    published.refresh_from_db()
    assert published.review_status == "merged" and published.lot == world["lot"]


def test_merging_needs_one_target_the_user_may_see(client, world):
    client.force_login(world["users"]["other_facilitator"])
    published = world["matching"]
    url = reverse("procurement:review_merge", args=[published.pk])
    response = client.post(url, {"target": f"lot-{world['lot'].pk}"})
    assert response.status_code == 200
    assert response.context["merge_form"].errors["target"] == ["Ce lot n'existe pas ou vous ne le voyez pas."]
    response = client.post(url, {"reference": "CD01-2026-031"})
    assert response.context["merge_form"].errors["reference"] == ["Aucun marché que vous voyez n'a cette référence."]
    response = client.post(url, {})
    assert "l'un ou l'autre" in response.context["merge_form"].non_field_errors()[0]
    assert PublishedContract.objects.get(pk=published.pk).review_status == "new"


def test_merging_with_a_whole_contract_of_several_lots(client, world):
    LotFactory(contract=world["lot"].contract, number="2", amount_excl_tax=Decimal("10000"))
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["matching"]
    detail = client.get(reverse("procurement:review_detail", args=[published.pk])).content.decode()
    assert f'value="contract-{world["lot"].contract.pk}"' in detail
    client.post(
        reverse("procurement:review_merge", args=[published.pk]), {"target": f"contract-{world['lot'].contract.pk}"}
    )
    published.refresh_from_db()
    assert published.contract == world["lot"].contract and published.lot is None


def test_dismissing_with_a_reason(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    published = world["new"]
    url = reverse("procurement:review_dismiss", args=[published.pk])
    response = client.post(url, {"reason": "other"})
    assert response.context["dismiss_form"].errors["note"] == ["Précisez le motif."]
    response = client.post(url, {"reason": ""})
    assert response.context["dismiss_form"].errors["reason"] == ["Ce champ est obligatoire."]
    response = client.post(url, {"reason": "out_of_scope", "note": "Hors de l'Ain"})
    published.refresh_from_db()
    assert published.review_status == "dismissed" and published.dismissal_reason == "out_of_scope"
    assert published.review_note == "Hors de l'Ain"
    assert messages_of(response) == ["Le marché publié est écarté (« Hors périmètre »)."]


@pytest.mark.parametrize("decision", ["accept", "merge", "dismiss"])
def test_every_decision_can_be_undone(client, world, decision):
    user = world["users"][Role.FACILITATOR]
    published = world["matching"]
    if decision == "accept":
        review_services.accept(published, user, review_services.proposed_values(published))
    elif decision == "merge":
        review_services.merge(published, user, world["lot"].contract, world["lot"])
    else:
        review_services.dismiss(published, user, "no_insertion")
    client.force_login(user)
    response = client.post(reverse("procurement:review_undo", args=[published.pk]))
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.review_status == "new"
    assert (published.contract, published.lot, published.dismissal_reason) == (None, None, "")
    assert "de nouveau à examiner" in messages_of(response)[0]
    assert [entry.review_status for entry in published.history.order_by("history_date")][-2:] == [
        "accepted" if decision == "accept" else "merged" if decision == "merge" else "dismissed",
        "new",
    ]


def test_undoing_a_contract_to_review_says_so(client, world):
    client.force_login(world["users"][Role.FACILITATOR])
    response = client.post(reverse("procurement:review_undo", args=[world["new"].pk]))
    assert messages_of(response) == ["Ce marché est déjà à examiner."]
