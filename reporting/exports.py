"""Exports of the figures as tables, and their writing as CSV or XLSX.

A builder takes the user, a period and a scope and returns a ``Table``: a title, the column
headers in French and rows of Python values (str, int, Decimal, date, None). Every builder reads
the lots through ``visible_lots(user)`` narrowed by the scope, in a fixed number of queries
whatever the number of lots, people or hours. Only the placements export can carry a person's
identity, and only for the users allowed by ``can_see_personal_data``; anybody else gets a
pseudonym valid for one export ("Personne 1"), the sex and the age band.

The writers follow what a French spreadsheet expects: CSV in UTF-8 with a byte order mark,
semicolons, decimal commas and dates as dd/mm/yyyy; XLSX with real numbers and dates.

The shared reading is in ``export_reading``, the national table in ``national_export`` and the hours
by group in ``group_export``; they are re-exported here (``exports.BUILDERS``, ``exports.national``...).
"""

from collections import defaultdict

from django.db.models import Min, Prefetch, Sum
from django.utils.text import slugify

from clauses.models import LotAward
from common.dates import month_label, today
from common.tabular import (  # noqa: F401 (the writers are reached as exports.WRITERS, exports.as_csv…)
    DATE_FORMAT,
    DECIMAL_FORMAT,
    INTEGER_FORMAT,
    RATE_FORMAT,
    WRITERS,
    Table,
    as_csv,
    as_xlsx,
    csv_cell,
    sheet_title,
)
from placements.eligibility import CRITERIA
from placements.models import ContractType, DeclarationLine, EligibilityCriterion, Participant, Placement

from . import rules
from .export_reading import ZERO, _lot_label, _lots, _title  # noqa: F401
from .group_export import hours_by_group
from .national_export import national
from .permissions import can_see_personal_data, visible_lots  # noqa: F401

# a. Lots -----------------------------------------------------------------------------------

LOT_HEADERS = [
    "Opération",
    "Donneur d'ordre",
    "Référence du marché",
    "Lot",
    "Intitulé du lot",
    "Secteur d'activité",
    "Fondement juridique",
    "Début",
    "Fin",
    "Heures requises",
    "Heures validées",
    "Heures attendues au {on}",
    "Taux de réalisation (%)",
    "État",
    "Titulaire",
]


def lots(user, period, scope, on=None):
    """Every lot of the period with its progress on ``on`` (default: today). Two queries."""
    on = on or today()
    holders = Prefetch(
        "awards",
        queryset=LotAward.objects.filter(role=LotAward.Role.HOLDER).select_related("company").order_by("company__name"),
        to_attr="holder_awards",
    )
    lot_list = (
        _lots(user, period, scope)
        .with_progress_data()
        .select_related("contract__operation__buyer", "clause")
        .prefetch_related(holders)
        .order_by("contract__operation__buyer__name", "contract__reference", "number", "pk")
    )
    headers = [header.format(on=f"{on:%d/%m/%Y}") for header in LOT_HEADERS]
    table = Table("lots", _title("Lots et avancement des heures", period, scope), headers, formats={12: RATE_FORMAT})
    for lot in lot_list:
        clause = getattr(lot, "clause", None)
        progress = lot.progress(on)
        operation = lot.contract.operation
        table.rows.append(
            [
                operation.title,
                operation.buyer.name,
                lot.contract.reference,
                lot.number,
                lot.title,
                lot.get_sector_display(),
                clause.get_legal_basis_display() if clause is not None else "Sans clause",
                lot.start_date,
                lot.end_date,
                progress.required,
                progress.done,
                progress.expected,
                rules.rate(progress.done, progress.required),
                progress.status_label,
                ", ".join(award.company.name for award in lot.holder_awards),
            ]
        )
    return table


# b. Placements -----------------------------------------------------------------------------

PLACEMENT_HEADERS = [
    "Lot",
    "Employeur",
    "Mode de réalisation",
    "Type de contrat",
    "Début",
    "Fin",
    "Heures par semaine",
    "Heures validées sur la période",
]
PERSONAL_HEADERS = [
    "Nom",
    "Prénom",
    "Date de naissance",
    "Bénéficiaire du RSA à l'entrée",
    "Critères d'éligibilité",
]
ANONYMOUS_HEADERS = ["Personne", "Sexe", "Tranche d'âge"]


