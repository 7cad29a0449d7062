"""What ``reporting.indicators`` reads from the database: the lots of a period with their places,
and every row the figures are made of, in a fixed number of queries (``_read``). Counts and sums
only leave ``reporting.indicators``: no person's identity."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Sum

from clauses import hours as clause_hours
from clauses.models import Clause, InvoicedAmount, Lot, LotAward
from partners.models import AwarenessAction, Sector
from placements.declaration_rules import last_day
from placements.models import DeclarationLine, EligibilityCriterion, Outcome, Participant, Placement

from . import required_sql, rules
from .indicator_figures import (
    ZERO,
    CountRow,
)

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


def with_places(lots, progress=True):
    """The lots with their progress figures (``progress=False``: only what their required hours
    need, without the validated hours), and their place and buyer as plain values (no related
    objects to build): what the figures group by."""
    operation = "contract__operation__"
    figures = lots.with_progress_figures() if progress else lots.with_required_data(clause_texts=False)
    # Only the columns the figures and the dashboards read: thousands of lots are built at once.
    return figures.only(*LOT_COLUMNS).annotate(
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


def _lots_of_period(lots, period, on, loaded=None):
    """The lots touching the period (from ``loaded``, lots read by ``with_places``, when given),
    with their required hours computed once (``required_whole``) and, when read here, the
    hundredths of hours they require in the period and by ``on`` worked out by the database
    (``required_sql``; see ``_period_hours``)."""
    if loaded is None:
        touching = lots.filter(start_date__lte=period.end, end_date__gte=period.start)
        elapsed = rules.elapsed_part(period, on)
        bounds = {"period_hundredths": (period.start, period.end)}
        if elapsed:
            bounds["expected_hundredths"] = (elapsed.start, elapsed.end)
        found = list(
            required_sql.with_hours_in(with_places(touching, progress=False), **bounds).order_by("end_date", "pk")
        )
        for lot in found:
            lot.expected_hundredths = getattr(lot, "expected_hundredths", 0)
    else:
        found = sorted(
            (lot for lot in loaded if lot.start_date <= period.end and lot.end_date >= period.start),
            key=lambda lot: (lot.end_date, lot.pk),
        )
    for lot in found:
        lot.required_whole = clause_hours.whole_hours(lot.hours_required) if lot.hours_required else ZERO
    return found


def _period_hours(lot, period, on):
    """(hours required in the period, hours of it expected by ``on``) of a lot of
    ``_lots_of_period``: from the database's sums when it made them, except for hours per euro
    invoiced (they follow the invoices' dates, read later: ``_set_invoices``)."""
    if lot.grows_with_invoices or not hasattr(lot, "period_hundredths"):
        return _hours_in(lot, period), _expected_in(lot, period, on)
    return required_sql.hours(lot.period_hundredths), required_sql.hours(lot.expected_hundredths)


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


def _behind_on(lot_ids, day):
    """Ids of those lots that were behind schedule on ``day``, by end date: judged by the database
    (``LotQuerySet.behind_schedule``, the rule of ``Lot.progress``), without building the lots (one query)."""
    behind = Lot.objects.filter(pk__any_of=lot_ids).behind_schedule(day)
    return list(behind.order_by("end_date", "pk").values_list("pk", flat=True))


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


@dataclass
class _Rows:
    """What ``compute`` reads from the database beyond the lots: the rows the figures are made of."""

    behind: list  # ids of the lots behind schedule
    lines: list
    placements: list
    people: list
    criteria: dict
    outcome_rows: list
    awards: list
    places: tuple
    firsts: dict
    monthly: dict  # {month: hours the spread lots require in it} (``required_sql``)
    monthly_groups: dict | None = None  # the same by group key, for ``compute_by``

    def outcome_keys(self):
        return [row["group_key"] for row in self.outcome_rows if "group_key" in row]

    def of_group(self, key, lot_ids):
        """The rows of the lots ``lot_ids`` (and the outcomes of the group ``key``)."""
        placements = [row for row in self.placements if row["lot"] in lot_ids]
        participants = {row["participant"] for row in placements}
        return _Rows(
            behind=[pk for pk in self.behind if pk in lot_ids],
            lines=[line for line in self.lines if line["placement__lot"] in lot_ids],
            placements=placements,
            people=[person for person in self.people if person["pk"] in participants],
            criteria=self.criteria,
            outcome_rows=[row for row in self.outcome_rows if row["group_key"] == key],
            awards=[row for row in self.awards if row["lot"] in lot_ids],
            places=self.places,
            firsts=self.firsts,
            monthly=self.monthly_groups.get(key, {}),
        )


def _read(lot_list, scope_lots, period, behind_on, group=None):
    """Every row the figures need, for the lots of the period (a fixed number of queries)."""
    lot_ids = [lot.pk for lot in lot_list]
    _set_invoices(lot_list, _invoices(lot_ids, period))
    placements = _placements(lot_ids, period)
    participant_ids = sorted({row["participant"] for row in placements})
    awards = _awards(lot_ids)
    company_ids = sorted({row["company"] for row in awards} | {row["employer"] for row in placements})
    touching = scope_lots.filter(start_date__lte=period.end, end_date__gte=period.start)
    months = required_sql.month_bounds(period, last_day)
    if group is None:
        monthly, monthly_groups = required_sql.sums_by_period(touching, months), None
    else:
        monthly_groups = required_sql.sums_by_period(touching, months, group=group)
        monthly = {month: sum((sums[month] for sums in monthly_groups.values()), ZERO) for month in months}
    return _Rows(
        monthly=monthly,
        monthly_groups=monthly_groups,
        behind=_behind_on(lot_ids, behind_on),  # behind_schedule keeps the started lots with a clause
        lines=_validated_lines(lot_ids, period),
        placements=placements,
        people=_participants(participant_ids),
        criteria=_criteria(participant_ids),
        outcome_rows=_outcomes(scope_lots, period, group=group),
        awards=awards,
        places=_sectors_of_places(),
        firsts=_first_involvement(company_ids),
    )
