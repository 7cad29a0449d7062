"""The allowed transitions of a candidacy: pure rules, no database."""

import pytest

from placements import candidacy_flow as flow
from placements.models import Candidacy


def test_flow_statuses_are_the_model_statuses():
    assert set(flow.STATUSES) == set(Candidacy.Status.values)


@pytest.mark.parametrize(
    "status, action, result",
    [
        ("proposed", "send", "sent"),
        ("proposed", "withdraw", "withdrawn"),
        ("sent", "interview", "interview"),
        ("sent", "hire", "hired"),
        ("sent", "refuse", "refused"),
        ("sent", "withdraw", "withdrawn"),
        ("interview", "interview", "interview"),  # a new date
        ("interview", "hire", "hired"),
        ("interview", "refuse", "refused"),
        ("interview", "withdraw", "withdrawn"),
    ],
)
def test_allowed_transitions(status, action, result):
    assert flow.target(status, action) == result


@pytest.mark.parametrize(
    "status, action",
    [
        ("hired", "send"),
        ("hired", "withdraw"),
        ("hired", "refuse"),
        ("refused", "hire"),
        ("refused", "send"),
        ("withdrawn", "send"),
        ("withdrawn", "interview"),
        ("sent", "send"),
        ("interview", "send"),
        ("proposed", "hire"),
        ("proposed", "interview"),
        ("proposed", "refuse"),
        ("sent", "unknown"),
    ],
)
def test_forbidden_transitions(status, action):
    assert flow.target(status, action) is None


def test_final_statuses_allow_nothing():
    for status in flow.FINAL:
        assert flow.allowed_actions(status, flow.FACILITATOR) == []
        assert flow.allowed_actions(status, flow.EMPLOYER) == []


def test_actions_of_each_actor():
    assert flow.allowed_actions("proposed", flow.FACILITATOR) == ["send", "withdraw"]
    assert flow.allowed_actions("sent", flow.FACILITATOR) == ["interview", "hire", "refuse", "withdraw"]
    # Employers never see a proposed candidacy, and never send or withdraw.
    assert flow.allowed_actions("proposed", flow.EMPLOYER) == []
    assert flow.allowed_actions("sent", flow.EMPLOYER) == ["interview", "hire", "refuse"]
    assert flow.allowed_actions("interview", flow.EMPLOYER) == ["interview", "hire", "refuse"]
    assert flow.allowed_actions("sent", "buyer") == []


def test_problem_explains_in_french():
    assert flow.problem("proposed", "send", flow.FACILITATOR) is None
    assert flow.problem("hired", "send", flow.FACILITATOR) == (
        "Impossible de transmettre la candidature à l'employeur : la candidature est déjà conclue par une embauche. "
        "Elle ne peut plus changer."
    )
    assert flow.problem("sent", "send", flow.FACILITATOR) == (
        "Impossible de transmettre la candidature à l'employeur : la candidature est déjà transmise à l'employeur."
    )
    assert flow.problem("refused", "hire", flow.EMPLOYER) == (
        "Impossible d'enregistrer une embauche : la candidature est déjà refusée. Elle ne peut plus changer."
    )
    assert flow.problem("sent", "withdraw", flow.EMPLOYER) == "Cette action n'est pas possible ici."
    assert flow.problem("sent", "send", flow.EMPLOYER) == "Cette action n'est pas possible ici."


def test_every_action_has_a_label_and_a_message_for_every_status():
    for action in flow.TRANSITIONS:
        assert flow.ACTION_LABELS[action]
        for status in flow.STATUSES:
            message = flow.problem(status, action, flow.FACILITATOR)
            assert message is None or message.startswith("Impossible d")
