"""How ``reporting.indicators`` turns the rows it read (``indicator_reads``) into the figures of
an ``Indicators`` (``_fill``): by lot, month, place, buyer, company, public, outcome."""

from collections import Counter, defaultdict

from clauses.models import ActivitySector, Clause
from common.dates import month_label
from partners.models import Organisation
from placements import outcomes as outcome_rules
from placements.declaration_rules import last_day
from placements.eligibility import CRITERIA
from placements.models import ContractType, Outcome, Participant, Placement

from . import rules
from .indicator_figures import (
    ACTIVITY_LABELS,
    BUYER_KIND_LABELS,
    DISABILITY_CRITERIA,
    DISABILITY_STRUCTURES,
    KIND_LABELS,
    ZERO,
    CountRow,
    HoursRow,
    OutcomeFigures,
    Profile,
    RsaFigures,
)
from .indicator_reads import (
    _hours_in,
    _is_rsa_beneficiary,
    _period_hours,
)


def _hours_row(rows, key, label):
    if key not in rows:
        rows[key] = HoursRow(key=key, label=label)
    return rows[key]


def _sorted_rows(rows, by="validated"):
    return sorted(rows.values(), key=lambda row: (-getattr(row, by), row.label))


def _fill(result, lot_list, data):
    period, on = result.period, result.on
    lots_by_id = {lot.pk: lot for lot in lot_list}
    _lot_figures(result, lot_list, period, on, *data.places)
    result.lots_behind = list(data.behind)  # ids, judged by the database on result.behind_on
    _hours_figures(result, data.lines, lots_by_id, period, data.monthly, *data.places)
    _placement_figures(result, data.placements, on)
    rsa_people = _profile_figures(result, data.people, data.criteria, period)
    _outcome_figures(result, data.outcome_rows)
    _rsa_figures(result, rsa_people, data.lines, data.placements)
    _company_figures(result, data.awards, data.placements, lots_by_id, data.firsts, period)


def _places_of(lot, sectors_by_epci, sectors_by_commune):
    """(EPCI id, EPCI name) of the lot's operation, and the ids of its departmental sectors."""
    sectors = sectors_by_epci.get(lot.place_epci, set()) | sectors_by_commune.get(lot.place_commune, set())
    return (lot.place_epci, lot.place_epci_name), sectors


def _lot_figures(result, lots, period, on, sectors_by_epci, sectors_by_commune, sector_names):
    total = HoursRow(key="total", label="Total")
    by_activity, by_epci, by_sector, by_buyer = {}, {}, {}, {}
    activity_labels = dict(ActivitySector.choices)
    buyer_kinds, legal_bases = {}, Counter()
    for lot in lots:
        in_period, expected = _period_hours(lot, period, on)
        (epci_pk, epci_name), sector_ids = _places_of(lot, sectors_by_epci, sectors_by_commune)
        groups = [
            total,
            _hours_row(by_activity, lot.sector, activity_labels.get(lot.sector, lot.sector)),
            _hours_row(by_epci, epci_pk, epci_name),
            _hours_row(by_buyer, lot.buyer_pk, lot.buyer_name),
        ] + [_hours_row(by_sector, pk, sector_names[pk]) for pk in sorted(sector_ids)]
        for row in groups:
            row.required += in_period
            row.expected += expected
            row.lots += 1
        buyer_kinds[lot.buyer_pk] = BUYER_KIND_LABELS.get(lot.buyer_buyer_kind) or KIND_LABELS[lot.buyer_kind]
        clause = getattr(lot, "clause", None)
        if clause is not None:
            legal_bases[clause.legal_basis] += 1
    result.hours = total
    with_clause = [lot for lot in lots if getattr(lot, "clause", None) is not None]
    result.lots, result.lots_with_clause = len(lots), len(with_clause)
    result.operations = len({lot.operation_id for lot in lots})
    result.contracts = len({lot.contract_id for lot in lots})
    result.operations_with_clause = len({lot.operation_id for lot in with_clause})
    result.contracts_with_clause = len({lot.contract_id for lot in with_clause})
    result.buyers_by_kind = [
        CountRow(key=label, label=label, count=count) for label, count in sorted(Counter(buyer_kinds.values()).items())
    ]
    basis_labels = dict(Clause.LegalBasis.choices)
    result.lots_by_legal_basis = [
        CountRow(key=code, label=basis_labels[code], count=legal_bases[code])
        for code in basis_labels
        if legal_bases[code]
    ]
    result._groups = {"activity": by_activity, "epci": by_epci, "sector": by_sector, "buyer": by_buyer}
    _reserved_figures(result, lots)


