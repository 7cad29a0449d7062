"""Reference tables of the distributions (see the package's docstring) and the drawing helpers."""

import bisect
from datetime import date, datetime
from datetime import time as day_time
from decimal import Decimal

from django.utils import timezone

from .config import (
    BASIS,
    B,
    S,
)

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
