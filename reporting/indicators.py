"""Every figure of the dashboards, exports and reports, for a period and a scope.

``compute(period, scope, lots=None, on=None)`` reads the database in a fixed number of queries
(whatever the number of lots, people or hours) and returns an ``Indicators`` object. The
dashboards, the exports and the PDF reports all read it, so a figure is computed in one place.

Definitions (domain.md, "What the Département and the national network count"):
- lots of the period: lots of the scope whose dates touch the period; lots with a clause apart;
- hours required in the period: each lot's required hours pro rata of its days in the period,
  but for hours per euro invoiced, the hours of its amounts invoiced in the period (by invoicing
  date: a later purchase order never moves a closed period); expected: the same up to ``on``;
  validated: current validated hours that count for the clause (inside the person's counting
  window), declared for a month of the period;
- lots behind schedule: lots with a clause judged on ``behind_on`` (``rules.behind_judged_on``:
  the period's last day once it is over, else ``on``), as they stood on that day;
- participants: people with a placement on a lot of the scope that touches the period; their age
  is their age at the start of their first placement under a clause; "new" when that first
  placement starts in the period;
- outcomes: those due in the period and recorded, at exit and at 6 months, on the lots of the
  scope whatever their dates (a 6-month outcome is often due after its lot ended); the RSA exits
  are those of the RSA beneficiaries among them;
- reserved contracts: lots of the period whose clause is a reservation for SIAE or EA/ESAT;
- the Département's spending with EA and ESAT: lots of the period bought by the Département and
  awarded (holder or co-contractor) to an EA, an EATT or an ESAT, at their amount excluding tax.
No person's identity leaves this module: only counts and sums.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, F, Min, OuterRef, Sum

from clauses import hours as clause_hours
from clauses.models import ActivitySector, Clause, InvoicedAmount, Lot, LotAward
from common.dates import month_label, today
from partners.models import AwarenessAction, Organisation, Sector
from placements import outcomes as outcome_rules
from placements.declaration_rules import last_day
from placements.eligibility import CRITERIA
from placements.models import ContractType, DeclarationLine, EligibilityCriterion, Outcome, Participant, Placement

from . import rules
from .scope import Scope

ZERO = Decimal(0)
DISABILITY_STRUCTURES = {"EA", "EATT", "ESAT"}
DISABILITY_CRITERIA = {"TH", "AAH"}
ACTIVITY_LABELS = dict(ActivitySector.choices)
BUYER_KIND_LABELS = dict(Organisation.BuyerKind.choices)
KIND_LABELS = dict(Organisation.Kind.choices)


@dataclass
class HoursRow:
    """Hours of one group (a territory, a buyer, a company, a month…)."""

    key: object
    label: str
    required: Decimal = ZERO
    expected: Decimal = ZERO
    validated: Decimal = ZERO
    lots: int = 0
    people: int = 0

    @property
    def done_rate(self):
        return rules.rate(self.validated, self.required)


@dataclass
class CountRow:
    key: object
    label: str
    count: int = 0
    amount: Decimal = ZERO
    extra: dict = field(default_factory=dict)


@dataclass
class Profile:
    """Who the participants are: counts only."""

    total: int = 0
    women: int = 0
    men: int = 0
    age_bands: dict = field(default_factory=dict)
    education: dict = field(default_factory=dict)
    criteria: dict = field(default_factory=dict)
    rsa: int = 0
    qpv: int = 0
    disabled: int = 0
    new: int = 0
    continuing: int = 0

    @property
    def under_26(self):
        return self.age_bands.get(rules.UNDER_26, 0)

    @property
    def from_50(self):
        return self.age_bands.get(rules.FROM_50, 0)


@dataclass
class OutcomeFigures:
    """Outcomes recorded at one moment (exit or 6 months)."""

    moment: str
    label: str
    recorded: int = 0
    by_group: dict = field(default_factory=dict)
    by_situation: dict = field(default_factory=dict)
    counted: int = 0
    dynamic: int = 0

    @property
    def dynamic_rate(self):
        return rules.rate(self.dynamic, self.counted)


@dataclass
class RsaFigures:
    people: int = 0
    hours: Decimal = ZERO
    placements: int = 0
    exits_recorded: int = 0
    dynamic_exits: int = 0
    six_month_known: int = 0
    left_rsa_at_six_months: int = 0

    @property
    def left_rsa_rate(self):
        return rules.rate(self.left_rsa_at_six_months, self.six_month_known)


@dataclass
class Indicators:
    period: rules.Period
    scope: Scope
    on: date
    hours: HoursRow = None
    lots: int = 0
    lots_with_clause: int = 0
    behind_on: date = None
    lots_behind: list = field(default_factory=list)
    operations: int = 0
    contracts: int = 0
    operations_with_clause: int = 0
    contracts_with_clause: int = 0
    buyers_by_kind: list = field(default_factory=list)
    lots_by_legal_basis: list = field(default_factory=list)
    by_month: list = field(default_factory=list)
    by_activity: list = field(default_factory=list)
    by_mode: list = field(default_factory=list)
    by_epci: list = field(default_factory=list)
    by_sector: list = field(default_factory=list)
    by_buyer: list = field(default_factory=list)
    by_company: list = field(default_factory=list)
    placements: int = 0
    placements_running: int = 0
    placements_by_contract_type: list = field(default_factory=list)
    placements_by_duration: list = field(default_factory=list)
    placements_by_mode: list = field(default_factory=list)
    profile: Profile = None
    outcomes: dict = field(default_factory=dict)
    rsa: RsaFigures = None
    reserved: list = field(default_factory=list)
    department_disability_spending: CountRow = None
    companies: int = 0
    new_companies: int = 0
    structures: list = field(default_factory=list)
    actions: int = 0
    people_reached: int = 0
    actions_by_audience: list = field(default_factory=list)

    @property
    def exit(self):
        return self.outcomes.get("exit")

    @property
    def six_months(self):
        return self.outcomes.get("six_months")


# Queries -----------------------------------------------------------------------------------


LOT_COLUMNS = (
    "id",
    "contract_id",
    "number",
    "title",
    "sector",
    "amount_excl_tax",
    "start_date",
    "end_date",
    "clause__id",
    "clause__lot_id",
    "clause__legal_basis",
    "clause__method",
    "clause__euros_per_hour",
    "clause__contractual_hours",
    "clause__computed_hours",
)


def with_places(lots):
    """The lots with their progress figures, and their place and buyer as plain values (no related
    objects to build): what the figures group by."""
    operation = "contract__operation__"
    # Only the columns the figures and the dashboards read: thousands of lots are built at once.
    return (
        lots.with_progress_figures()
        .only(*LOT_COLUMNS)
        .annotate(
            operation_id=F(f"{operation}id"),
            operation_title=F(f"{operation}title"),
            place_commune=F(f"{operation}commune_id"),
            place_epci=F(f"{operation}commune__epci_id"),
            place_epci_name=F(f"{operation}commune__epci__name"),
            buyer_pk=F(f"{operation}buyer_id"),
            buyer_name=F(f"{operation}buyer__name"),
            buyer_kind=F(f"{operation}buyer__kind"),
            buyer_buyer_kind=F(f"{operation}buyer__buyer_kind"),
        )
    )


def _lots_of_period(lots, period, loaded=None):
    """The lots touching the period (from ``loaded``, lots read by ``with_places``, when given),
    with their required hours computed once (``required_whole``)."""
    if loaded is None:
        found = list(
            with_places(lots.filter(start_date__lte=period.end, end_date__gte=period.start)).order_by("end_date", "pk")
        )
    else:
        found = sorted(
            (lot for lot in loaded if lot.start_date <= period.end and lot.end_date >= period.start),
            key=lambda lot: (lot.end_date, lot.pk),
        )
    for lot in found:
        lot.required_whole = clause_hours.whole_hours(lot.hours_required) if lot.hours_required else ZERO
    return found


def _invoices(lots, period):
    """The ``(invoicing date, amount)`` invoices dated in the period of the lots by hours per euro
    invoiced, set on each of those lots as ``invoices`` (one query; ``lots``: a queryset or ids)."""
    lookup = {"lot__any_of": lots} if isinstance(lots, list) else {"lot__in": lots.values("pk")}
    invoices = defaultdict(list)
    for lot, day, amount in (
        InvoicedAmount.objects.dated_between(period.start, period.end)
        .filter(**lookup, lot__clause__method=Clause.Method.PER_EURO_INVOICED)
        .values_list("lot", InvoicedAmount.INVOICING_DATE, "amount")
        .order_by()
    ):
        invoices[lot].append((day, amount))
    return invoices


def _set_invoices(lots, invoices):
    for lot in lots:
        if lot.grows_with_invoices:
            lot.invoices = invoices.get(lot.pk, [])


def _hours_in(lot, period):
    """The lot's required hours that fall in ``period``: for hours per euro invoiced, the hours of
    its invoices dated in it; otherwise its hours pro rata of its days in it."""
    if lot.grows_with_invoices:
        return rules.invoiced_hours_in_period(lot.invoices, lot.clause.euros_per_hour, period)
    return rules.hours_in_period(lot.required_whole, lot.start_date, lot.end_date, period)


def _expected_in(lot, period, on):
    """The lot's hours of the period expected by ``on``."""
    part = rules.elapsed_part(period, on)
    return _hours_in(lot, part) if part else ZERO


