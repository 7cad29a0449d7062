"""Demo people and their paths: eligibility, offers, candidacies in every status, placements
running and ended, follow-ups done and due, outcomes recorded and overdue.

Idempotent: participants are found by name and birth date, offers by (lot, position), candidacies
by (offer, participant), placements by (participant, lot). Dates are relative to the first seeding.
"""

from datetime import date, timedelta
from decimal import Decimal as D

from django.utils import timezone

from clauses.models import Trade
from common.dates import today
from partners.models import Commune, Organisation, User

from .models import Candidacy, EligibilityCriterion, FollowUp, JobOffer, Outcome, Participant, Placement
from .services import save_placement

# first name, last name, birth date, sex, commune, education, mobility, RSA at entry, criteria
PEOPLE = [
    ("Samira", "Haddad", date(1986, 3, 14), "F", "01053", "cap_bep", "public_transport", True, ["RSA"]),
    ("Kevin", "Morel", date(2003, 9, 2), "M", "01053", "none", "licence", False, ["JEUNE", "QPV"]),
    ("Nathalie", "Rey", date(1972, 11, 23), "F", "01004", "bac", "vehicle", True, ["RSA", "SENIOR"]),
    ("Mamadou", "Diallo", date(1991, 6, 5), "M", "01283", "cap_bep", "public_transport", False, ["DELD"]),
    ("Sébastien", "Girod", date(1979, 1, 30), "M", "01093", "cap_bep", "vehicle", True, ["RSA"]),
    ("Laetitia", "Bouvier", date(1995, 12, 8), "F", "01306", "bac", "licence", False, ["TH"]),
    ("Rachid", "Benkhaled", date(1968, 4, 17), "M", "01053", "none", "public_transport", True, ["RSA", "SENIOR"]),
    ("Émilie", "Carron", date(1999, 2, 11), "F", "01427", "bac_2", "vehicle", False, ["DELD"]),
    ("Jordan", "Perret", date(2004, 7, 21), "M", "01244", "none", "none", False, ["JEUNE"]),
    ("Fatou", "Ndiaye", date(1988, 10, 3), "F", "01053", "cap_bep", "public_transport", True, ["RSA", "QPV"]),
    ("Thierry", "Vuillermoz", date(1975, 5, 27), "M", "01283", "cap_bep", "vehicle", False, ["AAH", "TH"]),
    ("Inès", "Mercier", date(2001, 8, 16), "F", "01004", "bac", "public_transport", False, ["IAE"]),
]


WISHED_TRADES = {
    "Samira": ["Gros œuvre, maçonnerie"],
    "Kevin": ["Voirie et réseaux divers (VRD)", "Terrassement"],
    "Nathalie": ["Nettoyage des locaux"],
    "Mamadou": ["Gros œuvre, maçonnerie", "Plâtrerie, cloisons, faux plafonds"],
    "Sébastien": ["Plâtrerie, cloisons, faux plafonds", "Peinture intérieure"],
    "Laetitia": ["Menuiseries intérieures et extérieures"],
    "Rachid": ["Plâtrerie, cloisons, faux plafonds"],
    "Émilie": ["Entretien des espaces verts"],
    "Jordan": ["Terrassement"],
    "Fatou": ["Nettoyage des locaux", "Restauration collective"],
    "Thierry": ["Électricité"],
    "Inès": ["Entretien des espaces verts"],
}


def _participant(spec, department, facilitator, prescriber, base):
    first, last, birth, sex, insee, education, mobility, rsa, criteria = spec
    participant, created = Participant.objects.get_or_create(
        first_name=first,
        last_name=last,
        birth_date=birth,
        defaults={
            "sex": sex,
            "commune": Commune.objects.get(insee_code=insee),
            "education_level": education,
            "mobility": mobility,
            "rsa_at_entry": rsa,
            "prescriber": prescriber,
            "referent": "Référente RSA du CDS" if rsa else "",
            "data_information_date": base - timedelta(days=400),
            "facilitation_body": department,
            "availability": "Immédiate",
        },
    )
    if created:
        trades = WISHED_TRADES.get(first, [])
        participant.wished_trades.set(Trade.objects.filter(name__in=trades))
        for code in criteria:
            EligibilityCriterion.objects.create(
                participant=participant,
                criterion=code,
                assessed_on=base - timedelta(days=400),
                proof="Attestation CAF" if code == "RSA" else "",
                confirming_prescriber=None if code == "RSA" else prescriber,
                validated_by=facilitator,
            )
    return participant


