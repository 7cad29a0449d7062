"""The yearly return to Alliance Villes Emploi (AVE, issue 18): the national network's figures per
facilitation body (« structure porteuse du facilitateur »), for the page and the XLSX alike.

Every figure is read from ``reporting.indicators.compute_by``: the impact indicators of the year
for the lots of each facilitation body (the body that follows the lot's operation), and for all
of them together (the « Total » column, where a person placed with two bodies counts once). So a
figure here is the one the dashboards and reports give for that body; nothing is counted again.
Only counts and sums: no person's identity. Queries: 1 (the bodies, when not given) + those of one
``compute``, whatever the number of bodies, lots, people or hours.

What the AVE return asks that Clausier does not hold is listed in ``NOT_COVERED`` (and in the
README, « Bilan AVE »).
"""

from dataclasses import dataclass
from datetime import date

from clauses.models import ActivitySector, Clause, Lot, today
from partners.models import Organisation
from placements import outcomes as outcome_rules
from placements.eligibility import CRITERIA
from placements.models import ContractType, Participant, Placement
from reporting import rules
from reporting.indicators import TOTAL, compute_by

GROUP = "contract__operation__facilitation_body"
COUNT, HOURS, MONEY, RATE = "count", "hours", "money", "rate"
TOTAL_LABEL = "Total"


@dataclass(frozen=True)
class Figure:
    """One line of the return: its label, its kind (count, hours, money, rate) and one value per
    column (each body, then the total)."""

    label: str
    kind: str
    values: tuple


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    figures: list


@dataclass(frozen=True)
class AveReturn:
    year: int
    generated_on: date
    bodies: list
    sections: list

    @property
    def columns(self):
        return [body.name for body in self.bodies] + [TOTAL_LABEL]

    @property
    def title(self):
        return f"Bilan AVE {self.year}"


# What the AVE return asks and Clausier does not hold (or not per facilitation body), and why.
NOT_COVERED = [
    (
        "Opérations et marchés par type de donneur d'ordre",
        "Clausier compte les donneurs d'ordre par type (ci-dessus), pas les opérations par type.",
    ),
    (
        "Marchés réservés à l'ESS (L2113-15), marchés d'insertion (R2123-1) : montants",
        "Comptés en lots par fondement juridique ; seuls les montants des lots réservés SIAE et EA/ESAT sont suivis.",
    ),
    (
        "Sous-traitance à une SIAE ou une EA : heures de chaque type de structure",
        "Le mode « sous-traitance ou co-traitance » est compté sans distinguer SIAE, EA et ESAT.",
    ),
    (
        "Mise à disposition : part de l'ETTI, de l'AI et du GEIQ",
        "Le mode « mise à disposition » est compté ensemble pour les trois.",
    ),
    (
        "Sorties à 12 mois",
        "Clausier les enregistre, mais les indicateurs ne comptent que la sortie et les 6 mois.",
    ),
    (
        "Métiers (ROME) et niveau de qualification des postes",
        "Seules les offres portent un code ROME ; les heures sont comptées par secteur d'activité.",
    ),
    (
        "Actions de sensibilisation par structure d'animation",
        "Une action est rattachée à un territoire (EPCI, secteur), pas à une structure d'animation.",
    ),
    (
        "Moyens de la structure (ETP de facilitateur, budget, financeurs)",
        "Ce ne sont pas des données de Clausier : à saisir directement dans le questionnaire AVE.",
    ),
]


def facilitation_bodies():
    """The bodies a return may be asked for: the Département and the partner facilitation bodies."""
    return Organisation.objects.facilitation_bodies().order_by("name", "pk")


def _row_value(rows, key, attribute="count"):
    def get(figures):
        return next((getattr(row, attribute) for row in rows(figures) if row.key == key), 0)

    return get


def _dict_value(mapping, key):
    return lambda figures: mapping(figures).get(key, 0)


def _outcome_lines(moment, label):
    def outcome(figures):
        return figures.outcomes[moment]

    lines = [(f"{label} : sorties renseignées", COUNT, lambda f: outcome(f).recorded)]
    lines += [
        (f"{label} : {group_label}", COUNT, _dict_value(lambda f: outcome(f).by_group, group_label))
        for group_label in outcome_rules.GROUP_LABELS.values()
    ]
    lines += [
        (f"{label} : sorties comptées (hors neutres)", COUNT, lambda f: outcome(f).counted),
        (f"{label} : sorties dynamiques", COUNT, lambda f: outcome(f).dynamic),
        (f"{label} : taux de sorties dynamiques (%)", RATE, lambda f: outcome(f).dynamic_rate),
    ]
    return lines


