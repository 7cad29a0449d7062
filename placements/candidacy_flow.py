"""What may happen to a candidacy, and who may do it: pure rules, no database.

The statuses are the values of ``Candidacy.Status``:

    proposed ──send──▶ sent ──interview──▶ interview ──hire──▶ hired
        │               │  ╲                   │  ╲
        │               │   ╲──hire──▶ hired   │   ╲──refuse──▶ refused
        │               ╰──refuse──▶ refused   ╰──interview (new date)
        ╰──withdraw──▶ withdrawn  (also from sent and interview)

The facilitator sends, withdraws and may record the employer's answers on their behalf; the
employer answers in the portal (interview, hired, refused). Hired, refused and withdrawn are
final: the placement of a hired person is created by the facilitator, from the hired candidacy.
"""

PROPOSED = "proposed"
SENT = "sent"
INTERVIEW = "interview"
HIRED = "hired"
REFUSED = "refused"
WITHDRAWN = "withdrawn"

STATUSES = (PROPOSED, SENT, INTERVIEW, HIRED, REFUSED, WITHDRAWN)
FINAL = frozenset({HIRED, REFUSED, WITHDRAWN})
# What the employer still has to answer.
AWAITING_ANSWER = frozenset({SENT, INTERVIEW})

SEND = "send"
WITHDRAW = "withdraw"
SCHEDULE_INTERVIEW = "interview"
HIRE = "hire"
REFUSE = "refuse"

# action: (statuses it starts from, status it leads to)
TRANSITIONS = {
    SEND: (frozenset({PROPOSED}), SENT),
    WITHDRAW: (frozenset({PROPOSED, SENT, INTERVIEW}), WITHDRAWN),
    SCHEDULE_INTERVIEW: (AWAITING_ANSWER, INTERVIEW),
    HIRE: (AWAITING_ANSWER, HIRED),
    REFUSE: (AWAITING_ANSWER, REFUSED),
}

FACILITATOR = "facilitator"
EMPLOYER = "employer"
ACTIONS_OF = {
    FACILITATOR: (SEND, SCHEDULE_INTERVIEW, HIRE, REFUSE, WITHDRAW),
    EMPLOYER: (SCHEDULE_INTERVIEW, HIRE, REFUSE),
}

ACTION_LABELS = {
    SEND: "Transmettre la candidature à l'employeur",
    SCHEDULE_INTERVIEW: "Entretien prévu",
    HIRE: "Embauche",
    REFUSE: "Refus",
    WITHDRAW: "Retirer la candidature",
}
# "Impossible de … : la candidature est …"
_ACTION_VERBS = {
    SEND: "transmettre la candidature à l'employeur",
    SCHEDULE_INTERVIEW: "prévoir un entretien",
    HIRE: "enregistrer une embauche",
    REFUSE: "enregistrer un refus",
    WITHDRAW: "retirer la candidature",
}
_STATUS_WORDS = {
    PROPOSED: "seulement proposée (pas encore transmise à l'employeur)",
    SENT: "déjà transmise à l'employeur",
    INTERVIEW: "déjà en entretien",
    HIRED: "déjà conclue par une embauche",
    REFUSED: "déjà refusée",
    WITHDRAWN: "retirée",
}


def target(status, action):
    """The status an action leads to from ``status``, or None when it is not allowed."""
    sources, result = TRANSITIONS.get(action, (frozenset(), None))
    return result if status in sources else None


def allowed_actions(status, actor):
    """The actions ``actor`` (FACILITATOR or EMPLOYER) may take on a candidacy in ``status``."""
    return [action for action in ACTIONS_OF.get(actor, ()) if target(status, action) is not None]


def problem(status, action, actor):
    """The French message explaining why ``actor`` may not take ``action`` now, or None."""
    if action not in ACTIONS_OF.get(actor, ()):
        return "Cette action n'est pas possible ici."
    if target(status, action) is None:
        verb = _ACTION_VERBS[action]
        of = "d'" if verb[0] in "aeéiou" else "de "
        message = f"Impossible {of}{verb} : la candidature est {_STATUS_WORDS[status]}."
        if status in FINAL:
            message += " Elle ne peut plus changer."
        return message
    return None