def placements(user, period, scope, personal=None):
    """The placements on the lots of the scope that run during the period.

    With ``personal`` (default: whether the user may see personal data, and never more), the
    person's name, birth date, RSA at entry and eligibility criteria; otherwise a pseudonym
    numbered in the order of the rows, the sex and the age band (age at the start of the
    person's first placement under a clause, as in the indicators). Three or four queries.
    """
    allowed = can_see_personal_data(user)
    personal = allowed if personal is None else (personal and allowed)
    placement_set = (
        Placement.objects.filter(lot__in=_lots(user, period, scope).values("pk"), start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .order_by()
    )
    rows = list(
        placement_set.values(
            "pk",
            "participant",
            "lot__contract__reference",
            "lot__number",
            "lot__title",
            "employer__name",
            "mode",
            "contract_type",
            "start_date",
            "end_date",
            "weekly_hours",
        ).order_by("lot__contract__reference", "lot__number", "lot", "start_date", "pk")
    )
    hours = {
        line["placement"]: line["total"]
        for line in DeclarationLine.objects.counted()
        .filter(
            placement__in=placement_set.values("pk"),
            declaration__month__gte=period.first_month,
            declaration__month__lte=period.end,
        )
        .values("placement")
        .annotate(total=Sum("hours"))
        .order_by()
    }
    participant_ids = placement_set.values("participant")
    fields = ["pk", "sex", "birth_date", "first_start"]
    if personal:
        fields += ["last_name", "first_name", "rsa_at_entry"]
    people = {
        person["pk"]: person
        for person in Participant.objects.filter(pk__in=participant_ids)
        .annotate(first_start=Min("placements__start_date"))
        .values(*fields)
        .order_by()
    }
    criteria = defaultdict(set)
    if personal:
        for row in EligibilityCriterion.objects.filter(participant__in=participant_ids).values(
            "participant", "criterion"
        ):
            criteria[row["participant"]].add(row["criterion"])

    headers = PLACEMENT_HEADERS + (PERSONAL_HEADERS if personal else ANONYMOUS_HEADERS)
    title = "Mises à l'emploi" + ("" if personal else " (anonymisées)")
    table = Table("mises-a-l-emploi", _title(title, period, scope), headers)
    modes, contract_types, sexes = (
        dict(Placement.Mode.choices),
        dict(ContractType.choices),
        dict(Participant.Sex.choices),
    )
    pseudonyms = {}
    for row in rows:
        person = people[row["participant"]]
        values = [
            _lot_label(row["lot__contract__reference"], row["lot__number"], row["lot__title"]),
            row["employer__name"],
            modes.get(row["mode"], row["mode"]),
            contract_types.get(row["contract_type"], row["contract_type"]),
            row["start_date"],
            row["end_date"],
            row["weekly_hours"],
            hours.get(row["pk"], ZERO),
        ]
        if personal:
            codes = criteria[person["pk"]]
            values += [
                person["last_name"],
                person["first_name"],
                person["birth_date"],
                person["rsa_at_entry"],
                "; ".join(label for code, label in CRITERIA.items() if code in codes),
            ]
        else:
            pseudonym = pseudonyms.setdefault(person["pk"], f"Personne {len(pseudonyms) + 1}")
            start = person["first_start"] or row["start_date"]
            band = rules.age_band(rules.age_on(person["birth_date"], start))
            values += [pseudonym, sexes.get(person["sex"], ""), rules.AGE_BAND_LABELS[band]]
        table.rows.append(values)
    return table


# c. Hours by month -------------------------------------------------------------------------


def hours_by_month(user, period, scope):
    """Validated hours that count for the clause, by lot and month of the period. Two queries."""
    lot_set = _lots(user, period, scope)
    lot_rows = list(
        lot_set.values("pk", "contract__reference", "number", "title").order_by("contract__reference", "number", "pk")
    )
    totals = defaultdict(lambda: ZERO)
    for line in (
        DeclarationLine.objects.counted()
        .filter(
            placement__lot__in=lot_set.values("pk"),
            declaration__month__gte=period.first_month,
            declaration__month__lte=period.end,
        )
        .values("placement__lot", "declaration__month")
        .annotate(total=Sum("hours"))
        .order_by()
    ):
        totals[(line["placement__lot"], line["declaration__month"])] += line["total"] or ZERO
    months = period.months()
    headers = ["Lot"] + [month_label(month, short=True) for month in months] + ["Total"]
    table = Table("heures-par-mois", _title("Heures validées par mois", period, scope), headers)
    column_totals = [ZERO] * (len(months) + 1)
    for lot in lot_rows:
        values = [totals[(lot["pk"], month)] for month in months]
        values.append(sum(values, ZERO))
        column_totals = [total + value for total, value in zip(column_totals, values, strict=True)]
        table.rows.append([_lot_label(lot["contract__reference"], lot["number"], lot["title"]), *values])
    table.rows.append(["Total", *column_totals])
    return table


# The exports by the name in their address and their file name.
BUILDERS = {
    "lots": lots,
    "mises-a-l-emploi": placements,
    "heures-par-mois": hours_by_month,
    "heures-par-regroupement": hours_by_group,
    "indicateurs": national,
}


def filename(name, period, scope, fmt):
    """clausier-lots-2026.xlsx; clausier-lots-2026-01-01-2026-06-30-cc-dombes-saone-vallee.csv."""
    if period == rules.Period.year(period.start.year):
        when = str(period.start.year)
    else:
        when = f"{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
    parts = ["clausier", name, when]
    if scope.kind != "all":
        parts.append(slugify(scope.name)[:50] or scope.kind)
    return "-".join(part for part in parts if part) + f".{fmt}"