def _lots_as_of(lot_ids, day):
    """The lots as they stood on ``day``, with what their progress then needs (one query)."""
    return list(Lot.objects.filter(pk__any_of=lot_ids).with_progress_figures(on=day).order_by("end_date", "pk"))


def _validated_lines(lot_ids, period):
    """Validated hours that count, by lot, month, mode, employer and person (one query)."""
    return list(
        DeclarationLine.objects.counted()
        .filter(
            placement__lot__any_of=lot_ids,
            declaration__month__gte=period.first_month,
            declaration__month__lte=period.end,
        )
        .values(
            "placement__lot",
            "declaration__month",
            "placement__mode",
            "declaration__employer",
            "declaration__employer__name",
            "placement__participant",
        )
        .annotate(total=Sum("hours"))
        .order_by()
    )


def _placements(lot_ids, period):
    return list(
        Placement.objects.filter(lot__any_of=lot_ids, start_date__lte=period.end)
        .exclude(end_date__lt=period.start)
        .values(
            "pk",
            "participant",
            "lot",
            "employer",
            "employer__name",
            "employer__kind",
            "employer__structure_kind",
            "mode",
            "contract_type",
            "start_date",
            "end_date",
        )
        .order_by()
    )


def _participants(participant_ids):
    return list(
        Participant.objects.filter(pk__any_of=participant_ids)
        .annotate(first_start=Min("placements__start_date"))
        .values("pk", "sex", "birth_date", "education_level", "rsa_at_entry", "first_start")
        .order_by()
    )