def _aware(day):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 9, 0))


def _offer(lot, employer, position, rome, contract_type, start, status=JobOffer.Status.OPEN, positions=1):
    offer, _ = JobOffer.objects.get_or_create(
        lot=lot,
        position=position,
        defaults={
            "employer": employer,
            "rome_code": rome,
            "tasks": "Travaux du lot sous la conduite du chef d'équipe ; respect des consignes de sécurité.",
            "skills": "Ponctualité, travail en équipe ; une première expérience est un plus.",
            "contract_type": contract_type,
            "positions": positions,
            "weekly_hours": D("35"),
            "start_date": start,
            "place": lot.contract.operation.commune,
            "status": status,
        },
    )
    return offer


def _candidacy(offer, participant, status, facilitator, **fields):
    candidacy, created = Candidacy.objects.get_or_create(
        offer=offer, participant=participant, defaults={"status": status, "proposed_by": facilitator, **fields}
    )
    if created:
        # Proposed three weeks before the offer's start, as a facilitator would.
        Candidacy.objects.filter(pk=candidacy.pk).update(created_at=_aware(offer.start_date - timedelta(days=21)))
    return candidacy


def _placement(participant, lot, employer, mode, contract_type, start, end, candidacy=None, facilitator=None):
    existing = Placement.objects.filter(participant=participant, lot=lot).first()
    if existing:
        return existing
    placement = Placement(
        participant=participant,
        lot=lot,
        employer=employer,
        candidacy=candidacy,
        mode=mode,
        contract_type=contract_type,
        start_date=max(start, lot.start_date),
        end_date=min(end, lot.end_date) if end else None,
        weekly_hours=D("35"),
        contract_signed=True,
        eligibility_proof_filed=True,
        start_confirmed=start <= today(),
    )
    return save_placement(placement, facilitator)


def _record(placement, moment, situation, rsa_status, facilitator):
    outcome = Outcome.objects.filter(placement=placement, moment=moment, recorded_on__isnull=True).first()
    if outcome and outcome.due_date <= today():
        outcome.situation, outcome.rsa_status = situation, rsa_status
        outcome.recorded_on, outcome.recorded_by = outcome.due_date, facilitator
        outcome.save()