def _hours_figures(result, lines, lots_by_id, period, monthly, sectors_by_epci, sectors_by_commune, sector_names):
    groups = result.__dict__.pop("_groups")
    by_month = {month: HoursRow(key=month, label=month_label(month, short=True)) for month in period.months()}
    by_mode = {}
    by_company = {}
    mode_labels = dict(Placement.Mode.choices)
    people = defaultdict(set)
    lot_hours, lot_people = defaultdict(lambda: ZERO), defaultdict(set)
    # Line by line only what changes with the line (month, mode, employer); what depends on the lot
    # alone (total, activity, place, buyer) is added once per lot: same sums, far fewer steps.
    for line in lines:
        hours, person, lot_id = line["total"] or ZERO, line["placement__participant"], line["placement__lot"]
        lot_hours[lot_id] += hours
        lot_people[lot_id].add(person)
        mode, employer = line["placement__mode"], line["declaration__employer"]
        for row in (
            by_month[line["declaration__month"]],
            by_mode.get(mode) or _hours_row(by_mode, mode, mode_labels[mode]),
            by_company.get(employer) or _hours_row(by_company, employer, line["declaration__employer__name"]),
        ):
            row.validated += hours
            people[id(row)].add(person)
    for lot_id, hours in lot_hours.items():
        lot = lots_by_id[lot_id]
        (epci_pk, epci_name), sector_ids = _places_of(lot, sectors_by_epci, sectors_by_commune)
        rows = [
            result.hours,
            _hours_row(groups["activity"], lot.sector, ACTIVITY_LABELS.get(lot.sector, lot.sector)),
            _hours_row(groups["epci"], epci_pk, epci_name),
            _hours_row(groups["buyer"], lot.buyer_pk, lot.buyer_name),
        ] + [_hours_row(groups["sector"], pk, sector_names[pk]) for pk in sorted(sector_ids)]
        for row in rows:
            row.validated += hours
            people[id(row)] |= lot_people[lot_id]
    for row in [result.hours, *by_month.values(), *by_mode.values(), *by_company.values()] + [
        row for group in groups.values() for row in group.values()
    ]:
        row.people = len(people[id(row)])
    result.by_month = list(by_month.values())
    result.by_mode = _sorted_rows(by_mode)
    result.by_company = _sorted_rows(by_company)
    result.by_activity = _sorted_rows(groups["activity"], by="required")
    result.by_epci = _sorted_rows(groups["epci"], by="required")
    result.by_sector = _sorted_rows(groups["sector"], by="required")
    result.by_buyer = _sorted_rows(groups["buyer"], by="required")
    _expected_by_month(result, lots_by_id.values(), period, monthly)


def _expected_by_month(result, lots, period, monthly):
    """Hours required in each month of the period, pro rata (the chart's reference line): the
    database's sums for the lots spread over their days (``monthly``), plus those by hours per
    euro invoiced, from their invoices of the month."""
    growing = [lot for lot in lots if lot.grows_with_invoices]
    for row in result.by_month:
        row.required = monthly.get(row.key, ZERO)
        month = rules.Period(max(row.key, period.start), min(last_day(row.key), period.end))
        for lot in growing:
            row.required += _hours_in(lot, month)


def _placement_figures(result, placements, on):
    result.placements = len(placements)
    result.placements_running = sum(
        1 for row in placements if row["start_date"] <= on and (row["end_date"] is None or row["end_date"] >= on)
    )
    contract_labels = dict(ContractType.choices)
    types = Counter(row["contract_type"] for row in placements)
    result.placements_by_contract_type = [
        CountRow(key=code, label=label, count=types[code]) for code, label in contract_labels.items() if types[code]
    ]
    durations = Counter(rules.duration_band(row["start_date"], row["end_date"], on) for row in placements)
    result.placements_by_duration = [
        CountRow(key=code, label=label, count=durations[code])
        for code, label in rules.DURATION_LABELS.items()
        if durations[code]
    ]
    modes = Counter(row["mode"] for row in placements)
    result.placements_by_mode = [
        CountRow(key=code, label=label, count=modes[code]) for code, label in Placement.Mode.choices if modes[code]
    ]


def _profile_figures(result, people, criteria, period):
    profile = Profile(total=len(people))
    education_labels = dict(Participant.EducationLevel.choices)
    ages, education, criteria_count = Counter(), Counter(), Counter()
    rsa_people = set()
    for person in people:
        codes = criteria.get(person["pk"], set())
        if person["sex"] == Participant.Sex.FEMALE:
            profile.women += 1
        else:
            profile.men += 1
        start = person["first_start"] or period.start
        ages[rules.age_band(rules.age_on(person["birth_date"], start))] += 1
        education[person["education_level"]] += 1
        criteria_count.update(codes)
        if _is_rsa_beneficiary(person["rsa_at_entry"], "RSA" in codes):
            rsa_people.add(person["pk"])
        profile.qpv += "QPV" in codes
        profile.disabled += bool(codes & DISABILITY_CRITERIA)
        if period.contains(person["first_start"]):
            profile.new += 1
        else:
            profile.continuing += 1
    profile.rsa = len(rsa_people)
    profile.age_bands = {code: ages[code] for code in rules.AGE_BAND_LABELS}
    profile.education = {label: education[code] for code, label in education_labels.items()}
    profile.criteria = {label: criteria_count[code] for code, label in CRITERIA.items() if criteria_count[code]}
    result.profile = profile
    return rsa_people