def _criteria(participant_ids):
    codes = defaultdict(set)
    for row in EligibilityCriterion.objects.filter(participant__any_of=participant_ids).values(
        "participant", "criterion"
    ):
        codes[row["participant"]].add(row["criterion"])
    return codes


def _outcomes(scope_lots, period, group=None):
    """Outcomes due in the period and recorded, on the lots of the scope whatever the lots' dates,
    with whether the person is an RSA beneficiary (and the key of the lot's group, ``group_key``,
    when ``group`` is given: see ``compute_by``). One query."""
    rsa_criterion = EligibilityCriterion.objects.filter(participant=OuterRef("placement__participant"), criterion="RSA")
    outcomes = Outcome.objects.annotate(group_key=F(f"placement__lot__{group}")) if group else Outcome.objects
    extra = ("group_key",) if group else ()
    return list(
        outcomes.filter(
            placement__lot__in=scope_lots.values("pk"),
            due_date__gte=period.start,
            due_date__lte=period.end,
            recorded_on__isnull=False,
        )
        .exclude(situation="")
        .annotate(rsa_criterion=Exists(rsa_criterion))
        .values(
            "placement__participant",
            "moment",
            "situation",
            "rsa_status",
            "placement__participant__rsa_at_entry",
            "rsa_criterion",
            *extra,
        )
        .order_by()
    )


