"""A synthetic dataset for benchmarks and load tests: ``manage.py generate_dataset``.

Scales (``SCALES``; ``--years`` scales every count in proportion):

- ``department``: ten years of Ain, on its real communes and EPCI (loaded by the migrations):
  about 1,500 contracts, 4,000 lots, 3,000 participants, 5,000 placements, 60,000 current
  declaration lines (hours of one person in one month) and their monthly declarations.
- ``national``: one year of a hundred departments, ten times as many rows. Ain is department 01;
  the 99 others are synthetic: "Département 02" … "Département 100", each with 8 EPCI
  ("Département 02 — EPCI 3"), 10 communes per EPCI ("Département 02 — Commune 17", INSEE code
  "Z0017", SIREN starting with 9: nothing real looks like that), one departmental sector named
  after the department and one facilitation body that follows all its operations.
- ``tiny``: a few dozen of each, for the tests.

Every count of the scale is hit exactly (contracts, lots, participants, placements) except the
declaration lines: placement durations (two years at most) are calibrated (bisection on a factor)
so that the lines land near the target. Contracts start between ``years`` + L years before
``--today`` and six months after it, with a lead-in L of one year (two years for a one-year
dataset) so that the first year is already busy: a one-year national dataset therefore also
holds the start of the contracts, placements and hours that are running in that year. Lines stop
at the month before ``--today``.

Distributions (the figures the dashboards show come out of them):

- buyers (by operation): Département 22 %, communes 30 %, EPCI 14 %, social landlords 18 %,
  hospitals 6 %, SEM 4 %, State, region and others 2 % each; 1 to 3 contracts per operation;
  lots per contract 1 to 10 (mean ≈ 2.7); 8 % of contracts are purchase-order frameworks.
- lots by activity follow the operation's theme (building about half, then public works, cleaning,
  green spaces, services, waste, catering). 3 % of lots have no clause. Legal bases: execution
  condition ≈ 87 %, award criterion 5 %, reserved to SIAE ≈ 3 %, to EA/ESAT ≈ 2.5 %, insertion
  contracts 1.5 %, ESS 0.5 % (reservations are drawn more often for cleaning, green spaces,
  waste and services). Reserved lots are held by a structure of the right kind.
- hours methods: formula (most), cleaning coefficient (cleaning lots, some with transferred
  staff), hours per euro invoiced (60 % of framework lots, with quarterly invoices), percentage
  of hours worked (4 %); 8 % of lots carry contractual hours rounded by the buyer.
- required hours are set last, from the hours actually validated on each lot: 40 % of the lots
  that have started are behind schedule on ``--today`` (lots with nothing validated yet are
  behind by construction and count in the 40 %), the others on track or done. Amounts follow from
  the hours and a plausible insertion rate (5–20 %; 50–100 % for reserved lots).
- placements: lots drawn in proportion to their duration; modes direct hire 50 %, provision by
  an ETTI/AI/GEIQ 30 %, subcontracting to an SIAE/EA/ESAT 15 % (which adds a subcontractor
  award), training 5 %; contract types follow the mode and the employer (CDDI in SIAE, intérim in
  ETTI, professionalisation in GEIQ…); 35 h a week mostly, part time in cleaning and in ACI.
  Participants are chained: a person placed again takes a new placement after the end of the
  previous one, so some hours fall outside the 24-month counting window (``counted=False``).
- participants: women 30 % in building (12 % public works, 60 % cleaning and catering…); age at
  first placement < 26: 27 %, 26–49: 55 %, ≥ 50: 18 %; no diploma 32 %, CAP/BEP 38 %, bac 18 %,
  bac+2 7 %, bac+3 and more 5 %; RSA at entry ≈ 45 % (rare under 25); criteria: RSA, DELD 38 %,
  JEUNE (75 % of under-26), SENIOR (60 % of 50+), QPV 18 %, TH 8 % (always at an EA/ESAT), AAH,
  ASS, ATA, IAE, EPIDE/E2C, DEROGATION; everyone has at least one.
- monthly lines: weekly hours × 52 ÷ 12, pro rata of the days worked, 80–100 % attendance, to
  the half hour, never above 208 h nor outside the placement's dates. Last month: 8 % of
  declarations not sent yet, 10 % drafts, 55 % waiting for validation, the rest validated; the
  month before: 6 % waiting; older months validated. 3.5 % of lines were rejected and corrected
  (version 1 rejected and no longer current, version 2 current); 3 % of recent lines are rejected
  and wait for their correction.
- outcomes at exit (and 6 months later) for every placement with an end date, recorded when due
  (92 % at exit, 75 % at 6 months): about 55 % sorties dynamiques at exit, 57 % at 6 months, a
  few neutral exits; RSA status recorded for RSA beneficiaries. Follow-ups at the start, after one
  month and at the end, 93 % done once due.
- job offers for about 55 % of the placements (the hired candidacy is linked to the placement),
  up to three other candidacies each; open offers on running lots, a few cancelled ones.
- awareness actions: about 36 a year per department, 1 to 3 audiences, 5 to 150 people.
- accounts (one password for all, ``PASSWORD``): an administrator and a department reader of the
  Département, one facilitator per facilitation body, the five busiest employers and buyers.

Marking and reset: every generated row can be found again. Organisations, participants and
awareness actions have ``notes`` starting with ``MARKER``, operations a ``description`` starting
with it, synthetic sectors a ``description`` starting with it, synthetic communes an INSEE code
starting with "Z", synthetic EPCI a SIREN starting with 9 and a name starting with
"Département ", users an e-mail at ``EMAIL_DOMAIN``; everything else hangs from those.
``delete_generated()`` removes exactly that (the reference data of Ain, the demo data and
anything typed by hand stay), so ``--reset`` can replace a dataset without emptying the database.

Speed: rows are planned in memory, then written with ``bulk_create`` in batches of ``BATCH_SIZE``;
no ``save()``, no signals. django-simple-history records history on ``post_save`` only, so the
bulk inserts leave no history rows — which is fine for generated data; likewise the reset deletes
the big tables with one ``DELETE`` each (``_raw_delete``, children first), which skips
simple-history's ``post_delete`` rows too. Determinism: one ``random.Random(seed)``, every
query ordered, no iteration over sets; the same seed on the same reference data gives the same
rows (the primary keys depend on the database's sequences).
"""

import bisect
import heapq
import math
import random
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as day_time
from decimal import ROUND_CEILING, Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from faker.providers.person.fr_FR import Provider as FrenchNames

from clauses import computation, legal_bases
from clauses import hours as clause_hours
from clauses.models import Clause, Contract, HoursSettings, InvoicedAmount, Lot, LotAward, Operation, Trade
from common.text import search_key
from partners.identifiers import build_siren, build_siret
from partners.models import (
    Audience,
    AwarenessAction,
    Commune,
    CoverageRule,
    Epci,
    Membership,
    Organisation,
    Sector,
    User,
)
from partners.reference import DEPARTMENT_AGENCY_EPCIS
from partners.roles import Role
from placements import declaration_rules
from placements import outcomes as outcome_rules
from placements.eligibility import add_months, counting_window
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

MARKER = "[Jeu de données généré]"
EMAIL_DOMAIN = "jeu-genere.clausier.test"
PASSWORD = "Clausier-jeu-2026"
BATCH_SIZE = 5000
SYNTHETIC_INSEE_PREFIX = "Z"
SYNTHETIC_SIREN_PREFIX = "9"
BEHIND_SHARE = 0.40
EPCIS_PER_DEPARTMENT = 8
COMMUNES_PER_EPCI = 10
MAX_PLACEMENT_DAYS = 730  # two years on one lot at most

K = Organisation.Kind
B = Organisation.BuyerKind
S = Organisation.StructureKind
MODE = Placement.Mode
LINE = DeclarationLine.Status
BASIS = Clause.LegalBasis


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    departments: int
    contracts: int
    lots: int
    participants: int
    placements: int
    lines: int
    actions_per_year: int  # per department

    def for_years(self, years):
        """The same scale over ``years`` years: every count in proportion."""
        if not years or years == self.years:
            return self
        ratio = years / self.years

        def scaled(value):
            return max(1, round(value * ratio))

        return Scale(
            self.name,
            years,
            self.departments,
            scaled(self.contracts),
            max(scaled(self.lots), scaled(self.contracts)),
            scaled(self.participants),
            max(scaled(self.placements), scaled(self.participants)),
            scaled(self.lines),
            self.actions_per_year,
        )


SCALES = {
    "tiny": Scale("tiny", 2, 1, 12, 30, 25, 40, 320, 4),
    "department": Scale("department", 10, 1, 1_500, 4_000, 3_000, 5_000, 60_000, 36),
    "national": Scale("national", 1, 100, 15_000, 40_000, 30_000, 50_000, 600_000, 36),
}


class DatasetError(Exception):
    """Something prevents the generation; the message is in French for the command's user."""


# Records: rows planned in memory, written later. ``pk`` is filled once the row is inserted. -------


@dataclass(slots=True, eq=False)
class Ref:
    """A row that exists already (a real commune, the Département, a trade…)."""

    pk: int


@dataclass(slots=True, eq=False)
class EpciRec:
    name: str
    kind: str
    siren: str
    department: str
    communes: int
    population: int = 0
    pk: int | None = None


@dataclass(slots=True, eq=False)
class CommuneRec:
    name: str
    insee: str
    siren: str
    postal_code: str
    population: int
    epci: EpciRec
    pk: int | None = None


@dataclass(slots=True, eq=False)
class SectorRec:
    name: str
    epcis: list
    pk: int | None = None


@dataclass(slots=True, eq=False)
class Place:
    """A commune where operations happen and people live."""

    ref: object  # Ref or CommuneRec
    name: str
    population: int
    epci: object  # Ref or EpciRec
    sector: object  # Ref, SectorRec or None
    epci_siren: str


@dataclass(slots=True, eq=False)
class Org:
    name: str
    kind: str
    territory: int
    place: Place | None = None
    buyer_kind: str = ""
    epci: object = None
    agency: bool = False
    naf: str = ""
    size: str = ""
    sector: str = ""
    structure_kind: str = ""
    provides_staff: bool = False
    subcontracts: bool = False
    service_kind: str = ""
    siret: str = ""
    federation: object = None
    served_epcis: list = field(default_factory=list)
    coverage: list = field(default_factory=list)  # facilitation bodies: sectors or EPCI they cover
    weight: float = 1.0
    real: bool = False
    pk: int | None = None


@dataclass(slots=True, eq=False)
class UserRec:
    email: str
    first_name: str
    last_name: str
    role: str
    organisation: Org
    pk: int | None = None


@dataclass(slots=True, eq=False)
class OperationRec:
    buyer: Org
    place: Place
    title: str
    manager: str
    body: Org | None
    territory: int
    start: date = None
    end: date = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class ContractRec:
    operation: OperationRec
    reference: str
    title: str
    theme: str
    procedure: str
    framework: bool
    start: date
    end: date
    pk: int | None = None


@dataclass(slots=True, eq=False)
class LotRec:
    contract: ContractRec
    number: str
    title: str
    trade: dict
    start: date
    end: date
    basis: str
    awards: list = field(default_factory=list)  # [(Org, role)]
    weight: float = 1.0
    validated: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    method: str = ""
    inputs: dict = field(default_factory=dict)
    computed: Decimal = Decimal(0)
    contractual: Decimal | None = None
    reason: str = ""
    invoices: list = field(default_factory=list)
    behind: bool = False
    pk: int | None = None

    @property
    def sector(self):
        return self.trade["sector"]

    @property
    def holder(self):
        return self.awards[0][0]

    @property
    def territory(self):
        return self.contract.operation.territory