def _outcome_figures(result, outcome_rows):
    labels = dict(Outcome.Moment.choices)
    for moment in (Outcome.Moment.EXIT, Outcome.Moment.SIX_MONTHS):
        situations = [row["situation"] for row in outcome_rows if row["moment"] == moment]
        rates = outcome_rules.exit_rates(situations)
        result.outcomes[moment.value] = OutcomeFigures(
            moment=moment.value,
            label=labels[moment],
            recorded=len(situations),
            by_group={outcome_rules.GROUP_LABELS[group]: count for group, count in rates.by_group.items()},
            by_situation=Counter(outcome_rules.SITUATIONS[code][0] for code in situations),
            counted=rates.counted,
            dynamic=rates.dynamic,
        )
    result._rsa_outcomes = [
        row
        for row in outcome_rows
        if _is_rsa_beneficiary(row["placement__participant__rsa_at_entry"], row["rsa_criterion"])
    ]


def _rsa_figures(result, rsa_people, lines, placements):
    outcome_rows = result.__dict__.pop("_rsa_outcomes")
    figures = RsaFigures(people=len(rsa_people))
    figures.hours = sum((line["total"] for line in lines if line["placement__participant"] in rsa_people), ZERO)
    figures.placements = sum(1 for row in placements if row["participant"] in rsa_people)
    exits = [row for row in outcome_rows if row["moment"] == Outcome.Moment.EXIT]
    figures.exits_recorded = len(exits)
    figures.dynamic_exits = sum(1 for row in exits if outcome_rules.is_dynamic(row["situation"]))
    six = [row for row in outcome_rows if row["moment"] == Outcome.Moment.SIX_MONTHS]
    known = [row for row in six if row["rsa_status"] in (Outcome.RsaStatus.LEFT, Outcome.RsaStatus.RECEIVING)]
    figures.six_month_known = len(known)
    figures.left_rsa_at_six_months = sum(1 for row in known if row["rsa_status"] == Outcome.RsaStatus.LEFT)
    result.rsa = figures


def _reserved_figures(result, lots):
    reserved = {
        Clause.LegalBasis.RESERVED_SIAE: CountRow(key="siae", label="Marchés réservés aux SIAE (L2113-13)"),
        Clause.LegalBasis.RESERVED_DISABILITY: CountRow(
            key="ea_esat", label="Marchés réservés aux EA et ESAT (L2113-12)"
        ),
    }
    for lot in lots:
        clause = getattr(lot, "clause", None)
        if clause is not None and clause.legal_basis in reserved:
            row = reserved[clause.legal_basis]
            row.count += 1
            row.amount += lot.amount_excl_tax
    result.reserved = list(reserved.values())


def _company_figures(result, awards, placements, lots_by_id, firsts, period):
    involvement = defaultdict(set)
    names, kinds, structure_kinds = {}, {}, {}
    role_labels = {"holder": "titulaire", "co_contractor": "co-traitant", "subcontractor": "sous-traitant"}
    spending = CountRow(key="department_ea_esat", label="Achats du Département auprès d'EA et d'ESAT")
    counted_lots = set()
    for award in awards:
        company = award["company"]
        involvement[company].add(role_labels[award["role"]])
        names[company] = award["company__name"]
        kinds[company] = award["company__kind"]
        structure_kinds[company] = award["company__structure_kind"]
        lot = lots_by_id[award["lot"]]
        if (
            award["company__structure_kind"] in DISABILITY_STRUCTURES
            and award["role"] in ("holder", "co_contractor")
            and lot.buyer_kind == Organisation.Kind.DEPARTMENT
            and lot.pk not in counted_lots
        ):
            counted_lots.add(lot.pk)
            spending.count += 1
            spending.amount += lot.amount_excl_tax
    for row in placements:
        employer = row["employer"]
        names[employer] = row["employer__name"]
        kinds[employer] = row["employer__kind"]
        structure_kinds[employer] = row["employer__structure_kind"]
        if row["mode"] == Placement.Mode.PROVISION:
            involvement[employer].add("mise à disposition")
        elif row["mode"] == Placement.Mode.SUBCONTRACTING:
            involvement[employer].add("sous-traitance ou co-traitance")
        else:
            involvement[employer].add("employeur")
    result.department_disability_spending = spending
    companies = [pk for pk in names if kinds[pk] == Organisation.Kind.COMPANY]
    result.companies = len(companies)
    result.new_companies = sum(1 for pk in companies if period.contains(firsts.get(pk)))
    structure_labels = dict(Organisation.StructureKind.choices)
    result.structures = sorted(
        (
            CountRow(
                key=pk,
                label=names[pk],
                count=0,
                extra={
                    "kind": structure_kinds[pk],
                    "kind_label": structure_labels.get(structure_kinds[pk], ""),
                    "roles": sorted(involvement[pk]),
                },
            )
            for pk in names
            if kinds[pk] == Organisation.Kind.INCLUSION_STRUCTURE
        ),
        key=lambda row: row.label,
    )


def _action_figures(result, actions):
    result.actions, result.people_reached, result.actions_by_audience = actions