def _is_rsa_beneficiary(rsa_at_entry, rsa_criterion):
    """An RSA beneficiary: at entry, or by the RSA eligibility criterion."""
    return bool(rsa_at_entry or rsa_criterion)


def _awards(lot_ids):
    return list(
        LotAward.objects.filter(lot__any_of=lot_ids)
        .values(
            "lot",
            "role",
            "company",
            "company__name",
            "company__kind",
            "company__structure_kind",
        )
        .order_by()
    )


def _first_involvement(company_ids):
    """Start of the first lot each company was awarded or worked on (one query each way)."""
    firsts = {}
    for row in (
        LotAward.objects.filter(company__any_of=company_ids)
        .values("company")
        .annotate(first=Min("lot__start_date"))
        .order_by()
    ):
        firsts[row["company"]] = row["first"]
    for row in (
        Placement.objects.filter(employer__any_of=company_ids)
        .values("employer")
        .annotate(first=Min("start_date"))
        .order_by()
    ):
        known = firsts.get(row["employer"])
        firsts[row["employer"]] = min(known, row["first"]) if known else row["first"]
    return firsts


def _sectors_of_places():
    """Departmental sectors of each EPCI and of each commune added by hand (two small queries)."""
    by_epci, by_commune = defaultdict(set), defaultdict(set)
    names = {}
    for row in Sector.epcis.through.objects.values("sector", "sector__name", "epci"):
        by_epci[row["epci"]].add(row["sector"])
        names[row["sector"]] = row["sector__name"]
    for row in Sector.communes.through.objects.values("sector", "sector__name", "commune"):
        by_commune[row["commune"]].add(row["sector"])
        names[row["sector"]] = row["sector__name"]
    return by_epci, by_commune, names


def _actions(scope, period):
    """Awareness actions of the period in the scope: (count, people reached, rows by audience),
    summed in the database (two queries; there can be thousands of actions nationally)."""
    actions = AwarenessAction.objects.between(period.start, period.end)
    if scope.kind == "epci":
        actions = actions.filter(epci=scope.pk)
    elif scope.kind == "sector":
        actions = actions.filter(sector=scope.pk)
    elif scope.kind in ("buyer", "contract"):
        return 0, 0, []
    totals = actions.aggregate(count=Count("pk"), people=Sum("people_reached"))
    by_audience = (
        AwarenessAction.audiences.through.objects.filter(awarenessaction__in=actions.values("pk"))
        .values("audience", "audience__position", "audience__label")
        .annotate(count=Count("awarenessaction"), people=Sum("awarenessaction__people_reached"))
        .order_by("audience__position", "audience__label")
    )
    rows = [
        CountRow(
            key=row["audience__position"],
            label=row["audience__label"],
            count=row["count"],
            extra={"people": row["people"]},
        )
        for row in by_audience
    ]
    return totals["count"], totals["people"] or 0, rows


# Computation -------------------------------------------------------------------------------


def _hours_row(rows, key, label):
    if key not in rows:
        rows[key] = HoursRow(key=key, label=label)
    return rows[key]


def _sorted_rows(rows, by="validated"):
    return sorted(rows.values(), key=lambda row: (-getattr(row, by), row.label))


def compute(period, scope=None, lots=None, on=None, loaded=None):
    """All the figures for ``period`` and ``scope``, among ``lots`` (the user's visible lots).

    ``loaded``: those lots already read through ``with_places`` (all of Ain only), so that a page
    that shows them too reads them once."""
    scope = scope or Scope()
    on = on or today()
    if loaded is not None and scope.kind != "all":
        raise ValueError("Lots read beforehand are for the whole scope only.")
    result = Indicators(period=period, scope=scope, on=on, behind_on=rules.behind_judged_on(period, on))
    scope_lots = scope.lots(lots)
    lot_list = _lots_of_period(scope_lots, period, loaded)
    data = _read(lot_list, scope_lots, period, result.behind_on)
    _fill(result, lot_list, data)
    _action_figures(result, _actions(scope, period))
    return result


