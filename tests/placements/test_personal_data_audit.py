"""The audit trail: every change to participants, criteria, placements, declarations, their lines
and validations, and lots is kept with who, when and what; administrators read it in the admin."""

from datetime import date

import pytest
from django.urls import reverse

from clauses.models import Lot
from partners.roles import Role
from placements.models import (
    DeclarationLine,
    DeclarationProof,
    EligibilityCriterion,
    MonthlyDeclaration,
    Outcome,
    Participant,
    Placement,
)
from portal.declaration_services import submit
from tests.placements.factories import CriterionFactory, ParticipantFactory, PlacementFactory, declared_month
from tests.placements.test_participants_form import existing_row, update_data
from tests.portal.test_validation_support import add_proof, build_world, review_url

MODELS_WITH_HISTORY = [
    Participant,
    EligibilityCriterion,
    Placement,
    Outcome,
    MonthlyDeclaration,
    DeclarationLine,
    DeclarationProof,
    Lot,
]


@pytest.mark.parametrize("model", MODELS_WITH_HISTORY)
def test_every_audited_model_keeps_its_history(model):
    assert hasattr(model, "history"), model


def test_a_change_through_the_participant_form_records_the_user_and_the_change(client, facilitator):
    participant = ParticipantFactory(first_name="Karim", last_name="Lopez", birth_date=date(1984, 2, 20))
    rsa = CriterionFactory(participant=participant, criterion="RSA", validated_by=facilitator)
    client.force_login(facilitator)
    url = reverse("placements:participant_update", args=[participant.pk])
    rows = [{**existing_row(rsa), "proof": "Attestation CAF de mars"}]
    response = client.post(url, update_data(participant, rows, 1, phone="06 01 02 03 04"))
    assert response.status_code == 302

    latest = participant.history.latest()
    assert latest.history_type == "~" and latest.history_user == facilitator
    assert latest.phone == "06 01 02 03 04"
    delta = latest.diff_against(latest.prev_record)
    assert "phone" in delta.changed_fields
    criterion = EligibilityCriterion.history.filter(id=rsa.pk).latest()
    assert criterion.history_user == facilitator and criterion.proof == "Attestation CAF de mars"


def test_a_validation_records_the_facilitator_on_the_line_and_the_declaration(client, users_by_role, facilitator):
    world = build_world(users_by_role)
    line = world["lines"]["samira"]
    client.force_login(facilitator)
    response = client.post(review_url(line.declaration), {"lines": [line.pk], "decision": "validated"})
    assert response.status_code == 302
    kept = DeclarationLine.history.filter(id=line.pk).latest()
    assert kept.status == "validated" and kept.history_user == facilitator and kept.reviewed_by_id == facilitator.pk
    declaration = MonthlyDeclaration.history.filter(id=line.declaration_id).latest()
    assert declaration.history_user == facilitator
    assert declaration.revision == MonthlyDeclaration.objects.get(pk=line.declaration_id).revision


def test_a_submission_is_kept_in_each_line_history(employer):
    company = employer.memberships.get().organisation
    placement = PlacementFactory(employer=company)
    line = declared_month(placement, "35", status="draft")
    declaration = line.declaration
    add_proof(declaration)
    declaration.refresh_from_db()
    submit(declaration, employer, declaration.revision)
    states = list(DeclarationLine.history.filter(id=line.pk).order_by("history_date").values_list("status", flat=True))
    assert states == ["draft", "pending"]
    assert MonthlyDeclaration.history.filter(id=declaration.pk).latest().status == "submitted"


@pytest.mark.parametrize(
    "model_name", ["participant", "eligibilitycriterion", "placement", "monthlydeclaration", "declarationline"]
)
def test_administrators_read_the_history_in_the_admin(client, users_by_role, administrator, model_name):
    world = build_world(users_by_role)
    line = world["lines"]["samira"]
    objects = {
        "participant": line.placement.participant,
        "eligibilitycriterion": line.placement.participant.criteria.first(),
        "placement": line.placement,
        "monthlydeclaration": line.declaration,
        "declarationline": line,
    }
    url = reverse(f"admin:placements_{model_name}_history", args=[objects[model_name].pk])
    client.force_login(administrator)
    assert client.get(url).status_code == 200
    client.force_login(users_by_role[Role.FACILITATOR])
    assert client.get(url).status_code == 302  # the admin is for administrators only
