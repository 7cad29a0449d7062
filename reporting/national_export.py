"""The export of the national network's yearly table (``indicateurs``), built only from ``indicators.compute``."""

from common.tabular import Table

from . import indicators, rules
from .export_reading import _title
from .permissions import visible_lots

# d. The national network's yearly table ----------------------------------------------------


def national(user, period, scope, on=None):
    """The indicators of the Département and the national network (domain.md), one per row:
    section, indicator, value. Built only from ``indicators.compute``."""
    figures = indicators.compute(period, scope, lots=visible_lots(user), on=on)
    table = Table(
        "indicateurs",
        _title("Indicateurs du réseau national", period, scope),
        ["Rubrique", "Indicateur", "Valeur"],
    )
    add = table.rows.append

    def section(name, items):
        for label, value in items:
            add([name, label, value])

    section(
        "Donneurs d'ordre",
        [(f"Donneurs d'ordre : {row.label}", row.count) for row in figures.buyers_by_kind],
    )
    section(
        "Opérations, marchés et lots",
        [
            ("Opérations", figures.operations),
            ("Marchés", figures.contracts),
            ("Lots", figures.lots),
            ("dont lots avec une clause", figures.lots_with_clause),
        ]
        + [(f"Lots par fondement juridique : {row.label}", row.count) for row in figures.lots_by_legal_basis],
    )
    hours = figures.hours
    hour_rows = [
        ("Heures requises sur la période", hours.required),
        (f"Heures attendues au {figures.on:%d/%m/%Y}", hours.expected),
        ("Heures réalisées (validées)", hours.validated),
        ("Taux de réalisation (%)", hours.done_rate),
    ]
    for row in figures.by_activity:
        hour_rows += [
            (f"{row.label} : heures requises", row.required),
            (f"{row.label} : heures réalisées", row.validated),
        ]
    hour_rows += [(f"Heures réalisées par mode : {row.label}", row.validated) for row in figures.by_mode]
    section("Heures d'insertion", hour_rows)
    section(
        "Entreprises et structures",
        [
            ("Entreprises", figures.companies),
            ("dont nouvelles entreprises sur la période", figures.new_companies),
            ("Structures d'insertion ou du handicap impliquées", len(figures.structures)),
        ]
        + [
            (
                f"{row.label} ({row.extra['kind_label'] or 'structure'})",
                ", ".join(row.extra["roles"]),
            )
            for row in figures.structures
        ],
    )
    profile = figures.profile
    section(
        "Participants",
        [
            ("Participants", profile.total),
            ("Femmes", profile.women),
            ("Hommes", profile.men),
        ]
        + [(label, profile.age_bands.get(code, 0)) for code, label in rules.AGE_BAND_LABELS.items()]
        + [(f"Niveau de formation : {label}", count) for label, count in profile.education.items()]
        + [
            ("Habitants d'un QPV", profile.qpv),
            ("Bénéficiaires du RSA", profile.rsa),
            ("Travailleurs handicapés", profile.disabled),
            ("Nouveaux participants sur la période", profile.new),
            ("Participants déjà en parcours", profile.continuing),
        ]
        + [(f"Critère d'éligibilité : {label}", count) for label, count in profile.criteria.items()],
    )
    section(
        "Mises à l'emploi",
        [
            ("Mises à l'emploi", figures.placements),
            ("dont en cours", figures.placements_running),
        ]
        + [(f"Par type de contrat : {row.label}", row.count) for row in figures.placements_by_contract_type]
        + [(f"Par durée : {row.label}", row.count) for row in figures.placements_by_duration]
        + [(f"Par mode : {row.label}", row.count) for row in figures.placements_by_mode],
    )
    for outcome in (figures.exit, figures.six_months):
        if outcome is None:
            continue
        section(
            f"Sorties — {outcome.label}",
            [("Sorties renseignées", outcome.recorded)]
            + [(f"Groupe : {label}", count) for label, count in outcome.by_group.items()]
            + [
                ("Sorties comptées (hors neutres)", outcome.counted),
                ("Sorties dynamiques", outcome.dynamic),
                ("Taux de sorties dynamiques (%)", outcome.dynamic_rate),
            ],
        )
    rsa = figures.rsa
    section(
        "Bénéficiaires du RSA",
        [
            ("Personnes", rsa.people),
            ("Heures réalisées", rsa.hours),
            ("Mises à l'emploi", rsa.placements),
            ("Sorties renseignées", rsa.exits_recorded),
            ("Sorties dynamiques", rsa.dynamic_exits),
            ("Situation au regard du RSA connue à 6 mois", rsa.six_month_known),
            ("Sortis du RSA à 6 mois", rsa.left_rsa_at_six_months),
            ("Taux de sortie du RSA à 6 mois (%)", rsa.left_rsa_rate),
        ],
    )
    reserved_rows = []
    for row in figures.reserved:
        reserved_rows += [(f"{row.label} : nombre de lots", row.count), (f"{row.label} : montant HT (€)", row.amount)]
    spending = figures.department_disability_spending
    if spending is not None:
        reserved_rows += [
            (f"{spending.label} : nombre de lots", spending.count),
            (f"{spending.label} : montant HT (€)", spending.amount),
        ]
    section("Marchés réservés", reserved_rows)
    section(
        "Actions de sensibilisation et de partenariat",
        [
            ("Actions", figures.actions),
            ("Personnes touchées", figures.people_reached),
        ]
        + [(f"Actions par public : {row.label}", row.count) for row in figures.actions_by_audience]
        + [
            (f"Personnes touchées par public : {row.label}", row.extra["people"]) for row in figures.actions_by_audience
        ],
    )
    return table