TOTAL = "total"


def compute_by(period, group, lots=None, on=None, keys=()):
    """``compute`` for each group of lots at once, in the queries of one ``compute``.

    ``group``: the path from a lot to its group's key (``"contract__operation__facilitation_body"``).
    Returns ``{key: Indicators}`` for every key of ``keys`` and every key with lots in the period or
    outcomes due in it, and ``TOTAL``: all those lots together (a person counts once there even when
    placed in two groups). Awareness actions are not kept per lot: they stay at zero here."""
    on = on or today()
    lots = Lot.objects.all() if lots is None else lots
    keyed = lots.annotate(group_key=F(group))
    behind_on = rules.behind_judged_on(period, on)
    lot_list = _lots_of_period(keyed, period)
    data = _read(lot_list, keyed, period, behind_on, group=group)
    results = {}
    for key in [TOTAL, *dict.fromkeys([*keys, *(lot.group_key for lot in lot_list), *data.outcome_keys()])]:
        result = Indicators(period=period, scope=Scope(), on=on, behind_on=behind_on)
        group_lots = lot_list if key == TOTAL else [lot for lot in lot_list if lot.group_key == key]
        _fill(result, group_lots, data if key == TOTAL else data.of_group(key, {lot.pk for lot in group_lots}))
        _action_figures(result, (0, 0, []))
        results[key] = result
    return results


@dataclass
class _Rows:
    """What ``compute`` reads from the database beyond the lots: the rows the figures are made of."""

    judged: list
    lines: list
    placements: list
    people: list
    criteria: dict
    outcome_rows: list
    awards: list
    places: tuple
    firsts: dict

    def outcome_keys(self):
        return [row["group_key"] for row in self.outcome_rows if "group_key" in row]

    def of_group(self, key, lot_ids):
        """The rows of the lots ``lot_ids`` (and the outcomes of the group ``key``)."""
        placements = [row for row in self.placements if row["lot"] in lot_ids]
        participants = {row["participant"] for row in placements}
        return _Rows(
            judged=[lot for lot in self.judged if lot.pk in lot_ids],
            lines=[line for line in self.lines if line["placement__lot"] in lot_ids],
            placements=placements,
            people=[person for person in self.people if person["pk"] in participants],
            criteria=self.criteria,
            outcome_rows=[row for row in self.outcome_rows if row["group_key"] == key],
            awards=[row for row in self.awards if row["lot"] in lot_ids],
            places=self.places,
            firsts=self.firsts,
        )


def _read(lot_list, scope_lots, period, behind_on, group=None):
    """Every row the figures need, for the lots of the period (a fixed number of queries)."""
    lot_ids = [lot.pk for lot in lot_list]
    _set_invoices(lot_list, _invoices(lot_ids, period))
    placements = _placements(lot_ids, period)
    participant_ids = sorted({row["participant"] for row in placements})
    awards = _awards(lot_ids)
    company_ids = sorted({row["company"] for row in awards} | {row["employer"] for row in placements})
    return _Rows(
        judged=_lots_as_of(_behind_candidates(lot_list, behind_on), behind_on),
        lines=_validated_lines(lot_ids, period),
        placements=placements,
        people=_participants(participant_ids),
        criteria=_criteria(participant_ids),
        outcome_rows=_outcomes(scope_lots, period, group=group),
        awards=awards,
        places=_sectors_of_places(),
        firsts=_first_involvement(company_ids),
    )


def _fill(result, lot_list, data):
    period, on = result.period, result.on
    lots_by_id = {lot.pk: lot for lot in lot_list}
    _lot_figures(result, lot_list, period, on, *data.places)
    _behind_figures(result, data.judged)
    _hours_figures(result, data.lines, lots_by_id, period, *data.places)
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
        in_period = _hours_in(lot, period)
        expected = _expected_in(lot, period, on)
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


def _behind_candidates(lots, day):
    """Ids of the lots with a clause started by ``day``: those that can be behind schedule then."""
    return [lot.pk for lot in lots if getattr(lot, "clause", None) is not None and lot.start_date <= day]


