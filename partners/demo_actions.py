"""Demo awareness-raising and partnership actions, 2025–2026.

Idempotent: each action is found by (date, title) before it is created; audiences and organisations
are only set on creation, so a second run changes nothing.
"""

from datetime import date

from .models import Audience, AwarenessAction, Epci, Sector, User

K = AwarenessAction.Kind
FACILITATOR_EMAIL = "facilitatrice@clausier.demo"

# EPCI by SIREN (used below)
BASSIN_DE_BOURG = "200071751"
HAUT_BUGEY = "200042935"
PLAINE_DE_L_AIN = "240100883"
LA_DOMBES = "200069193"
PAYS_DE_GEX = "240100750"
VAL_DE_SAONE_CENTRE = "200070118"


# date, kind, title, audience codes, people reached, EPCI SIREN, sector name, organisation names, notes
ACTIONS = [
    (
        date(2025, 2, 6),
        K.INFORMATION_MEETING,
        "Les clauses sociales expliquées aux services acheteurs du Département",
        ["public_buyers"],
        18,
        None,
        None,
        [],
        "Présentation des bases juridiques (article L2112-2, marchés réservés) et du circuit de validation.",
    ),
    (
        date(2025, 3, 20),
        K.FORUM,
        "Forum emploi et clauses sociales du BTP à Bourg-en-Bresse",
        ["companies", "iae_actors"],
        64,
        BASSIN_DE_BOURG,
        None,
        ["Ville de Bourg-en-Bresse", "Fédération du BTP de l'Ain", "Tremplin Bresse (ACI)", "GEIQ BTP de l'Ain"],
        "Douze entreprises présentes, une trentaine de candidats reçus par les structures d'insertion.",
    ),
    (
        date(2025, 4, 15),
        K.TRAINING,
        "Formation des maîtres d'œuvre à la rédaction des clauses d'insertion",
        ["project_managers", "public_buyers"],
        22,
        None,
        None,
        [],
        "Demi-journée : calcul des heures, choix des lots, suivi pendant le chantier.",
    ),
    (
        date(2025, 6, 12),
        K.SITE_VISIT,
        "Visite du chantier de rénovation du collège de Bourg-en-Bresse",
        ["elected_officials", "companies"],
        15,
        BASSIN_DE_BOURG,
        None,
        ["Bâtir Bresse Construction", "Tremplin Bresse (ACI)"],
        "Rencontre avec deux salariés en insertion embauchés sur le gros œuvre.",
    ),
    (
        date(2025, 9, 25),
        K.PARTNERS_MEETING,
        "Réunion des partenaires de l'insertion du secteur Bresse",
        ["iae_actors"],
        14,
        None,
        "Bresse",
        ["Tremplin Bresse (ACI)", "GEIQ BTP de l'Ain"],
        "Point sur les offres à venir et les candidats disponibles.",
    ),
    (
        date(2025, 11, 18),
        K.INFORMATION_MEETING,
        "Petit-déjeuner des artisans du bâtiment sur les clauses sociales",
        ["companies", "federations"],
        27,
        None,
        "Dombes et Côtière",
        ["CAPEB de l'Ain"],
        "Questions fréquentes : sous-traitance à une SIAE, mise à disposition par une ETTI.",
    ),
    (
        date(2025, 12, 9),
        K.STEERING_COMMITTEE,
        "Comité de pilotage départemental des clauses sociales 2025",
        ["public_buyers", "elected_officials", "federations"],
        21,
        None,
        None,
        ["Fédération du BTP de l'Ain", "CAPEB de l'Ain"],
        "Bilan de l'année et priorités 2026, dont la zone blanche du Val de Saône Dombes.",
    ),
    (
        date(2026, 1, 29),
        K.INFORMATION_MEETING,
        "Présentation des clauses sociales aux élus de la CC de la Dombes",
        ["elected_officials", "public_buyers"],
        19,
        LA_DOMBES,
        None,
        [],
        "Communes adhérentes de l'Agence d'Ingénierie 01 : accompagnement par le Département.",
    ),
    (
        date(2026, 3, 12),
        K.TRAINING,
        "Atelier marchés réservés aux SIAE, EA et ESAT",
        ["public_buyers", "iae_actors"],
        24,
        None,
        "Bugey",
        [],
        "Articles L2113-12 et L2113-13 du code de la commande publique ; exemples de lots réservables.",
    ),
    (
        date(2026, 4, 23),
        K.FORUM,
        "Forum des métiers des travaux publics de la Plaine de l'Ain",
        ["companies", "iae_actors"],
        85,
        PLAINE_DE_L_AIN,
        None,
        ["Fédération du BTP de l'Ain", "GEIQ BTP de l'Ain"],
        "",
    ),
    (
        date(2026, 6, 4),
        K.PARTNERS_MEETING,
        "Rencontre des acteurs de l'emploi du Val de Saône Dombes",
        ["iae_actors", "public_buyers"],
        16,
        None,
        "Val de Saône Dombes",
        [],
        "Territoire sans facilitateur : recensement des marchés à venir des communes.",
    ),
    (
        date(2026, 9, 17),
        K.SITE_VISIT,
        "Visite du chantier d'extension du gymnase de Gex",
        ["companies", "elected_officials", "project_managers"],
        12,
        PAYS_DE_GEX,
        None,
        [],
        "",
    ),
    (
        date(2026, 10, 8),
        K.INFORMATION_MEETING,
        "Réunion d'information des entreprises attributaires du lot voirie",
        ["companies"],
        9,
        HAUT_BUGEY,
        None,
        ["Bâtir Bresse Construction"],
        "Modalités de déclaration mensuelle des heures dans Clausier.",
    ),
]


def seed(context):
    """Create the demo actions (uses ``context["organisations"]`` filled by ``partners.demo.seed``)."""
    organisations = context.get("organisations", {})
    created_by = User.objects.filter(email=FACILITATOR_EMAIL).first()
    audiences = {audience.code: audience for audience in Audience.objects.all()}
    actions = []
    for when, kind, title, audience_codes, people, epci_siren, sector_name, organisation_names, notes in ACTIONS:
        action, created = AwarenessAction.objects.get_or_create(
            date=when,
            title=title,
            defaults={
                "kind": kind,
                "people_reached": people,
                "epci": Epci.objects.get(siren=epci_siren) if epci_siren else None,
                "sector": Sector.objects.get(name=sector_name) if sector_name else None,
                "notes": notes,
                "created_by": created_by,
            },
        )
        if created:
            action.audiences.set([audiences[code] for code in audience_codes])
            action.organisations.set([organisations[name] for name in organisation_names if name in organisations])
        actions.append(action)
    context["awareness_actions"] = actions
    return context