def _sections(buyer_kinds):
    """(key, title, [(label, kind, getter of an Indicators)]) of each category of the return."""
    reserved = lambda key, attribute: _row_value(lambda f: f.reserved, key, attribute)  # noqa: E731
    return [
        (
            "clauses",
            "Clauses et marchés",
            [
                ("Opérations avec une clause", COUNT, lambda f: f.operations_with_clause),
                ("Marchés avec une clause", COUNT, lambda f: f.contracts_with_clause),
                ("Lots avec une clause", COUNT, lambda f: f.lots_with_clause),
            ]
            + [
                (f"Lots par fondement juridique : {label}", COUNT, _row_value(lambda f: f.lots_by_legal_basis, code))
                for code, label in Clause.LegalBasis.choices
            ]
            + [
                (f"Donneurs d'ordre : {label}", COUNT, _row_value(lambda f: f.buyers_by_kind, label))
                for label in buyer_kinds
            ]
            + [
                ("Lots réservés aux SIAE (L2113-13)", COUNT, reserved("siae", "count")),
                ("Lots réservés aux SIAE : montant HT (€)", MONEY, reserved("siae", "amount")),
                ("Lots réservés aux EA et ESAT (L2113-12)", COUNT, reserved("ea_esat", "count")),
                ("Lots réservés aux EA et ESAT : montant HT (€)", MONEY, reserved("ea_esat", "amount")),
            ],
        ),
        (
            "heures",
            "Heures d'insertion",
            [
                ("Heures prévues sur l'année", HOURS, lambda f: f.hours.required),
                ("Heures réalisées (validées)", HOURS, lambda f: f.hours.validated),
                ("Taux de réalisation (%)", RATE, lambda f: f.hours.done_rate),
            ]
            + [
                (f"Heures réalisées : {label}", HOURS, _row_value(lambda f: f.by_activity, code, "validated"))
                for code, label in ActivitySector.choices
            ]
            + [
                (f"Heures réalisées : {label}", HOURS, _row_value(lambda f: f.by_mode, code, "validated"))
                for code, label in Placement.Mode.choices
            ]
            + [("Heures réalisées par des bénéficiaires du RSA", HOURS, lambda f: f.rsa.hours)],
        ),
        (
            "publics",
            "Participants par public",
            [
                ("Participants", COUNT, lambda f: f.profile.total),
                ("Femmes", COUNT, lambda f: f.profile.women),
                ("Hommes", COUNT, lambda f: f.profile.men),
                ("Nouveaux participants de l'année", COUNT, lambda f: f.profile.new),
                ("Participants déjà en parcours", COUNT, lambda f: f.profile.continuing),
            ]
            + [
                (label, COUNT, _dict_value(lambda f: f.profile.age_bands, code))
                for code, label in rules.AGE_BAND_LABELS.items()
            ]
            + [
                ("Bénéficiaires du RSA (à l'entrée ou par le critère)", COUNT, lambda f: f.profile.rsa),
                ("Habitants d'un QPV", COUNT, lambda f: f.profile.qpv),
                ("Travailleurs handicapés (RQTH, BOETH, AAH)", COUNT, lambda f: f.profile.disabled),
            ]
            + [
                (f"Critère : {label}", COUNT, _dict_value(lambda f: f.profile.criteria, label))
                for label in CRITERIA.values()
            ]
            + [
                (f"Niveau de formation : {label}", COUNT, _dict_value(lambda f: f.profile.education, label))
                for label in Participant.EducationLevel.labels
            ],
        ),
        (
            "mises",
            "Mises à l'emploi",
            [("Mises à l'emploi", COUNT, lambda f: f.placements)]
            + [
                (f"Par mode : {label}", COUNT, _row_value(lambda f: f.placements_by_mode, code))
                for code, label in Placement.Mode.choices
            ]
            + [
                (f"Par contrat : {label}", COUNT, _row_value(lambda f: f.placements_by_contract_type, code))
                for code, label in ContractType.choices
            ]
            + [
                (f"Par durée : {label}", COUNT, _row_value(lambda f: f.placements_by_duration, code))
                for code, label in rules.DURATION_LABELS.items()
            ]
            + [
                ("Entreprises concernées", COUNT, lambda f: f.companies),
                ("dont nouvelles entreprises de l'année", COUNT, lambda f: f.new_companies),
                ("Structures d'insertion ou du handicap impliquées", COUNT, lambda f: len(f.structures)),
            ],
        ),
        (
            "sorties",
            "Sorties",
            _outcome_lines("exit", "À la sortie")
            + _outcome_lines("six_months", "À 6 mois")
            + [
                ("Bénéficiaires du RSA sortis du RSA à 6 mois", COUNT, lambda f: f.rsa.left_rsa_at_six_months),
                ("Situation au regard du RSA connue à 6 mois", COUNT, lambda f: f.rsa.six_month_known),
            ],
        ),
    ]


def build(year, lots=None, bodies=None, on=None):
    """The return of ``year`` for ``bodies`` (default: every facilitation body), among ``lots``
    (the lots the user may read; default: all)."""
    bodies = list(facilitation_bodies()) if bodies is None else list(bodies)
    keys = [body.pk for body in bodies]
    lots = (Lot.objects.all() if lots is None else lots).filter(**{f"{GROUP}__in": keys})
    by_body = compute_by(rules.Period.year(year), GROUP, lots=lots, on=on, keys=keys)
    columns = [by_body[key] for key in keys] + [by_body[TOTAL]]
    buyer_kinds = sorted({row.label for figures in columns for row in figures.buyers_by_kind})
    sections = [
        Section(key, title, [Figure(label, kind, tuple(get(f) for f in columns)) for label, kind, get in lines])
        for key, title, lines in _sections(buyer_kinds)
    ]
    return AveReturn(year=year, generated_on=today(), bodies=bodies, sections=sections)