@dataclass(slots=True, eq=False)
class ParticipantRec:
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    place: Place
    education: str
    mobility: str
    rsa: bool
    body: Org
    prescriber: Org | None
    criteria: list
    trades: list
    first_start: date
    territory: int
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlacementRec:
    lot: LotRec
    employer: Org
    mode: str
    contract_type: str
    weekly: Decimal
    position: float
    base_months: float
    start: date = None
    end: date = None
    participant: ParticipantRec | None = None
    candidacy: object = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class OfferRec:
    lot: LotRec
    employer: Org
    position: str
    rome: str
    contract_type: str
    positions: int
    weekly: Decimal
    start: date
    status: str
    pk: int | None = None


@dataclass(slots=True, eq=False)
class CandidacyRec:
    offer: OfferRec
    participant: ParticipantRec
    status: str
    refusal: str = ""
    comment: str = ""
    interview: date | None = None
    proposed_by: UserRec | None = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class DeclarationRec:
    employer: Org
    month: date
    state: str
    statuses: list = field(default_factory=list)
    corrected: bool = False
    pk: int | None = None


@dataclass
class Territory:
    code: str
    label: str
    places: list
    weight: float = 1.0
    cum_population: list = field(default_factory=list)
    by_epci: dict = field(default_factory=dict)
    epcis: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    body: Org | None = None
    sector_bodies: dict = field(default_factory=dict)
    buyers: dict = field(default_factory=dict)
    companies: dict = field(default_factory=dict)  # sector -> (list, cumulative weights)
    structures: dict = field(default_factory=dict)  # kind -> list
    services: dict = field(default_factory=dict)  # service kind -> list
    federations: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    contracts: int = 0


# Reference tables of the distributions -----------------------------------------------------------

BUYER_KIND_WEIGHTS = {
    B.DEPARTMENT: 22,
    B.COMMUNE: 30,
    B.EPCI: 14,
    B.SOCIAL_LANDLORD: 18,
    B.HOSPITAL: 6,
    B.SEM: 4,
    B.STATE: 2,
    B.REGION: 2,
    B.OTHER: 2,
}
THEMES_BY_BUYER = {
    B.DEPARTMENT: {"building": 45, "public_works": 25, "cleaning": 10, "green_spaces": 8, "catering": 5, "services": 7},
    B.COMMUNE: {"building": 45, "public_works": 20, "green_spaces": 15, "cleaning": 8, "catering": 7, "services": 5},
    B.EPCI: {"public_works": 30, "waste": 25, "building": 25, "green_spaces": 10, "services": 10},
    B.SOCIAL_LANDLORD: {"building": 85, "green_spaces": 10, "cleaning": 5},
    B.HOSPITAL: {"building": 60, "cleaning": 25, "catering": 15},
    B.SEM: {"building": 60, "public_works": 40},
    B.STATE: {"building": 50, "services": 30, "cleaning": 20},
    B.REGION: {"building": 70, "cleaning": 15, "catering": 15},
    B.OTHER: {"building": 40, "public_works": 30, "waste": 30},
}
OPERATION_TITLES = {
    "building": [
        "Construction du groupe scolaire de {c}",
        "Réhabilitation de {n} logements à {c}",
        "Extension du gymnase de {c}",
        "Rénovation énergétique de la mairie de {c}",
        "Construction d'une maison de santé à {c}",
        "Réhabilitation du collège de {c}",
        "Construction d'une crèche à {c}",
    ],
    "public_works": [
        "Aménagement du centre-bourg de {c}",
        "Requalification de la traversée de {c}",
        "Création d'une voie verte à {c}",
        "Réseaux d'assainissement de {c}",
    ],
    "cleaning": ["Nettoyage des locaux publics de {c}", "Entretien des bâtiments de {c}"],
    "green_spaces": ["Entretien des espaces verts de {c}", "Aménagement paysager du parc de {c}"],
    "waste": ["Collecte des déchets ménagers de {c}", "Exploitation de la déchetterie de {c}"],
    "catering": ["Restauration scolaire de {c}", "Fourniture de repas pour {c}"],
    "services": ["Accueil et gardiennage des sites de {c}", "Blanchisserie des établissements de {c}"],
}
THEME_TRADES = {
    "building": ["building"],
    "public_works": ["public_works"],
    "cleaning": ["cleaning"],
    "green_spaces": ["green_spaces"],
    "waste": ["waste"],
    "catering": ["catering"],
    "services": ["services"],
}
THEME_SERVICE = {"cleaning", "green_spaces", "waste", "catering", "services"}
CONTRACT_MONTHS = {
    "building": (10, 30),
    "public_works": (6, 24),
    "cleaning": (12, 48),
    "green_spaces": (12, 48),
    "waste": (24, 48),
    "catering": (12, 48),
    "services": (12, 36),
}
LOTS_PER_CONTRACT = {1: 35, 2: 20, 3: 15, 4: 10, 5: 8, 6: 5, 8: 4, 10: 3}
PROCEDURES = {"open": 35, "adapted": 45, "restricted": 5, "negotiated": 10, "competitive_dialogue": 2, "other": 3}
NAF_BY_SECTOR = {
    "building": ["4120A", "4399C", "4334Z", "4321A", "4322A", "4331Z", "4332A", "4391A"],
    "public_works": ["4211Z", "4221Z", "4312A", "4222Z"],
    "cleaning": ["8121Z", "8122Z"],
    "green_spaces": ["8130Z"],
    "waste": ["3811Z", "3821Z"],
    "catering": ["5629A", "5629B"],
    "services": ["8299Z", "8110Z"],
}
COMPANY_PREFIX = {
    "building": ["Bâtiment", "Maçonnerie", "Peinture", "Menuiserie", "Électricité", "Plâtrerie", "Charpente"],
    "public_works": ["Travaux publics", "Terrassement", "Routes et réseaux"],
    "cleaning": ["Propreté", "Nettoyage"],
    "green_spaces": ["Paysages", "Espaces verts"],
    "waste": ["Recyclage", "Environnement"],
    "catering": ["Restauration", "Cuisine collective"],
    "services": ["Services", "Multiservices"],
}
SECTOR_SHARE = {
    "building": 0.50,
    "public_works": 0.18,
    "cleaning": 0.1,
    "green_spaces": 0.09,
    "waste": 0.04,
    "catering": 0.04,
    "services": 0.05,
}
SIZE_BANDS = {"1-9": 25, "10-49": 40, "50-249": 22, "250-4999": 11, "5000+": 2}
STRUCTURE_RATES = {  # one structure of the kind per so many contracts of the department
    S.ACI: 150,
    S.EI: 200,
    S.AI: 300,
    S.ETTI: 200,
    S.GEIQ: 500,
    S.EA: 250,
    S.ESAT: 300,
    S.EATT: 1000,
    S.EITI: 1500,
}
STAFF_PROVIDERS = (S.ETTI, S.AI, S.GEIQ)
SUBCONTRACTORS = (S.ACI, S.EI, S.EITI, S.EA, S.ESAT)
DISABILITY = (S.EA, S.ESAT, S.EATT)
SIAE = (S.ACI, S.EI, S.EITI, S.AI, S.ETTI)
RESERVED_HOLDERS = {
    BASIS.RESERVED_SIAE: (S.ACI, S.EI, S.EITI),
    BASIS.RESERVED_DISABILITY: (S.EA, S.ESAT),
    BASIS.INSERTION_CONTRACT: (S.ACI, S.EI, S.GEIQ),
    BASIS.RESERVED_ESS: (S.ACI, S.AI, S.EI),
}
SERVICES = {
    "france_travail": ("Agence France Travail", 400),
    "mission_locale": ("Mission locale", 600),
    "cap_emploi": ("Cap emploi", 100_000),
    "cds": ("Centre départemental de la solidarité", 500),
    "rsa_referent": ("Référents RSA", 100_000),
    "mdph": ("MDPH", 100_000),
    "plie": ("PLIE", 100_000),
}
POSITIONS = {
    "building": [
        ("Maçon ou maçonne", "F1703"),
        ("Peintre en bâtiment", "F1606"),
        ("Plaquiste", "F1604"),
        ("Électricien ou électricienne du bâtiment", "F1602"),
        ("Menuisier poseur ou menuisière poseuse", "F1607"),
        ("Manœuvre du bâtiment", "F1704"),
    ],
    "public_works": [("Ouvrier ou ouvrière de VRD", "F1702"), ("Conducteur ou conductrice d'engins", "F1302")],
    "cleaning": [("Agent ou agente de propreté", "K2204")],
    "green_spaces": [("Ouvrier ou ouvrière paysagiste", "A1203")],
    "waste": [("Agent ou agente de tri", "K2304"), ("Ripeur ou ripeuse", "K2303")],
    "catering": [("Commis ou commise de cuisine", "G1602"), ("Agent ou agente de restauration", "G1603")],
    "services": [("Agent ou agente d'accueil", "M1601"), ("Manutentionnaire", "N1105")],
}
WOMEN_SHARE = {
    "building": 0.30,
    "public_works": 0.12,
    "cleaning": 0.62,
    "green_spaces": 0.22,
    "waste": 0.20,
    "catering": 0.58,
    "services": 0.48,
}
EDUCATION = {"none": 32, "cap_bep": 38, "bac": 18, "bac_2": 7, "bac_3_plus": 5}
MOBILITY = {"none": 18, "public_transport": 27, "licence": 15, "vehicle": 40}
PROOFS = {
    "RSA": "Attestation CAF",
    "DELD": "Attestation d'inscription France Travail",
    "ASS": "Notification France Travail",
    "ATA": "Notification France Travail",
    "AAH": "Notification CAF de l'AAH",
    "TH": "Notification RQTH de la MDPH",
    "JEUNE": "Pièce d'identité et attestation de fin de scolarité",
    "SENIOR": "Pièce d'identité et attestation France Travail",
    "QPV": "Justificatif de domicile en QPV",
    "IAE": "Attestation de la structure",
    "EPIDE_E2C": "Attestation de l'EPIDE ou de l'E2C",
    "DEROGATION": "",
}
EXIT_SITUATIONS = {
    "cdi": 8,
    "long_fixed_term": 10,
    "civil_service": 0.5,
    "business_creation": 0.5,
    "short_fixed_term": 17,
    "subsidised_contract": 6,
    "qualifying_training": 8,
    "other_siae": 5,
    "jobseeker": 33,
    "inactive": 5,
    "no_news": 7,
    "illness": 2,
    "maternity": 0.7,
    "moved_away": 1.2,
    "death": 0.1,
}
SIX_MONTH_SITUATIONS = {
    "cdi": 14,
    "long_fixed_term": 12,
    "civil_service": 0.5,
    "business_creation": 1,
    "short_fixed_term": 15,
    "subsidised_contract": 5,
    "qualifying_training": 6,
    "other_siae": 4,
    "jobseeker": 28,
    "inactive": 6,
    "no_news": 8.5,
    "illness": 2,
    "maternity": 0.7,
    "moved_away": 1.2,
    "death": 0.1,
}
ACTION_KINDS = {
    "information_meeting": (35, "Réunion d'information sur les clauses sociales", (10, 60)),
    "training": (15, "Formation des acheteurs aux clauses sociales", (6, 25)),
    "forum": (10, "Forum emploi et clauses sociales", (40, 150)),
    "site_visit": (15, "Visite de chantier avec les partenaires de l'emploi", (5, 20)),
    "steering_committee": (10, "Comité de pilotage des clauses sociales", (8, 30)),
    "partners_meeting": (15, "Réunion des partenaires de l'insertion", (8, 40)),
}
FOLLOW_UP_NOTES = [
    "Entretien avec la personne et le chef de chantier : tout se passe bien.",
    "Point téléphonique : la personne est ponctuelle, l'employeur est satisfait.",
    "Difficultés de transport signalées ; solution de covoiturage trouvée.",
    "",
    "",
]
HALF_HOURS = [Decimal(n) / 2 for n in range(0, 2 * 208 + 1)]


