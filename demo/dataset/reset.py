"""Finding and deleting the generated dataset (and nothing else)."""

import time
from collections import Counter

from django.db import transaction
from django.db.models import Q

from clauses.models import Clause, Contract, InvoicedAmount, Lot, LotAward, Operation
from partners.models import (
    AwarenessAction,
    Commune,
    Epci,
    Organisation,
    Sector,
    User,
)
from placements.models import (
    Candidacy,
    DeclarationLine,
    DeclarationProof,
    EligibilityCriterion,
    FollowUp,
    JobOffer,
    MonthlyDeclaration,
    Outcome,
    Participant,
    PersonalDataAccess,
    Placement,
)

from .config import EMAIL_DOMAIN, MARKER, SYNTHETIC_INSEE_PREFIX, SYNTHETIC_SIREN_PREFIX


def has_generated_data():
    return (
        Organisation.objects.filter(notes__startswith=MARKER).exists()
        or Operation.objects.filter(description__startswith=MARKER).exists()
        or Participant.objects.filter(notes__startswith=MARKER).exists()
        or User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").exists()
        or AwarenessAction.objects.filter(notes__startswith=MARKER).exists()
        or Commune.objects.filter(insee_code__startswith=SYNTHETIC_INSEE_PREFIX).exists()
    )


def _raw_delete(queryset):
    """One DELETE statement, without Django's collector: no signals (so no history rows) and no
    loading of hundreds of thousands of objects. The caller deletes the children first."""
    return queryset._raw_delete(queryset.db)


def delete_generated(log=None):
    """Remove every generated row (see the module's docstring) and nothing else."""
    say = log or (lambda message: None)
    started = time.monotonic()
    orgs = Organisation.objects.filter(notes__startswith=MARKER)
    people = Participant.objects.filter(notes__startswith=MARKER)
    operations = Operation.objects.filter(description__startswith=MARKER)
    users = User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    actions = AwarenessAction.objects.filter(notes__startswith=MARKER)
    communes = Commune.objects.filter(insee_code__startswith=SYNTHETIC_INSEE_PREFIX)
    epcis = Epci.objects.filter(siren__startswith=SYNTHETIC_SIREN_PREFIX, name__startswith="Département ")
    sectors = Sector.objects.filter(description__startswith=MARKER)
    lots = Lot.objects.filter(contract__operation__in=operations)
    placements = Placement.objects.filter(Q(lot__in=lots) | Q(participant__in=people) | Q(employer__in=orgs))
    declarations = MonthlyDeclaration.objects.filter(employer__in=orgs)
    offers = JobOffer.objects.filter(Q(lot__in=lots) | Q(employer__in=orgs))
    deleted = Counter()
    with transaction.atomic():
        steps = [
            ("lignes", DeclarationLine.objects.filter(Q(placement__in=placements) | Q(declaration__in=declarations))),
            ("justificatifs", DeclarationProof.objects.filter(declaration__in=declarations)),
            ("déclarations", declarations),
            ("suivis", FollowUp.objects.filter(placement__in=placements)),
            ("sorties", Outcome.objects.filter(placement__in=placements)),
            ("mises à l'emploi", placements),
            ("candidatures", Candidacy.objects.filter(Q(participant__in=people) | Q(offer__in=offers))),
            ("offres", offers),
            ("critères", EligibilityCriterion.objects.filter(participant__in=people)),
            ("métiers souhaités", Participant.wished_trades.through.objects.filter(participant__in=people)),
            ("accès aux données", PersonalDataAccess.objects.filter(Q(participant__in=people) | Q(user__in=users))),
            ("participants", people),
            ("montants facturés", InvoicedAmount.objects.filter(lot__in=lots)),
            ("attributions", LotAward.objects.filter(Q(lot__in=lots) | Q(company__in=orgs))),
            ("clauses", Clause.objects.filter(lot__in=lots)),
            ("lots", lots),
            ("marchés", Contract.objects.filter(operation__in=operations)),
            ("opérations", operations),
            ("publics des actions", AwarenessAction.audiences.through.objects.filter(awarenessaction__in=actions)),
            (
                "organisations des actions",
                AwarenessAction.organisations.through.objects.filter(
                    Q(awarenessaction__in=actions) | Q(organisation__in=orgs)
                ),
            ),
            ("actions", actions),
        ]
        for label, queryset in steps:
            deleted[label] = _raw_delete(queryset)
        Operation.objects.filter(facilitation_body__in=orgs).update(facilitation_body=None)
        Organisation.objects.filter(federation__in=orgs).exclude(notes__startswith=MARKER).update(federation=None)
        deleted["comptes"] = users.delete()[1].get(User._meta.label, 0)
        deleted["organisations"] = orgs.delete()[1].get(Organisation._meta.label, 0)
        deleted["secteurs"] = sectors.delete()[1].get(Sector._meta.label, 0)
        deleted["communes"] = communes.delete()[1].get(Commune._meta.label, 0)
        deleted["EPCI"] = epcis.delete()[1].get(Epci._meta.label, 0)
    say(
        f"Jeu généré supprimé en {time.monotonic() - started:.1f} s : "
        + ", ".join(f"{k} {v}" for k, v in deleted.items() if v)
    )
    return dict(deleted)