def _behind_figures(result, judged):
    """Lots behind schedule on ``result.behind_on``, from the lots as they stood on that day."""
    for lot in judged:
        progress = lot.progress(result.behind_on)
        if progress.status == clause_hours.BEHIND:
            result.lots_behind.append((lot, progress))


def _hours_figures(result, lines, lots_by_id, period, sectors_by_epci, sectors_by_commune, sector_names):
    groups = result.__dict__.pop("_groups")
    by_month = {month: HoursRow(key=month, label=month_label(month, short=True)) for month in period.months()}
    by_mode = {}
    by_company = {}
    mode_labels = dict(Placement.Mode.choices)
    people = defaultdict(set)
    for line in lines:
        lot = lots_by_id[line["placement__lot"]]
        hours = line["total"] or ZERO
        (epci_pk, epci_name), sector_ids = _places_of(lot, sectors_by_epci, sectors_by_commune)
        rows = [
            result.hours,
            by_month[line["declaration__month"]],
            _hours_row(by_mode, line["placement__mode"], mode_labels[line["placement__mode"]]),
            _hours_row(by_company, line["declaration__employer"], line["declaration__employer__name"]),
            _hours_row(groups["activity"], lot.sector, ACTIVITY_LABELS.get(lot.sector, lot.sector)),
            _hours_row(groups["epci"], epci_pk, epci_name),
            _hours_row(groups["buyer"], lot.buyer_pk, lot.buyer_name),
        ] + [_hours_row(groups["sector"], pk, sector_names[pk]) for pk in sorted(sector_ids)]
        for row in rows:
            row.validated += hours
            people[id(row)].add(line["placement__participant"])
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
    _expected_by_month(result, lots_by_id.values(), period)


def _expected_by_month(result, lots, period):
    """Hours required in each month of the period, pro rata (the chart's reference line)."""
    months = [
        (row, rules.Period(max(row.key, period.start), min(last_day(row.key), period.end))) for row in result.by_month
    ]
    for lot in lots:
        if not lot.grows_with_invoices and not lot.required_whole:
            continue
        for row, month in months:
            if lot.grows_with_invoices or (lot.start_date <= month.end and lot.end_date >= month.start):
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


# Year by year -----------------------------------------------------------------------------


def yearly(years, scope=None, lots=None, on=None):
    """Hours required, expected and validated, and people with validated hours, for each year
    (three queries: the lots with what their required hours need, the invoices of those by hours
    per euro invoiced, and the hours summed by year)."""
    scope = scope or Scope()
    on = on or today()
    whole = rules.Period(date(min(years), 1, 1), date(max(years), 12, 31))
    rows = {year: HoursRow(key=year, label=str(year)) for year in years}
    lots_of_years = scope.lots(lots).filter(start_date__lte=whole.end, end_date__gte=whole.start)
    periods = {year: rules.Period.year(year) for year in years}
    lot_list = list(lots_of_years.with_required_data(clause_texts=False))
    _set_invoices(lot_list, _invoices(lots_of_years, whole))
    for lot in lot_list:
        lot.required_whole = clause_hours.whole_hours(lot.hours_required) if lot.hours_required else ZERO
        for year in range(max(lot.start_date.year, whole.start.year), min(lot.end_date.year, whole.end.year) + 1):
            row, period = rows[year], periods[year]
            row.lots += 1
            if not lot.required_whole and not lot.grows_with_invoices:
                continue
            row.required += _hours_in(lot, period)
            row.expected += _expected_in(lot, period, on)
    by_year = (
        DeclarationLine.objects.counted()
        .filter(
            placement__lot__in=lots_of_years.values("pk"),
            declaration__month__gte=whole.first_month,
            declaration__month__lte=whole.end,
        )
        .values("declaration__month__year")
        .annotate(total=Sum("hours"), people=Count("placement__participant", distinct=True))
        .order_by()
    )
    for line in by_year:
        row = rows[line["declaration__month__year"]]
        row.validated, row.people = line["total"] or ZERO, line["people"]
    return [rows[year] for year in sorted(years)]