def _weighted(rng, weights):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _cumulative(weights):
    total, result = 0.0, []
    for weight in weights:
        total += weight
        result.append(total)
    return result


def _pick(rng, items, cumulative):
    return items[bisect.bisect_left(cumulative, rng.random() * cumulative[-1])]


def _aware(day, hour=10):
    return timezone.make_aware(datetime.combine(day, day_time(hour)))


def _commune_buyer_name(name, population, synthetic):
    if synthetic:
        return f"Mairie — {name}"
    article = "d'" if name[0].lower() in "aeiouyâéèêîôû" else "de "
    return f"{'Ville' if population >= 10_000 else 'Commune'} {article}{name}"


def _months(start, end):
    """First day of every month from ``start`` to ``end`` (both included)."""
    month = date(start.year, start.month, 1)
    while month <= end:
        yield month
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)


# The generator ------------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale, seed=1, today=None, log=None):
        self.scale = scale
        self.rng = random.Random(seed)
        self.today = today or timezone.localdate()
        self.log = log or (lambda message: None)
        self.started = time.monotonic()
        self.window_months = settings.CLAUSIER["COUNTING_WINDOW_MONTHS"]
        self.training_counts = settings.CLAUSIER["TRAINING_HOURS_COUNT"]
        self.follow_up_months = list(settings.CLAUSIER["OUTCOME_FOLLOW_UP_MONTHS"])
        self.previous_month = declaration_rules.previous_month(self.today)
        self.last_declared_day = declaration_rules.last_day(self.previous_month)
        span_days = int((scale.years + max(1, 3 - scale.years)) * 365.25)
        self.first_day = self.today - timedelta(days=span_days)
        self.last_start = self.today + timedelta(days=182)
        self.epcis, self.communes, self.sectors = [], [], []
        self.orgs, self.users, self.memberships = [], [], []
        self.operations, self.contracts, self.lots = [], [], []
        self.placements, self.participants = [], []
        self.offers, self.candidacies = [], []
        self.declarations, self.lines = {}, []
        self.follow_ups, self.outcomes, self.actions = [], [], []
        self.facilitator_of = {}
        self.employer_user = {}
        self.siren_counter = 0
        self.stats = {}

    def say(self, message):
        self.log(f"[{time.monotonic() - self.started:6.1f} s] {message}")

    # Reference data ---------------------------------------------------------------------------

    def load_reference(self):
        self.department = Organisation.objects.department().order_by("pk").first()
        if self.department is None:
            raise DatasetError("Le Département de l'Ain est introuvable : lancez d'abord « manage.py migrate ».")
        trades = list(Trade.objects.order_by("name").values("pk", "name", "sector", "labour_share"))
        if not trades:
            raise DatasetError("Aucun corps d'état : lancez d'abord « manage.py migrate ».")
        self.trades_by_sector = defaultdict(list)
        for trade in trades:
            self.trades_by_sector[trade["sector"]].append(trade)
        self.audiences = list(Audience.objects.order_by("position", "code").values_list("pk", flat=True))
        hours_settings = HoursSettings.objects.filter(pk=1).first()
        self.hourly_cost = hours_settings.default_hourly_cost if hours_settings else Decimal(30)
        epcis = {
            row["pk"]: row
            for row in Epci.objects.filter(communes__insee_code__startswith="01")
            .distinct()
            .order_by("siren")
            .values("pk", "siren", "name")
        }
        if not epcis:
            raise DatasetError("Les communes de l'Ain sont introuvables : lancez d'abord « manage.py migrate ».")
        self.epci_refs = {pk: Ref(pk) for pk in epcis}
        sector_of_epci, sector_of_commune, self.ain_sectors = {}, {}, []
        for sector in Sector.objects.order_by("name").prefetch_related("epcis", "communes"):
            if sector.description.startswith(MARKER):
                continue
            ref = Ref(sector.pk)
            self.ain_sectors.append((ref, sector.name))
            for epci in sorted(sector.epcis.all(), key=lambda e: e.siren):
                sector_of_epci.setdefault(epci.pk, ref)
            for commune in sorted(sector.communes.all(), key=lambda c: c.insee_code):
                sector_of_commune.setdefault(commune.pk, ref)
        places = []
        for row in (
            Commune.objects.filter(insee_code__startswith="01")
            .order_by("insee_code")
            .values("pk", "name", "population", "epci_id")
        ):
            places.append(
                Place(
                    Ref(row["pk"]),
                    row["name"],
                    max(row["population"], 50),
                    self.epci_refs[row["epci_id"]],
                    sector_of_commune.get(row["pk"]) or sector_of_epci.get(row["epci_id"]),
                    epcis[row["epci_id"]]["siren"],
                )
            )
        self.ain = Territory("01", "Ain", places)
        self.ain_epci_names = {self.epci_refs[pk]: row["name"] for pk, row in epcis.items()}

    # Territories ------------------------------------------------------------------------------

    def build_territories(self):
        rng = self.rng
        self.territories = [self.ain]
        for number in range(2, self.scale.departments + 1):
            code = f"{number:02d}"
            label = f"Département {code}"
            places, epcis = [], []
            for e in range(1, EPCIS_PER_DEPARTMENT + 1):
                epci = EpciRec(
                    f"{label} — EPCI {e}",
                    "CA" if e <= 2 else "CC",
                    f"{SYNTHETIC_SIREN_PREFIX}{number:03d}{e:05d}",
                    code,
                    COMMUNES_PER_EPCI,
                )
                epcis.append(epci)
                self.epcis.append(epci)
            sector = SectorRec(label, epcis)
            self.sectors.append(sector)
            for e, epci in enumerate(epcis):
                for c in range(COMMUNES_PER_EPCI):
                    index = e * COMMUNES_PER_EPCI + c + 1
                    serial = len(self.communes) + 1
                    big = c == 0 and e < 2
                    population = int(rng.lognormvariate(math.log(40_000 if big else 1_500), 0.6))
                    commune = CommuneRec(
                        f"{label} — Commune {index}",
                        f"{SYNTHETIC_INSEE_PREFIX}{serial:04d}",
                        f"{SYNTHETIC_SIREN_PREFIX}{serial:08d}",
                        f"{code[:2]}{index:03d}",
                        max(population, 80),
                        epci,
                    )
                    epci.population += commune.population
                    self.communes.append(commune)
                    places.append(Place(commune, commune.name, commune.population, epci, sector, epci.siren))
            self.territories.append(Territory(code, label, places))
        for territory in self.territories:
            territory.cum_population = _cumulative([place.population for place in territory.places])
            for place in territory.places:
                territory.by_epci.setdefault(place.epci, []).append(place)
            territory.epcis = list(territory.by_epci)
            territory.weight = rng.lognormvariate(0, 0.45) if self.scale.departments > 1 else 1.0
        self._share(self.scale.contracts, [t.weight for t in self.territories], "contracts")
        self.say(f"Territoires : {len(self.territories)} départements, {len(self.communes)} communes synthétiques.")

    def _share(self, total, weights, attribute):
        """Split ``total`` in proportion to ``weights`` (largest remainders), on the territories."""
        whole = sum(weights)
        exact = [total * weight / whole for weight in weights]
        counts = [int(value) for value in exact]
        order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - counts[i]), i))
        for i in order[: total - sum(counts)]:
            counts[i] += 1
        for territory, count in zip(self.territories, counts, strict=True):
            setattr(territory, attribute, count)

    def place_in(self, territory, epci=None):
        if epci is not None and self.rng.random() < 0.6:
            places = territory.by_epci[epci]
            return places[self.rng.randrange(len(places))]
        return _pick(self.rng, territory.places, territory.cum_population)

    # Organisations ----------------------------------------------------------------------------

    def _org(self, name, kind, territory, place, **fields):
        org = Org(name, kind, territory, place, **fields)
        self.orgs.append(org)
        return org

    def _siret(self):
        self.siren_counter += 1
        siren = build_siren(f"{70_000_000 + self.siren_counter:08d}")
        return build_siret(siren, f"{self.rng.randrange(1, 100):04d}")

    def build_organisations(self):
        rng = self.rng
        surnames = list(FrenchNames.last_names)
        department_org = Org(self.department.name, K.DEPARTMENT, 0, None, buyer_kind=B.DEPARTMENT, real=True)
        department_org.pk = self.department.pk
        self.department_org = department_org
        for index, t in enumerate(self.territories):
            contracts = max(t.contracts, 1)
            capital = max(t.places, key=lambda place: place.population)
            synthetic = index > 0
            # Facilitation bodies.
            if synthetic:
                t.body = self._org(f"Animation des clauses sociales — {t.label}", K.FACILITATION_BODY, index, capital)
                t.body.coverage = [("sector", self.sectors[index - 1])]
            else:
                t.body = department_org
                if self.scale.departments == 1:
                    for ref, name in self.ain_sectors:
                        if name == "Val de Saône Dombes":  # the white area of domain.md
                            t.sector_bodies[ref] = None
                            continue
                        places = [p for p in t.places if p.sector is ref]
                        seat = max(places, key=lambda p: p.population) if places else capital
                        body = self._org(f"Animation des clauses sociales — {name}", K.FACILITATION_BODY, 0, seat)
                        body.coverage = [("sector", ref)]
                        t.sector_bodies[ref] = body
            # Federations.
            for name in ("Fédération du BTP", "CAPEB", "Fédération des entreprises de propreté"):
                t.federations.append(self._org(f"{name} — {t.label}", K.FEDERATION, index, capital))
            # Buyers.
            if synthetic:
                council = self._org(
                    f"Conseil départemental — {t.label}",
                    K.CONTRACTING_AUTHORITY,
                    index,
                    capital,
                    buyer_kind=B.DEPARTMENT,
                )
                t.buyers[B.DEPARTMENT] = [council]
            else:
                t.buyers[B.DEPARTMENT] = [department_org]
            by_population = sorted(t.places, key=lambda p: (-p.population, p.name))
            t.buyers[B.COMMUNE] = [
                self._org(
                    _commune_buyer_name(place.name, place.population, synthetic),
                    K.CONTRACTING_AUTHORITY,
                    index,
                    place,
                    buyer_kind=B.COMMUNE,
                    agency=not synthetic and place.epci_siren in DEPARTMENT_AGENCY_EPCIS and rng.random() < 0.6,
                    weight=place.population,
                )
                for place in by_population[: min(len(by_population), max(3, 10 + contracts // 25))]
            ]
            t.buyers[B.EPCI] = []
            for epci in t.epcis:
                places = t.by_epci[epci]
                name = epci.name if synthetic else self.ain_epci_names[epci]
                t.buyers[B.EPCI].append(
                    self._org(
                        name,
                        K.CONTRACTING_AUTHORITY,
                        index,
                        max(places, key=lambda p: p.population),
                        buyer_kind=B.EPCI,
                        epci=epci,
                        agency=not synthetic and places[0].epci_siren in DEPARTMENT_AGENCY_EPCIS,
                        weight=sum(p.population for p in places),
                    )
                )
            for kind, label, per in (
                (B.SOCIAL_LANDLORD, "Bailleur social", 200),
                (B.HOSPITAL, "Centre hospitalier", 300),
                (B.SEM, "SEM d'aménagement", 500),
                (B.STATE, "Services de l'État", 100_000),
                (B.REGION, "Région, antenne", 100_000),
                (B.OTHER, "Syndicat intercommunal", 400),
            ):
                t.buyers[kind] = [
                    self._org(
                        f"{label} n° {n} — {t.label}",
                        K.CONTRACTING_AUTHORITY,
                        index,
                        self.place_in(t),
                        buyer_kind=kind,
                    )
                    for n in range(1, max(1, contracts // per) + 1)
                ]
            # Companies, by sector, with a popularity that makes some win many lots.
            total_companies = max(8, round(0.42 * contracts))
            for sector, share in SECTOR_SHARE.items():
                companies = []
                for _ in range(max(2, round(total_companies * share))):
                    place = self.place_in(t)
                    federation = None
                    if sector in ("building", "public_works") and rng.random() < 0.4:
                        federation = t.federations[rng.randrange(2)]
                    elif sector == "cleaning" and rng.random() < 0.4:
                        federation = t.federations[2]
                    companies.append(
                        self._org(
                            f"{rng.choice(COMPANY_PREFIX[sector])} {rng.choice(surnames)}"
                            f"{rng.choice(['', '', ' et fils', ' SARL', ' SAS', ' et associés'])}",
                            K.COMPANY,
                            index,
                            place,
                            naf=rng.choice(NAF_BY_SECTOR[sector]),
                            size=_weighted(rng, SIZE_BANDS),
                            sector=sector,
                            siret=self._siret(),
                            federation=federation,
                            weight=rng.paretovariate(1.6),
                        )
                    )
                t.companies[sector] = (companies, _cumulative([c.weight for c in companies]))
            # Inclusion structures.
            for kind, per in STRUCTURE_RATES.items():
                count = max(1, contracts // per) if kind not in (S.EATT, S.EITI) else contracts // per
                t.structures[kind] = []
                for n in range(1, count + 1):
                    place = self.place_in(t)
                    structure = self._org(
                        f"{kind} {rng.choice(surnames)} n° {n} — {t.label}",
                        K.INCLUSION_STRUCTURE,
                        index,
                        place,
                        structure_kind=kind,
                        provides_staff=kind in STAFF_PROVIDERS or kind == S.EATT,
                        subcontracts=kind in SUBCONTRACTORS,
                        siret=self._siret(),
                        naf="7830Z" if kind in (S.ETTI, S.EATT) else "8899B",
                    )
                    served = [place.epci] + [e for e in t.epcis if e is not place.epci and rng.random() < 0.2]
                    structure.served_epcis = served[:3]
                    t.structures[kind].append(structure)
            # Employment services (prescribers).
            for kind, (label, per) in SERVICES.items():
                if kind == "plie" and synthetic and rng.random() < 0.5:
                    t.services[kind] = []
                    continue
                t.services[kind] = [
                    self._org(
                        f"{label} n° {n} — {t.label}", K.EMPLOYMENT_SERVICE, index, self.place_in(t), service_kind=kind
                    )
                    for n in range(1, max(1, contracts // per) + 1)
                ]
        self.say(f"Organisations prévues : {len(self.orgs)}.")

    def body_for(self, territory, buyer, place):
        """Who follows an operation: the department's body; in Ain, the Département for its own
        contracts and for the engineering agency's members, a sector's body otherwise."""
        if territory.sector_bodies == {}:
            return territory.body
        if buyer is self.department_org or (buyer.agency and buyer.buyer_kind in (B.COMMUNE, B.EPCI)):
            return self.department_org
        return territory.sector_bodies.get(place.sector, self.department_org)

    # Operations, contracts, lots ----------------------------------------------------------------

    def build_contracts(self):
        rng = self.rng
        span = (self.last_start - self.first_day).days
        serial = 0
        managers = ["", "", "Atelier d'architecture", "BET Structures et Fluides", "Cabinet d'ingénierie", "AMO Bâtir"]
        for index, t in enumerate(self.territories):
            remaining = t.contracts
            while remaining > 0:
                kind = _weighted(rng, BUYER_KIND_WEIGHTS)
                buyers = t.buyers[kind]
                if kind in (B.COMMUNE, B.EPCI):
                    buyer = rng.choices(buyers, weights=[b.weight for b in buyers])[0]
                else:
                    buyer = buyers[rng.randrange(len(buyers))]
                if kind == B.COMMUNE:
                    place = buyer.place
                elif kind == B.EPCI:
                    place = self.place_in(t, buyer.epci)
                else:
                    place = self.place_in(t)
                theme = _weighted(rng, THEMES_BY_BUYER[kind])
                title = rng.choice(OPERATION_TITLES[theme]).format(c=place.name, n=rng.choice([12, 24, 40, 60, 120]))
                operation = OperationRec(
                    buyer, place, title, rng.choice(managers), self.body_for(t, buyer, place), index
                )
                self.operations.append(operation)
                count = min(remaining, _weighted(rng, {1: 70, 2: 20, 3: 10}))
                first_start = self.first_day + timedelta(days=rng.randrange(span))
                for phase in range(count):
                    serial += 1
                    framework = theme in THEME_SERVICE and rng.random() < 0.4 or rng.random() < 0.02
                    low, high = CONTRACT_MONTHS[theme]
                    if framework:
                        low, high = max(low, 24), max(high, 36)
                    start = first_start + timedelta(days=phase * rng.randrange(60, 240))
                    months = rng.randint(low, high)
                    end = add_months(start, months) - timedelta(days=1)
                    title = {
                        "building": "Travaux",
                        "public_works": "Travaux de voirie et réseaux",
                    }.get(theme, "Accord-cadre de prestations" if framework else "Prestations")
                    contract = ContractRec(
                        operation,
                        f"M{start.year}-{serial:05d}",
                        f"{title}{f' — tranche {phase + 1}' if count > 1 else ''}",
                        theme,
                        "adapted" if framework and rng.random() < 0.5 else _weighted(rng, PROCEDURES),
                        framework,
                        start,
                        end,
                    )
                    self.contracts.append(contract)
                    operation.start = min(operation.start or start, start)
                    operation.end = max(operation.end or end, end)
                remaining -= count
        self._build_lots()
        self.say(f"Opérations : {len(self.operations)}, marchés : {len(self.contracts)}, lots : {len(self.lots)}.")

    def _lot_counts(self):
        rng = self.rng
        counts = [_weighted(rng, LOTS_PER_CONTRACT) for _ in self.contracts]
        target = self.scale.lots
        while sum(counts) > target:
            i = rng.randrange(len(counts))
            if counts[i] > 1:
                counts[i] -= 1
        while sum(counts) < target:
            counts[rng.randrange(len(counts))] += 1
        return counts

    def _trades_for(self, theme, count):
        rng = self.rng
        trades = self.trades_by_sector
        if theme == "building":
            pool = list(trades["building"])
            first = next((t for t in pool if t["name"].startswith("Gros œuvre")), pool[0])
            rest = [t for t in pool if t is not first]
            rng.shuffle(rest)
            chosen = [first] + rest
            extra = trades["public_works"] + trades["green_spaces"]
            while len(chosen) < count:
                chosen.append(rng.choice(pool + extra))
            if count > 3 and rng.random() < 0.3:
                chosen[count - 1] = rng.choice(extra)
            return chosen[:count]
        if theme == "public_works":
            pool = list(trades["public_works"])
            extra = trades["green_spaces"] + [t for t in trades["building"] if t["name"].startswith("Démolition")]
            return [pool[i % len(pool)] if i < 2 or rng.random() < 0.7 else rng.choice(extra) for i in range(count)]
        return [(trades[theme] or trades["building"])[0]] * count

    def _build_lots(self):
        rng = self.rng
        for contract, count in zip(self.contracts, self._lot_counts(), strict=True):
            trades = self._trades_for(contract.theme, count)
            days = (contract.end - contract.start).days
            seen = Counter()
            for number, trade in enumerate(trades, start=1):
                seen[trade["name"]] += 1
                title = trade["name"].split(",")[0]
                if seen[trade["name"]] > 1 or (contract.theme in THEME_SERVICE and count > 1):
                    title = f"{title} — secteur {seen[trade['name']]}"
                start, end = contract.start, contract.end
                if contract.theme == "building" and number > 1 and days > 200:
                    start = contract.start + timedelta(days=rng.randrange(0, int(days * 0.35)))
                    end = contract.end - timedelta(days=rng.randrange(0, int(days * 0.1)))
                basis = self._basis(trade["sector"])
                if basis == BASIS.RESERVED_ESS:  # reserved to the ESS: 3 years at most (L2113-15)
                    end = min(end, legal_bases.ess_latest_end(start))
                lot = LotRec(contract, str(number), title, trade, start, end, basis)
                lot.weight = ((end - start).days + 1) ** 0.6 * rng.lognormvariate(0, 0.35)
                self._award(lot)
                self.lots.append(lot)

    def _basis(self, sector):
        rng = self.rng
        if rng.random() < 0.03:
            return ""
        boost = 3 if sector in ("cleaning", "green_spaces", "waste", "services") else 0.6
        r = rng.random() * 100
        for basis, share in (
            (BASIS.RESERVED_SIAE, 3 * boost),
            (BASIS.RESERVED_DISABILITY, 2.5 * boost),
            (BASIS.INSERTION_CONTRACT, 1.5 * (boost if sector != "building" else 0.3)),
            (BASIS.RESERVED_ESS, 0.5 * (boost if sector in ("services", "catering") else 0)),
            (BASIS.AWARD_CRITERION, 5),
        ):
            if r < share:
                return basis
            r -= share
        return BASIS.EXECUTION_CONDITION

    def _structure(self, territory, kinds):
        candidates = [s for kind in kinds for s in territory.structures.get(kind, [])]
        return candidates[self.rng.randrange(len(candidates))] if candidates else None

    def _company(self, territory, sector):
        companies, cumulative = territory.companies[sector]
        return _pick(self.rng, companies, cumulative)

    def _award(self, lot):
        rng = self.rng
        t = self.territories[lot.territory]
        holder = None
        if lot.basis in RESERVED_HOLDERS:
            holder = self._structure(t, RESERVED_HOLDERS[lot.basis])
        holder = holder or self._company(t, lot.sector)
        lot.awards.append((holder, LotAward.Role.HOLDER))
        if holder.kind == K.COMPANY and rng.random() < 0.08:
            other = self._company(t, lot.sector)
            if other is not holder:
                lot.awards.append((other, LotAward.Role.CO_CONTRACTOR))
        if holder.kind == K.COMPANY and rng.random() < 0.06:
            self._add_award(lot, self._structure(t, SUBCONTRACTORS), LotAward.Role.SUBCONTRACTOR)

    @staticmethod
    def _add_award(lot, company, role):
        if company is not None and all(existing is not company for existing, _ in lot.awards):
            lot.awards.append((company, role))

    # Placements ---------------------------------------------------------------------------------

    def build_placements(self):
        rng = self.rng
        eligible = [lot for lot in self.lots if lot.basis and lot.start <= self.today and lot.end > lot.start]
        chosen = rng.choices(
            eligible, cum_weights=_cumulative([lot.weight for lot in eligible]), k=self.scale.placements
        )
        for lot in chosen:
            self.placements.append(self._placement_on(lot))
        factor = self._calibrate()
        self._place(factor)
        self.say(f"Mises à l'emploi : {len(self.placements)} (durées × {factor:.2f}).")

    def _placement_on(self, lot):
        rng = self.rng
        t = self.territories[lot.territory]
        holder = lot.holder
        if lot.basis in RESERVED_HOLDERS:
            mode, employer = MODE.DIRECT_HIRE, holder
        else:
            r = rng.random()
            mode = (
                MODE.DIRECT_HIRE
                if r < 0.5
                else MODE.PROVISION
                if r < 0.8
                else MODE.SUBCONTRACTING
                if r < 0.95
                else MODE.TRAINING
            )
            employer = holder
            if mode == MODE.DIRECT_HIRE and len(lot.awards) > 1 and lot.awards[1][1] == LotAward.Role.CO_CONTRACTOR:
                employer = lot.awards[1][0] if rng.random() < 0.3 else holder
            elif mode == MODE.PROVISION:
                employer = self._structure(t, (rng.choice([S.ETTI, S.ETTI, S.AI, S.GEIQ]),)) or self._structure(
                    t, STAFF_PROVIDERS
                )
            elif mode == MODE.SUBCONTRACTING:
                existing = [c for c, role in lot.awards if role == LotAward.Role.SUBCONTRACTOR]
                employer = existing[0] if existing and rng.random() < 0.7 else self._structure(t, SUBCONTRACTORS)
                self._add_award(lot, employer, LotAward.Role.SUBCONTRACTOR)
        contract_type = self._contract_type(mode, employer)
        weekly = self._weekly_hours(lot.sector, contract_type, employer)
        base = {
            "temporary": (1, 6),
            "cdd": (3, 12),
            "cddi": (4, 24),
            "apprenticeship": (12, 24),
            "professionalisation": (6, 18),
            "cdi": (6, 30),
        }[contract_type]
        return PlacementRec(lot, employer, mode, contract_type, weekly, rng.random(), rng.uniform(*base))

    def _contract_type(self, mode, employer):
        rng = self.rng
        kind = employer.structure_kind
        if mode == MODE.TRAINING:
            return rng.choice(["professionalisation", "apprenticeship"])
        if kind in (S.ETTI, S.EATT):
            return "temporary"
        if kind == S.GEIQ:
            return "professionalisation" if rng.random() < 0.75 else "apprenticeship"
        if kind == S.AI:
            return "cdd"
        if kind in (S.ACI, S.EI, S.EITI):
            return "cddi"
        if kind in (S.EA, S.ESAT):
            return "cdi" if rng.random() < 0.4 else "cdd"
        return _weighted(rng, {"cdd": 45, "cdi": 13, "apprenticeship": 15, "professionalisation": 12, "temporary": 15})

    def _weekly_hours(self, sector, contract_type, employer):
        rng = self.rng
        if employer.structure_kind == S.ACI:
            return Decimal(rng.choice(["26", "26", "24", "30", "35"]))
        if sector == "cleaning":
            return Decimal(rng.choice(["20", "24", "26", "28", "30", "35"]))
        return Decimal(_weighted(rng, {"35": 62, "39": 10, "28": 13, "24": 10, "17.5": 5}))

    def _dates(self, placement, factor):
        lot = placement.lot
        span = (lot.end - lot.start).days + 1
        duration = min(span, MAX_PLACEMENT_DAYS, max(14, int(placement.base_months * factor * 30.44)))
        start = lot.start + timedelta(days=int(placement.position * (span - duration)))
        return start, start + timedelta(days=duration - 1)

    def _line_months(self, start, end):
        last = min(end, self.last_declared_day)
        if start > last:
            return 0
        return (last.year - start.year) * 12 + last.month - start.month + 1

    def _calibrate(self):
        """The factor on durations that brings the number of monthly lines near the target."""

        def lines(factor):
            return sum(self._line_months(*self._dates(p, factor)) for p in self.placements)

        low, high = 0.2, 8.0
        for _ in range(18):
            middle = (low + high) / 2
            if lines(middle) < self.scale.lines:
                low = middle
            else:
                high = middle
        return (low + high) / 2

    def _place(self, factor):
        for placement in self.placements:
            placement.start, placement.end = self._dates(placement, factor)
            if (
                placement.contract_type == "cdi"
                and placement.end >= self.today
                and placement.lot.end >= self.today
                and self.rng.random() < 0.5
            ):
                placement.end = None

    # Participants -------------------------------------------------------------------------------

    def build_participants(self):
        """Chain the placements into pathways: exactly ``participants`` people."""
        rng = self.rng
        order = sorted(range(len(self.placements)), key=lambda i: (self.placements[i].start, i))
        running = defaultdict(list)  # territory -> heap of (end ordinal, serial, person)
        free = defaultdict(list)
        remaining_placements, remaining_people = len(order), self.scale.participants
        far = date.max.toordinal()
        for serial, i in enumerate(order):
            placement = self.placements[i]
            t = placement.lot.territory
            heap = running[t]
            while heap and heap[0][0] + 7 < placement.start.toordinal():
                free[t].append(heapq.heappop(heap)[2])
            person = None
            must_create = remaining_people >= remaining_placements
            reuse = not must_create and (
                remaining_people == 0 or rng.random() < (remaining_placements - remaining_people) / remaining_placements
            )
            if reuse and free[t]:
                # Someone whose placement ended lately (the list is in order of end), and whose
                # pathway began less than 18 months ago; others rarely come back.
                j = len(free[t]) - 1 - min(len(free[t]) - 1, int(rng.expovariate(1 / 8)))
                candidate = free[t][j]
                if candidate.first_start >= add_months(placement.start, -18) or remaining_people == 0:
                    free[t][j], free[t][-1] = free[t][-1], free[t][j]
                    person = free[t].pop()
            elif reuse and remaining_people == 0:
                pool = self.territories[t].participants or self.participants
                person = pool[rng.randrange(len(pool))]
            if person is None:
                person = self._participant(placement)
                remaining_people -= 1
            placement.participant = person
            remaining_placements -= 1
            end = placement.end.toordinal() if placement.end else far
            heapq.heappush(heap, (end, serial, person))
        self.say(f"Participants : {len(self.participants)}.")

    def _participant(self, placement):
        rng = self.rng
        lot = placement.lot
        t = self.territories[lot.territory]
        start = placement.start
        sex = "F" if rng.random() < WOMEN_SHARE[lot.sector] else "M"
        band = rng.random()
        age = rng.randint(18, 25) if band < 0.27 else rng.randint(26, 49) if band < 0.82 else rng.randint(50, 63)
        birth = date(start.year - age, start.month, min(start.day, 28)) - timedelta(days=rng.randrange(365))
        disability = placement.employer.structure_kind in DISABILITY
        rsa = rng.random() < (0.05 if age < 25 else 0.2 if disability else 0.6)
        criteria = []
        if (rsa and rng.random() < 0.95) or (not rsa and age >= 25 and rng.random() < 0.03):
            criteria.append("RSA")
        for code, chance in (
            ("DELD", 0.38 if age >= 26 else 0.1),
            ("JEUNE", 0.75 if age < 26 else 0),
            ("SENIOR", 0.6 if age >= 50 else 0),
            ("QPV", 0.18),
            ("TH", 1 if disability else 0.08),
            ("AAH", 0.3 if disability else 0.03),
            ("ASS", 0.04 if age >= 26 else 0),
            ("ATA", 0.005),
            ("IAE", 0.15 if placement.employer.structure_kind in SIAE else 0.04),
            ("EPIDE_E2C", 0.06 if age < 26 else 0),
            ("DEROGATION", 0.02),
        ):
            if chance and rng.random() < chance:
                criteria.append(code)
        if not criteria:
            criteria.append("DELD" if age >= 26 else "JEUNE")
        if "RSA" in criteria and rng.random() < 0.6:
            service = "rsa_referent" if rng.random() < 0.5 else "cds"
        elif "JEUNE" in criteria:
            service = "mission_locale"
        elif "TH" in criteria:
            service = "cap_emploi"
        else:
            service = "plie" if t.services.get("plie") and rng.random() < 0.2 else "france_travail"
        services = t.services.get(service) or t.services["france_travail"]
        trades = self.trades_by_sector[lot.sector]
        names = FrenchNames.first_names_female if sex == "F" else FrenchNames.first_names_male
        person = ParticipantRec(
            first_name=names[rng.randrange(len(names))],
            last_name=FrenchNames.last_names[rng.randrange(len(FrenchNames.last_names))],
            birth_date=birth,
            sex=sex,
            place=self.place_in(t, lot.contract.operation.place.epci),
            education=_weighted(rng, EDUCATION),
            mobility=_weighted(rng, MOBILITY),
            rsa=rsa,
            body=lot.contract.operation.body or self.department_org,
            prescriber=services[rng.randrange(len(services))] if rng.random() < 0.85 else None,
            criteria=criteria,
            trades=[trades[rng.randrange(len(trades))]["pk"]] if trades else [],
            first_start=start,
            territory=lot.territory,
        )
        self.participants.append(person)
        t.participants.append(person)
        return person

    # Accounts -------------------------------------------------------------------------------------

    def build_staff(self):
        """The administrator, the department reader and one facilitator per facilitation body."""
        self._user("administrateur", Role.ADMINISTRATOR, self.department_org)
        self._user("lecteur", Role.DEPARTMENT_READER, self.department_org)
        bodies = {}
        for operation in self.operations:
            if operation.body is not None:
                bodies.setdefault(operation.body, 0)
                bodies[operation.body] += 1
        bodies.setdefault(self.department_org, 0)
        for number, body in enumerate(sorted(bodies, key=lambda b: (-bodies[b], b.name)), start=1):
            self.facilitator_of[body] = self._user(f"facilitateur-{number:03d}", Role.FACILITATOR, body)
        self.any_facilitator = self.facilitator_of[self.department_org]

    def build_partners_accounts(self):
        """The three busiest companies, the two busiest structures and the five busiest buyers get an account."""
        employers = Counter(p.employer for p in self.placements)
        busiest = sorted(employers.items(), key=lambda item: (-item[1], item[0].name))
        companies = [org for org, _ in busiest if org.kind == K.COMPANY][:3]
        structures = [org for org, _ in busiest if org.kind == K.INCLUSION_STRUCTURE][:2]
        for number, org in enumerate(companies + structures, start=1):
            self.employer_user[org] = self._user(f"employeur-{number}", Role.EMPLOYER, org)
        buyers = Counter(o.buyer for o in self.operations if o.buyer is not self.department_org)
        for number, (org, _) in enumerate(sorted(buyers.items(), key=lambda item: (-item[1], item[0].name))[:5], 1):
            self._user(f"acheteur-{number}", Role.BUYER, org)

    def _user(self, local_part, role, organisation):
        rng = self.rng
        female = rng.random() < 0.6
        names = FrenchNames.first_names_female if female else FrenchNames.first_names_male
        user = UserRec(
            f"{local_part}@{EMAIL_DOMAIN}",
            names[rng.randrange(len(names))],
            FrenchNames.last_names[rng.randrange(len(FrenchNames.last_names))],
            role,
            organisation,
        )
        self.users.append(user)
        return user

    def facilitator(self, body):
        return self.facilitator_of.get(body) or self.any_facilitator

    # Declarations -------------------------------------------------------------------------------

    def build_declarations(self):
        rng = self.rng
        before_previous = declaration_rules.previous_month(self.previous_month)
        for placement in self.placements:
            person = placement.participant
            window = counting_window(person.first_start, self.window_months)
            last = min(placement.end or self.last_declared_day, self.last_declared_day)
            if placement.start > last:
                continue
            full = placement.weekly * 52 / 12
            is_training = placement.mode == MODE.TRAINING
            reviewer = self.facilitator(person.body)
            for month in _months(placement.start, last):
                key = (placement.employer, month)
                declaration = self.declarations.get(key)
                if declaration is None:
                    declaration = DeclarationRec(placement.employer, month, self._declaration_state(month))
                    self.declarations[key] = declaration
                if declaration.state == "not_declared":
                    continue
                month_end = declaration_rules.last_day(month)
                days = (min(month_end, placement.end or month_end) - max(month, placement.start)).days + 1
                attendance = rng.uniform(0.8, 1.0) if rng.random() > 0.02 else rng.uniform(0.2, 0.7)
                hours = float(full) * days / month_end.day * attendance
                half = min(416, max(0, round(hours * 2)))
                counted = declaration_rules.counts(month, window, is_training, self.training_counts)
                if declaration.state == "draft":
                    self._line(placement, declaration, 1, True, half, counted, LINE.DRAFT, None)
                    continue
                status = LINE.PENDING if declaration.state == "submitted" else LINE.VALIDATED
                r = rng.random()
                recent = month >= before_previous
                if recent and r < 0.03:
                    self._line(placement, declaration, 1, True, half, counted, LINE.REJECTED, reviewer)
                elif r < 0.065 and half > 16:
                    wrong = min(416, half + rng.choice([8, 14, 16, -16, 28]))
                    self._line(placement, declaration, 1, False, wrong, counted, LINE.REJECTED, reviewer)
                    self._line(placement, declaration, 2, True, half, counted, status, reviewer)
                    declaration.corrected = True
                else:
                    self._line(placement, declaration, 1, True, half, counted, status, reviewer)
        self.declarations = {key: d for key, d in self.declarations.items() if d.statuses}
        self.say(f"Déclarations : {len(self.declarations)}, lignes : {len(self.lines)}.")

    def _declaration_state(self, month):
        r = self.rng.random()
        if month == self.previous_month:
            return "not_declared" if r < 0.08 else "draft" if r < 0.18 else "submitted" if r < 0.73 else "validated"
        if month == declaration_rules.previous_month(self.previous_month):
            return "submitted" if r < 0.06 else "validated"
        return "submitted" if r < 0.003 else "validated"

    def _line(self, placement, declaration, version, current, half, counted, status, reviewer):
        reviewed = reviewer if status in (LINE.VALIDATED, LINE.REJECTED) else None
        self.lines.append((placement, declaration, version, current, half, counted, status, reviewed))
        if current:
            declaration.statuses.append(status)
            if status == LINE.VALIDATED and counted:
                placement.lot.validated += HALF_HOURS[half]

    # Hours required -------------------------------------------------------------------------------

    def build_requirements(self):
        """Set each lot's clause from the hours validated on it, so that 40 % of the started lots
        are behind schedule (see the module's docstring)."""
        rng = self.rng
        today = self.today
        started = [lot for lot in self.lots if lot.basis and lot.start <= today]
        empty = [
            lot for lot in started if not lot.validated and clause_hours.elapsed_share(lot.start, lot.end, today) > 0
        ]
        others = [lot for lot in started if lot.validated]
        wanted = max(0, round(BEHIND_SHARE * len(started)) - len(empty))
        for lot in rng.sample(others, min(wanted, len(others))):
            lot.behind = True
        for lot in self.lots:
            if not lot.basis:
                lot.amount = self._prior_amount(lot)
                continue
            if lot.validated and lot.start <= today:
                share = float(clause_hours.elapsed_share(lot.start, lot.end, today)) or 1.0
                ratio = rng.uniform(0.35, 0.88) if lot.behind else rng.uniform(1.08, 1.7)
                required = max(1, math.ceil(float(lot.validated) / (share * ratio)))
            else:
                required = None
            self._clause(lot, min(required, 200_000) if required else None)
        behind = sum(
            1
            for lot in started
            if clause_hours.lot_progress(self.required(lot), lot.validated, lot.start, lot.end, today).status
            == clause_hours.BEHIND
        )
        self.stats["lots_started"] = len(started)
        self.stats["lots_behind"] = behind
        self.say(f"Heures exigées fixées : {behind} lots en retard sur {len(started)} commencés.")

    def required(self, lot):
        if lot.method == computation.PER_EURO_INVOICED:
            return clause_hours.invoiced_hours(
                sum((a for _, _, a in lot.invoices), Decimal(0)), lot.inputs["euros_per_hour"]
            )
        return lot.contractual if lot.contractual is not None else lot.computed

    def _prior_amount(self, lot):
        median = {
            "building": 350_000,
            "public_works": 500_000,
            "cleaning": 250_000,
            "green_spaces": 120_000,
            "waste": 400_000,
            "catering": 300_000,
            "services": 150_000,
        }[lot.sector]
        value = min(15_000_000, max(20_000, self.rng.lognormvariate(math.log(median), 0.9)))
        return Decimal(round(value, -2))

    def _clause(self, lot, required):
        """Inputs of the clause that give ``required`` hours (or plausible ones when None)."""
        rng = self.rng
        prior = self._prior_amount(lot)
        reserved = lot.basis in RESERVED_HOLDERS
        months = clause_hours.months_between(lot.start, lot.end)
        if lot.contract.framework and rng.random() < 0.6:
            method = computation.PER_EURO_INVOICED
        elif lot.sector == "cleaning" and rng.random() < 0.7:
            method = computation.CLEANING
        elif rng.random() < 0.04:
            method = computation.WORKED_HOURS_SHARE
        else:
            method = computation.FORMULA
        labour = Decimal(lot.trade["labour_share"])
        cost = Decimal(rng.choice(["25", "28", "30", "30", "30", "32"])) if rng.random() < 0.3 else self.hourly_cost
        rates = [50, 70, 100] if reserved else [5, 6, 7, 8, 10, 12, 15, 20]
        if required is None:
            rate = Decimal(rng.choice(rates))
            required = max(1, int(prior * labour * rate / Decimal(10_000) / cost))
        inputs, invoiced = {}, None
        if method == computation.FORMULA:
            amounts = {r: Decimal(required) * cost * 10_000 / (labour * r) for r in rates}
            rate = min(rates, key=lambda r: abs(math.log(float(amounts[r]) / float(prior))))
            amount = amounts[rate].quantize(Decimal(1), rounding=ROUND_CEILING)
            inputs = {"labour_share": labour, "insertion_rate": Decimal(rate), "hourly_cost": cost}
        elif method == computation.CLEANING:
            coefficient = clause_hours.CLEANING_COEFFICIENT
            rate = min(rates, key=lambda r: abs(math.log(required * 25 * 100 / r / float(prior))))
            amount = (Decimal(required) * coefficient * 100 / rate).quantize(Decimal(1), rounding=ROUND_CEILING)
            inputs = {"insertion_rate": Decimal(rate), "cleaning_coefficient": coefficient}
            if rng.random() < 0.15:
                transferred = Decimal(rng.choice([80, 150, 300, 450]))
                amount += transferred * coefficient * months
                inputs["transferred_monthly_hours"] = transferred
        elif method == computation.WORKED_HOURS_SHARE:
            share = Decimal(rng.choice([5, 7, 10]))
            amount = prior
            inputs = {
                "worked_hours_share": share,
                "estimated_worked_hours": (Decimal(required) * 100 / share).quantize(
                    Decimal(1), rounding=ROUND_CEILING
                ),
            }
        else:
            euros = Decimal(rng.choice([1000, 1500, 2000, 2500, 3000]))
            inputs = {"euros_per_hour": euros}
            invoiced = Decimal(0)
            if lot.start <= self.today:
                total = Decimal(required) * euros
                periods = []
                start = lot.start
                while start <= min(lot.end, self.today):
                    end = min(add_months(start, 3) - timedelta(days=1), lot.end)
                    periods.append((start, end))
                    start = end + timedelta(days=1)
                weights = [rng.uniform(0.6, 1.4) for _ in periods]
                parts = [(total * Decimal(w / sum(weights))).quantize(Decimal("0.01")) for w in weights]
                parts[-1] = total - sum(parts[:-1])
                lot.invoices = [(s, e, a) for (s, e), a in zip(periods, parts, strict=True)]
                invoiced = total
            amount = max(prior, (Decimal(required) * euros * Decimal(rng.uniform(1.1, 1.6))).quantize(Decimal(100)))
        result = computation.compute(method, amount, inputs, months=months, invoiced_total=invoiced)
        lot.amount, lot.method, lot.inputs = amount, method, inputs
        lot.computed = result.hours if result.hours is not None else Decimal(0)
        if method in (computation.FORMULA, computation.CLEANING) and lot.computed >= 300 and rng.random() < 0.08:
            lot.contractual = Decimal(round(int(lot.computed), -1))
            lot.reason = "Arrondi par l'acheteur au CCAP"

    # Offers, candidacies, follow-ups, outcomes, actions ------------------------------------------------

    def build_offers(self):
        rng = self.rng
        chances = {MODE.DIRECT_HIRE: 0.7, MODE.TRAINING: 0.7, MODE.PROVISION: 0.3, MODE.SUBCONTRACTING: 0.2}
        for placement in self.placements:
            if rng.random() >= chances[placement.mode]:
                continue
            offer = self._offer(placement.lot, placement.employer, placement.contract_type, placement.start)
            offer.weekly = placement.weekly
            offer.status = JobOffer.Status.FILLED
            person = placement.participant
            hired = CandidacyRec(offer, person, Candidacy.Status.HIRED, proposed_by=self.facilitator(person.body))
            self.candidacies.append(hired)
            placement.candidacy = hired
            self._other_candidacies(offer, [person], rng.randint(0, 3), final=True)
        running = [lot for lot in self.lots if lot.basis and lot.start <= self.today <= lot.end]
        for _ in range(max(1, len(self.placements) // 25) if running else 0):
            lot = running[rng.randrange(len(running))]
            employer = lot.holder
            offer = self._offer(
                lot,
                employer,
                self._contract_type(MODE.DIRECT_HIRE, employer),
                self.today + timedelta(rng.randint(7, 60)),
            )
            self._other_candidacies(offer, [], rng.randint(0, 4), final=False)
        started = [lot for lot in self.lots if lot.basis and lot.start <= self.today]
        for _ in range(len(self.placements) // 60 if started else 0):
            lot = started[rng.randrange(len(started))]
            offer = self._offer(lot, lot.holder, "cdd", lot.start + timedelta(days=rng.randint(0, 60)))
            offer.status = JobOffer.Status.CANCELLED
            self._other_candidacies(offer, [], rng.randint(0, 1), final=True)
        self.say(f"Offres : {len(self.offers)}, candidatures : {len(self.candidacies)}.")

    def _offer(self, lot, employer, contract_type, start):
        position, rome = self.rng.choice(POSITIONS[lot.sector])
        offer = OfferRec(lot, employer, position, rome, contract_type, 1, Decimal(35), start, JobOffer.Status.OPEN)
        self.offers.append(offer)
        return offer

    def _other_candidacies(self, offer, taken, count, final):
        rng = self.rng
        pool = self.territories[offer.lot.territory].participants or self.participants
        for _ in range(count):
            person = pool[rng.randrange(len(pool))]
            if any(person is other for other in taken):
                continue
            taken.append(person)
            candidacy = CandidacyRec(offer, person, "", proposed_by=self.facilitator(person.body))
            if final:
                if rng.random() < 0.75:
                    candidacy.status = Candidacy.Status.REFUSED
                    candidacy.refusal = rng.choice(Candidacy.RefusalReason.values)
                else:
                    candidacy.status = Candidacy.Status.WITHDRAWN
                    candidacy.comment = "A trouvé un emploi ailleurs."
            else:
                candidacy.status = _weighted(
                    rng,
                    {
                        Candidacy.Status.PROPOSED: 35,
                        Candidacy.Status.SENT: 30,
                        Candidacy.Status.INTERVIEW: 20,
                        Candidacy.Status.REFUSED: 15,
                    },
                )
                if candidacy.status == Candidacy.Status.INTERVIEW:
                    candidacy.interview = self.today + timedelta(days=rng.randint(1, 14))
                if candidacy.status == Candidacy.Status.REFUSED:
                    candidacy.refusal = rng.choice(Candidacy.RefusalReason.values)
            self.candidacies.append(candidacy)

    def build_follow_ups_and_outcomes(self):
        rng = self.rng
        today = self.today
        moments = [(Outcome.Moment.EXIT, 0, 0.92, EXIT_SITUATIONS)]
        for months in self.follow_up_months:
            moment = Outcome.Moment.SIX_MONTHS if months == 6 else Outcome.Moment.TWELVE_MONTHS
            moments.append((moment, months, 0.75 if months == 6 else 0.6, SIX_MONTH_SITUATIONS))
        exit_keys, exit_weights = list(EXIT_SITUATIONS), _cumulative(EXIT_SITUATIONS.values())
        later_keys, later_weights = list(SIX_MONTH_SITUATIONS), _cumulative(SIX_MONTH_SITUATIONS.values())
        for placement in self.placements:
            facilitator = self.facilitator(placement.participant.body)
            planned = [
                (FollowUp.Kind.START, placement.start),
                (FollowUp.Kind.ONE_MONTH, add_months(placement.start, 1)),
            ]
            if placement.end:
                planned.append((FollowUp.Kind.END, placement.end))
            for kind, due in planned:
                done = None
                if due <= today and rng.random() < 0.93:
                    done = min(today, due + timedelta(days=rng.randint(0, 10)))
                self.follow_ups.append(
                    (placement, kind, due, done, rng.choice(FOLLOW_UP_NOTES) if done else "", facilitator)
                )
            if not placement.end:
                continue
            person = placement.participant
            rsa = person.rsa or "RSA" in person.criteria
            previous = None
            for moment, months, chance, _ in moments:
                due = add_months(placement.end, months) if months else placement.end
                if due > today or rng.random() >= chance:
                    self.outcomes.append((placement, moment, due, None, "", "", None))
                    continue
                if moment == Outcome.Moment.EXIT:
                    situation = _pick(rng, exit_keys, exit_weights)
                elif previous in ("cdi", "civil_service", "long_fixed_term") and rng.random() < 0.75:
                    situation = previous
                else:
                    situation = _pick(rng, later_keys, later_weights)
                previous = situation
                if not rsa:
                    rsa_status = Outcome.RsaStatus.NOT_CONCERNED
                elif rng.random() < 0.1:
                    rsa_status = Outcome.RsaStatus.UNKNOWN
                else:
                    left = (0.15 if moment == Outcome.Moment.EXIT else 0.35) * (
                        1.6 if outcome_rules.is_dynamic(situation) else 0.5
                    )
                    rsa_status = Outcome.RsaStatus.LEFT if rng.random() < left else Outcome.RsaStatus.RECEIVING
                recorded = min(today, due + timedelta(days=rng.randint(0, 30)))
                self.outcomes.append((placement, moment, due, recorded, situation, rsa_status, facilitator))
        self.say(f"Suivis : {len(self.follow_ups)}, sorties : {len(self.outcomes)}.")

    def build_actions(self):
        rng = self.rng
        kinds = list(ACTION_KINDS)
        days = int(self.scale.years * 365.25)
        for index, t in enumerate(self.territories):
            count = max(1, round(self.scale.actions_per_year * self.scale.years * min(2.0, max(0.4, t.weight))))
            sectors = [ref for ref, _ in self.ain_sectors] if index == 0 else [self.sectors[index - 1]]
            partners = t.buyers[B.COMMUNE] + t.buyers[B.EPCI] + [c for cs, _ in t.companies.values() for c in cs[:5]]
            for _ in range(count):
                kind = rng.choices(kinds, weights=[ACTION_KINDS[k][0] for k in kinds])[0]
                _, title, (low, high) = ACTION_KINDS[kind]
                r = rng.random()
                epci = t.epcis[rng.randrange(len(t.epcis))] if r < 0.5 else None
                sector = sectors[rng.randrange(len(sectors))] if 0.5 <= r < 0.7 and sectors else None
                audiences = rng.sample(self.audiences, min(len(self.audiences), rng.randint(1, 3)))
                organisations = rng.sample(partners, min(len(partners), rng.randint(0, 3)))
                self.actions.append(
                    (
                        self.today - timedelta(days=rng.randrange(days)),
                        kind,
                        title,
                        rng.randint(low, high),
                        epci,
                        sector,
                        audiences,
                        organisations,
                        self.facilitator(t.body),
                    )
                )
        self.say(f"Actions de sensibilisation : {len(self.actions)}.")

    # Writing ----------------------------------------------------------------------------------

    def _insert(self, model, records, build, label, keep_pks=True, pks=None):
        """bulk_create in batches; the records get the primary keys of their rows (or ``pks`` does)."""
        total = 0
        for start in range(0, len(records), BATCH_SIZE):
            chunk = records[start : start + BATCH_SIZE]
            objects = [build(record) for record in chunk]
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            if keep_pks:
                for record, obj in zip(chunk, objects, strict=True):
                    record.pk = obj.pk
            if pks is not None:
                pks.extend(obj.pk for obj in objects)
            total += len(objects)
        if label:
            self.say(f"  {label} : {total}")
        return total

    def _through(self, through, rows, label=""):
        return self._insert(through, rows, lambda row: through(**row), label, keep_pks=False)

    def write(self):
        counts = {}
        self.say("Écriture dans la base…")
        counts["epci"] = self._insert(
            Epci,
            self.epcis,
            lambda e: Epci(
                siren=e.siren,
                name=e.name,
                kind=e.kind,
                communes_in_ain=0,
                communes_total=e.communes,
                departments=e.department,
                population=e.population,
            ),
            "EPCI synthétiques",
        )
        counts["communes"] = self._insert(
            Commune,
            self.communes,
            lambda c: Commune(
                insee_code=c.insee,
                name=c.name,
                siren=c.siren,
                postal_codes=c.postal_code,
                population=c.population,
                epci_id=c.epci.pk,
            ),
            "communes synthétiques",
        )
        counts["sectors"] = self._insert(
            Sector, self.sectors, lambda s: Sector(name=s.name, description=f"{MARKER} {s.name}"), "secteurs"
        )
        self._through(
            Sector.epcis.through, [{"sector_id": s.pk, "epci_id": e.pk} for s in self.sectors for e in s.epcis]
        )
        self._write_organisations(counts)
        self._write_users(counts)
        self._write_contracts(counts)
        self._write_people(counts)
        self._write_declarations(counts)
        self._write_actions(counts)
        return counts

    def _organisation(self, org):
        commune_name = org.place.name if org.place else ""
        return Organisation(
            name=org.name,
            kind=org.kind,
            siret=org.siret,
            siren=org.siret[:9],
            commune_id=org.place.ref.pk if org.place else None,
            buyer_kind=org.buyer_kind,
            epci_id=org.epci.pk if org.epci is not None else None,
            engineering_agency_member=org.agency,
            naf_code=org.naf,
            size_band=org.size,
            federation_id=org.federation.pk if org.federation else None,
            structure_kind=org.structure_kind,
            provides_staff=org.provides_staff,
            subcontracts=org.subcontracts,
            service_kind=org.service_kind,
            notes=MARKER,
            search_text=search_key(org.name, org.siret, org.naf, commune_name),
        )

    def _write_organisations(self, counts):
        federations = [o for o in self.orgs if o.kind == K.FEDERATION]
        others = [o for o in self.orgs if o.kind != K.FEDERATION]
        counts["organisations"] = self._insert(Organisation, federations, self._organisation, "")
        counts["organisations"] += self._insert(Organisation, others, self._organisation, "organisations")
        self._through(
            Organisation.served_epcis.through,
            [{"organisation_id": o.pk, "epci_id": e.pk} for o in others for e in o.served_epcis],
        )
        bodies = [o for o in others if o.kind == K.FACILITATION_BODY]
        rules = []
        self._insert(
            CoverageRule,
            bodies,
            lambda o: CoverageRule(
                facilitation_body_id=o.pk, notes=f"{MARKER} Tous les donneurs d'ordre du territoire."
            ),
            "",
            keep_pks=False,
            pks=rules,
        )
        self._through(
            CoverageRule.sectors.through,
            [
                {"coveragerule_id": rule, "sector_id": ref.pk}
                for o, rule in zip(bodies, rules, strict=True)
                for _, ref in o.coverage
            ],
        )

    def _write_users(self, counts):
        password = make_password(PASSWORD)
        counts["users"] = self._insert(
            User,
            self.users,
            lambda u: User(email=u.email, first_name=u.first_name, last_name=u.last_name, password=password),
            "comptes",
        )
        self._insert(
            Membership,
            self.users,
            lambda u: Membership(user_id=u.pk, organisation_id=u.organisation.pk, role=u.role),
            "",
            keep_pks=False,
        )

    def _write_contracts(self, counts):
        counts["operations"] = self._insert(
            Operation,
            self.operations,
            lambda o: Operation(
                buyer_id=o.buyer.pk,
                title=o.title,
                commune_id=o.place.ref.pk,
                project_manager=o.manager,
                start_date=o.start,
                end_date=o.end,
                description=f"{MARKER} Opération synthétique.",
                facilitation_body_id=o.body.pk if o.body else None,
            ),
            "opérations",
        )
        counts["contracts"] = self._insert(
            Contract,
            self.contracts,
            lambda c: Contract(
                operation_id=c.operation.pk,
                reference=c.reference,
                title=c.title,
                procedure=c.procedure,
                is_purchase_order_framework=c.framework,
                notification_date=c.start - timedelta(days=30),
                start_date=c.start,
                end_date=c.end,
            ),
            "marchés",
        )
        counts["lots"] = self._insert(
            Lot,
            self.lots,
            lambda lot: Lot(
                contract_id=lot.contract.pk,
                number=lot.number,
                title=lot.title,
                trade_id=lot.trade["pk"],
                sector=lot.sector,
                amount_excl_tax=lot.amount,
                start_date=lot.start,
                end_date=lot.end,
            ),
            "lots",
        )
        with_clause = [lot for lot in self.lots if lot.basis]
        counts["clauses"] = self._insert(
            Clause,
            with_clause,
            lambda lot: Clause(
                lot_id=lot.pk,
                legal_basis=lot.basis,
                method=lot.method,
                computed_hours=lot.computed,
                contractual_hours=lot.contractual,
                adjustment_reason=lot.reason,
                **lot.inputs,
            ),
            "clauses",
            keep_pks=False,
        )
        awards = [(lot, company, role) for lot in self.lots for company, role in lot.awards]
        counts["awards"] = self._insert(
            LotAward,
            awards,
            lambda a: LotAward(lot_id=a[0].pk, company_id=a[1].pk, role=a[2]),
            "attributions",
            keep_pks=False,
        )
        invoices = [(lot, *invoice) for lot in self.lots for invoice in lot.invoices]
        counts["invoiced_amounts"] = self._insert(
            InvoicedAmount,
            invoices,
            lambda i: InvoicedAmount(lot_id=i[0].pk, period_start=i[1], period_end=i[2], amount=i[3]),
            "montants facturés",
            keep_pks=False,
        )

    def _write_people(self, counts):
        counts["participants"] = self._insert(
            Participant,
            self.participants,
            lambda p: Participant(
                first_name=p.first_name,
                last_name=p.last_name,
                birth_date=p.birth_date,
                sex=p.sex,
                commune_id=p.place.ref.pk,
                education_level=p.education,
                mobility=p.mobility,
                availability="Immédiate",
                prescriber_id=p.prescriber.pk if p.prescriber else None,
                referent="Référent RSA du Département" if p.rsa else "",
                rsa_at_entry=p.rsa,
                data_information_date=p.first_start - timedelta(days=30),
                facilitation_body_id=p.body.pk,
                notes=MARKER,
            ),
            "participants",
        )
        criteria = [(p, code) for p in self.participants for code in p.criteria]

        def criterion(row):
            person, code = row
            prescriber = person.prescriber if code == "DEROGATION" or not PROOFS[code] else None
            if code == "DEROGATION" and prescriber is None:
                prescriber = self.territories[person.territory].services["france_travail"][0]
            return EligibilityCriterion(
                participant_id=person.pk,
                criterion=code,
                assessed_on=person.first_start - timedelta(days=15),
                proof=PROOFS[code],
                confirming_prescriber_id=prescriber.pk if prescriber else None,
                validated_by_id=self.facilitator(person.body).pk,
            )

        counts["criteria"] = self._insert(EligibilityCriterion, criteria, criterion, "critères", keep_pks=False)
        self._through(
            Participant.wished_trades.through,
            [{"participant_id": p.pk, "trade_id": trade} for p in self.participants for trade in p.trades],
        )
        counts["job_offers"] = self._insert(
            JobOffer,
            self.offers,
            lambda o: JobOffer(
                employer_id=o.employer.pk,
                lot_id=o.lot.pk,
                position=o.position,
                rome_code=o.rome,
                tasks="Travaux du lot sous la conduite du chef d'équipe ; respect des consignes de sécurité.",
                skills="Ponctualité, travail en équipe.",
                contract_type=o.contract_type,
                positions=o.positions,
                weekly_hours=o.weekly,
                start_date=o.start,
                place_id=o.lot.contract.operation.place.ref.pk,
                status=o.status,
            ),
            "offres",
        )
        counts["candidacies"] = self._insert(
            Candidacy,
            self.candidacies,
            lambda c: Candidacy(
                offer_id=c.offer.pk,
                participant_id=c.participant.pk,
                status=c.status,
                refusal_reason=c.refusal,
                comment=c.comment,
                interview_date=c.interview,
                proposed_by_id=c.proposed_by.pk if c.proposed_by else None,
            ),
            "candidatures",
        )
        counts["placements"] = self._insert(
            Placement,
            self.placements,
            lambda p: Placement(
                participant_id=p.participant.pk,
                lot_id=p.lot.pk,
                employer_id=p.employer.pk,
                candidacy_id=p.candidacy.pk if p.candidacy else None,
                mode=p.mode,
                contract_type=p.contract_type,
                start_date=p.start,
                end_date=p.end,
                weekly_hours=p.weekly,
                contract_signed=p.start <= self.today + timedelta(days=15),
                eligibility_proof_filed=True,
                start_confirmed=p.start <= self.today,
                created_by_id=self.facilitator(p.participant.body).pk,
            ),
            "mises à l'emploi",
        )
        counts["follow_ups"] = self._insert(
            FollowUp,
            self.follow_ups,
            lambda f: FollowUp(
                placement_id=f[0].pk,
                kind=f[1],
                due_date=f[2],
                done_on=f[3],
                notes=f[4],
                done_by_id=f[5].pk if f[3] else None,
            ),
            "suivis",
            keep_pks=False,
        )
        counts["outcomes"] = self._insert(
            Outcome,
            self.outcomes,
            lambda o: Outcome(
                placement_id=o[0].pk,
                moment=o[1],
                due_date=o[2],
                recorded_on=o[3],
                situation=o[4],
                rsa_status=o[5],
                recorded_by_id=o[6].pk if o[6] else None,
            ),
            "sorties",
            keep_pks=False,
        )

    def _write_declarations(self, counts):
        declarations = list(self.declarations.values())

        def declaration(d):
            status = declaration_rules.declaration_status(d.statuses)
            user = self.employer_user.get(d.employer)
            submitted = None
            if status != "draft":
                month_end = declaration_rules.last_day(d.month)
                submitted = _aware(min(self.today, month_end + timedelta(days=3 + d.month.month % 7)))
            return MonthlyDeclaration(
                employer_id=d.employer.pk,
                month=d.month,
                status=status,
                revision=2 if d.corrected else 1,
                submitted_at=submitted,
                submitted_by_id=user.pk if user and submitted else None,
            )

        counts["declarations"] = self._insert(MonthlyDeclaration, declarations, declaration, "déclarations mensuelles")
        comment = "Le bulletin de paie ne correspond pas aux heures déclarées : corrigez la ligne."
        total = 0
        for start in range(0, len(self.lines), BATCH_SIZE):
            objects = []
            for placement, decl, version, current, half, counted, status, reviewer in self.lines[
                start : start + BATCH_SIZE
            ]:
                reviewed_at = None
                if reviewer is not None:
                    month_end = declaration_rules.last_day(decl.month)
                    reviewed_at = _aware(min(self.today, month_end + timedelta(days=8 + version * 5)), 14)
                user = self.employer_user.get(decl.employer)
                objects.append(
                    DeclarationLine(
                        declaration_id=decl.pk,
                        placement_id=placement.pk,
                        version=version,
                        is_current=current,
                        hours=HALF_HOURS[half],
                        counted=counted,
                        status=status,
                        review_comment=comment if status == LINE.REJECTED else "",
                        reviewed_by_id=reviewer.pk if reviewer else None,
                        reviewed_at=reviewed_at,
                        created_by_id=user.pk if user else None,
                    )
                )
            DeclarationLine.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            total += len(objects)
            if (start // BATCH_SIZE) % 20 == 19:
                self.say(f"  lignes de déclaration : {total} / {len(self.lines)}")
        self.say(f"  lignes de déclaration : {total}")
        counts["declaration_lines"] = total
        counts["current_lines"] = sum(1 for line in self.lines if line[3])

    def _write_actions(self, counts):
        pks = []
        counts["awareness_actions"] = self._insert(
            AwarenessAction,
            self.actions,
            lambda a: AwarenessAction(
                date=a[0],
                kind=a[1],
                title=a[2],
                people_reached=a[3],
                epci_id=a[4].pk if a[4] is not None else None,
                sector_id=a[5].pk if a[5] is not None else None,
                notes=MARKER,
                created_by_id=a[8].pk,
            ),
            "actions de sensibilisation",
            keep_pks=False,
            pks=pks,
        )
        self._through(
            AwarenessAction.audiences.through,
            [
                {"awarenessaction_id": pk, "audience_id": a}
                for pk, action in zip(pks, self.actions, strict=True)
                for a in action[6]
            ],
        )
        self._through(
            AwarenessAction.organisations.through,
            [
                {"awarenessaction_id": pk, "organisation_id": o.pk}
                for pk, action in zip(pks, self.actions, strict=True)
                for o in action[7]
            ],
        )

    # Summary ----------------------------------------------------------------------------------

    def summary(self):
        people = self.participants
        rsa = sum(1 for p in people if p.rsa or "RSA" in p.criteria)
        first_sector = {}
        for placement in sorted(self.placements, key=lambda p: p.start):
            first_sector.setdefault(placement.participant, placement.lot.sector)
        building = [p for p in people if first_sector.get(p) == "building"]
        exits = [o[4] for o in self.outcomes if o[1] == Outcome.Moment.EXIT and o[4]]
        rates = outcome_rules.exit_rates(exits)
        current = [line for line in self.lines if line[3]]
        return {
            "lots en retard": f"{self.stats['lots_behind']} / {self.stats['lots_started']} commencés",
            "participants au RSA": f"{rsa * 100 // max(1, len(people))} %",
            "femmes dans le bâtiment": f"{sum(p.sex == 'F' for p in building) * 100 // max(1, len(building))} %",
            "sorties dynamiques à la sortie": f"{rates.dynamic_rate} %",
            "lignes hors fenêtre (non comptées)": sum(1 for line in current if not line[5]),
            "lignes corrigées (version 2)": sum(1 for line in self.lines if line[2] == 2),
            "lignes à valider": sum(1 for line in current if line[6] == LINE.PENDING),
            "marchés réservés (lots SIAE, EA/ESAT)": sum(
                1 for lot in self.lots if lot.basis in (BASIS.RESERVED_SIAE, BASIS.RESERVED_DISABILITY)
            ),
        }


# Entry points -------------------------------------------------------------------------------------


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


def generate(scale="tiny", seed=1, years=None, today=None, log=None):
    """Plan then write a dataset; return the counts written and a summary of its distributions."""
    if isinstance(scale, str):
        if scale not in SCALES:
            raise DatasetError(f"Échelle inconnue : {scale} (choix : {', '.join(SCALES)}).")
        scale = SCALES[scale]
    scale = scale.for_years(years)
    generator = Generator(scale, seed=seed, today=today, log=log)
    generator.load_reference()
    generator.build_territories()
    generator.build_organisations()
    generator.build_contracts()
    generator.build_staff()
    generator.build_placements()
    generator.build_participants()
    generator.build_partners_accounts()
    generator.build_declarations()
    generator.build_requirements()
    generator.build_offers()
    generator.build_follow_ups_and_outcomes()
    generator.build_actions()
    with transaction.atomic():
        counts = generator.write()
    if connection.vendor == "postgresql":
        # Fresh statistics, so that a benchmark right after the load sees the planner's real plans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        generator.say("Statistiques du planificateur à jour (ANALYZE).")
    generator.say("Terminé.")
    return counts, generator.summary(), generator
