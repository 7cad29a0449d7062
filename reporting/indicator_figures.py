"""The figures ``reporting.indicators`` computes: rows of hours and counts, profiles, outcomes and
the whole ``Indicators`` of a period and scope (plain dataclasses, no query)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from clauses.models import ActivitySector
from partners.models import Organisation

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
    lots_behind: list = field(default_factory=list)  # ids of the lots behind on ``behind_on``, by end date
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
