"""Default trades, hours settings and clause-sheet texts, loaded by a data migration.

Labour shares from domain.md (interior painting 70 %, masonry 50 %, steel framing 20 %, cleaning
about 80 %); the others are starting values that administrators adjust.
"""

from decimal import Decimal

DEFAULT_TRADES = [
    ("Gros œuvre, maçonnerie", "building", "50"),
    ("Peinture intérieure", "building", "70"),
    ("Plâtrerie, cloisons, faux plafonds", "building", "60"),
    ("Menuiseries intérieures et extérieures", "building", "45"),
    ("Charpente métallique", "building", "20"),
    ("Charpente bois, couverture, zinguerie", "building", "50"),
    ("Électricité", "building", "45"),
    ("Plomberie, chauffage, ventilation", "building", "40"),
    ("Carrelage, revêtements de sols", "building", "55"),
    ("Démolition, désamiantage", "building", "60"),
    ("Voirie et réseaux divers (VRD)", "public_works", "35"),
    ("Terrassement", "public_works", "30"),
    ("Nettoyage des locaux", "cleaning", "80"),
    ("Entretien des espaces verts", "green_spaces", "60"),
    ("Collecte et tri des déchets", "waste", "50"),
    ("Restauration collective", "catering", "45"),
    ("Prestations de services", "services", "60"),
]

MODES = (
    "Le titulaire choisit librement, seul ou en les combinant, la manière de réaliser ces heures : "
    "l'embauche directe (CDI, CDD, contrat d'apprentissage ou de professionnalisation) ; la mise à disposition "
    "de salariés par une entreprise de travail temporaire d'insertion (ETTI), une association intermédiaire (AI) "
    "ou un groupement d'employeurs pour l'insertion et la qualification (GEIQ) ; la sous-traitance ou la "
    "co-traitance avec une structure d'insertion par l'activité économique (SIAE), une entreprise adaptée (EA) "
    "ou un établissement et service d'accompagnement par le travail (ESAT)."
)

DEFAULT_SHEET_TEXTS = {
    "execution_condition": (
        "En application de l'article L2112-2 du code de la commande publique, l'exécution du {lot} du marché "
        "{marche} comporte une action d'insertion professionnelle. Le titulaire s'engage à réserver au moins "
        "{heures} heures de travail à des personnes rencontrant des difficultés sociales ou professionnelles "
        "particulières, pendant toute la durée du marché. " + MODES + " Le facilitateur des clauses sociales "
        "({facilitateur}) accompagne gratuitement le titulaire : définition des postes, présélection des "
        "candidats, suivi des personnes et des heures. Le titulaire déclare chaque mois les heures réalisées."
    ),
    "award_criterion": (
        "En application de l'article R2152-7 du code de la commande publique, les offres pour le {lot} du marché "
        "{marche} sont aussi jugées sur les performances en matière d'insertion professionnelle des publics en "
        "difficulté. Le candidat décrit les moyens qu'il engagera ; l'objectif minimal est de {heures} heures "
        "d'insertion. " + MODES + " Contact : {facilitateur}."
    ),
    "reserved_siae": (
        "En application de l'article L2113-13 du code de la commande publique, le {lot} du marché {marche} est "
        "réservé aux structures d'insertion par l'activité économique mentionnées à l'article L5132-4 du code du "
        "travail et aux structures équivalentes employant au moins 50 % de travailleurs défavorisés. Heures "
        "d'insertion attendues : {heures} heures. Contact : {facilitateur}."
    ),
    "reserved_disability": (
        "En application de l'article L2113-12 du code de la commande publique, le {lot} du marché {marche} est "
        "réservé aux entreprises adaptées, aux établissements et services d'accompagnement par le travail et aux "
        "structures équivalentes employant au moins 50 % de travailleurs handicapés. Heures attendues : "
        "{heures} heures. Contact : {facilitateur}."
    ),
    "reserved_ess": (
        "En application de l'article L2113-15 du code de la commande publique, le {lot} du marché {marche} est "
        "réservé aux entreprises de l'économie sociale et solidaire pour une durée de trois ans au plus. "
        "Heures d'insertion attendues : {heures} heures. Contact : {facilitateur}."
    ),
    "insertion_contract": (
        "En application de l'article R2123-1 du code de la commande publique, le {lot} du marché {marche} est un "
        "marché d'insertion et de qualification : la prestation achetée est l'insertion professionnelle de "
        "personnes éloignées de l'emploi, pour au moins {heures} heures. Contact : {facilitateur}."
    ),
}


def seed(Trade, HoursSettings, ClauseSheetTemplate):
    for name, sector, share in DEFAULT_TRADES:
        Trade.objects.get_or_create(name=name, defaults={"sector": sector, "labour_share": Decimal(share)})
    HoursSettings.objects.get_or_create(pk=1)
    for basis, text in DEFAULT_SHEET_TEXTS.items():
        ClauseSheetTemplate.objects.get_or_create(legal_basis=basis, defaults={"model_text": text})