def seed(context):
    base = today()
    department = Organisation.objects.department().get()
    facilitator = User.objects.get(email="facilitatrice@clausier.demo")
    organisations = context["organisations"]
    prescriber = organisations["France Travail Bourg-en-Bresse"]
    people = [_participant(spec, department, facilitator, prescriber, base) for spec in PEOPLE]
    lots = context["lots"]
    college, pont_de_vaux, isolation, menuiseries, siae_lot = lots[0], lots[3], lots[4], lots[5], lots[6]
    cleaning, hospital = lots[8], lots[11]
    batir = organisations["Bâtir Bresse Construction"]
    proprete = organisations["Propreté Ain Services"]
    etti = organisations["Ain Intérim Insertion (ETTI)"]
    aci = organisations["Tremplin Bresse (ACI)"]

    mason = _offer(
        college,
        batir,
        "Maçon ou maçonne",
        "F1703",
        "cdd",
        college.start_date + timedelta(days=30),
        JobOffer.Status.FILLED,
    )
    # Open offer on a lot the Département follows, so that its facilitator runs the pre-selection.
    facade = _offer(college, batir, "Coffreur ou coffreuse bancheur", "F1703", "cdd", base + timedelta(days=10))
    cleaner = _offer(
        cleaning,
        proprete,
        "Agent ou agente de propreté",
        "K2204",
        "cdi",
        cleaning.start_date + timedelta(days=60),
        JobOffer.Status.FILLED,
    )
    _offer(
        menuiseries,
        batir,
        "Poseur ou poseuse de menuiseries",
        "F1607",
        "cdd",
        base - timedelta(days=30),
        JobOffer.Status.CANCELLED,
    )
    _offer(
        pont_de_vaux,
        organisations["Maçonnerie Dombes Saône"],
        "Aide-maçon ou aide-maçonne",
        "F1703",
        "professionalisation",
        pont_de_vaux.start_date,
    )

    hired_mason = _candidacy(mason, people[0], Candidacy.Status.HIRED, facilitator)
    _candidacy(
        mason, people[3], Candidacy.Status.REFUSED, facilitator, refusal_reason=Candidacy.RefusalReason.POSITION_FILLED
    )
    hired_cleaner = _candidacy(cleaner, people[2], Candidacy.Status.HIRED, facilitator)
    _candidacy(facade, people[4], Candidacy.Status.SENT, facilitator)
    _candidacy(facade, people[6], Candidacy.Status.INTERVIEW, facilitator, interview_date=base + timedelta(days=3))
    _candidacy(facade, people[9], Candidacy.Status.PROPOSED, facilitator)
    _candidacy(facade, people[7], Candidacy.Status.WITHDRAWN, facilitator, comment="A trouvé un emploi ailleurs.")

    ended = _placement(
        people[0],
        college,
        batir,
        Placement.Mode.DIRECT_HIRE,
        "cdd",
        college.start_date + timedelta(days=30),
        college.start_date + timedelta(days=210),
        hired_mason,
        facilitator,
    )
    _placement(
        people[1],
        college,
        etti,
        Placement.Mode.PROVISION,
        "temporary",
        base - timedelta(days=120),
        base + timedelta(days=60),
        None,
        facilitator,
    )
    _placement(
        people[2],
        cleaning,
        proprete,
        Placement.Mode.DIRECT_HIRE,
        "cdi",
        cleaning.start_date + timedelta(days=60),
        None,
        hired_cleaner,
        facilitator,
    )
    overdue = _placement(
        people[10],
        hospital,
        batir,
        Placement.Mode.DIRECT_HIRE,
        "cdd",
        hospital.start_date + timedelta(days=100),
        hospital.end_date,
        None,
        facilitator,
    )
    _placement(
        people[11],
        siae_lot,
        aci,
        Placement.Mode.SUBCONTRACTING,
        "cddi",
        siae_lot.start_date + timedelta(days=10),
        base + timedelta(days=90),
        None,
        facilitator,
    )
    # Two people at work for the demo employer on every day of the year: last month's hours to
    # declare and this month's, whatever the day the demo is built (the college runs 900 days).
    _placement(
        people[3],
        college,
        batir,
        Placement.Mode.DIRECT_HIRE,
        "cdd",
        base - timedelta(days=150),
        base + timedelta(days=120),
        None,
        facilitator,
    )
    _placement(
        people[8],
        college,
        batir,
        Placement.Mode.DIRECT_HIRE,
        "professionalisation",
        base - timedelta(days=100),
        base + timedelta(days=180),
        None,
        facilitator,
    )
    apprentice = _placement(
        people[5],
        isolation,
        batir,
        Placement.Mode.DIRECT_HIRE,
        "apprenticeship",
        base - timedelta(days=200),
        base - timedelta(days=20),
        None,
        facilitator,
    )

    _record(ended, Outcome.Moment.EXIT, "long_fixed_term", Outcome.RsaStatus.LEFT, facilitator)
    _record(ended, Outcome.Moment.SIX_MONTHS, "cdi", Outcome.RsaStatus.LEFT, facilitator)
    _record(apprentice, Outcome.Moment.EXIT, "qualifying_training", Outcome.RsaStatus.NOT_CONCERNED, facilitator)
    for follow_up in FollowUp.objects.filter(placement__in=[ended, apprentice], done_on__isnull=True):
        if follow_up.due_date <= base:
            follow_up.done_on, follow_up.done_by = follow_up.due_date, facilitator
            follow_up.notes = "Entretien avec la personne et le chef de chantier : tout se passe bien."
            follow_up.save()
    context["participants"] = people
    context["placements"] = [ended, overdue, apprentice]
    context["facilitator"] = facilitator
    # The monthly declarations of these placements are seeded by portal/demo.py, next in the order.
    return context
