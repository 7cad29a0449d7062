"""Records: rows planned in memory, written later; ``pk`` is filled once the row is inserted."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(slots=True, eq=False)
class Ref:
    """A row that exists already (a real commune, the Département, a trade…)."""

    pk: int


@dataclass(slots=True, eq=False)
class EpciRec:
    name: str
    kind: str
    siren: str
    department: str
    communes: int
    population: int = 0
    pk: int | None = None


@dataclass(slots=True, eq=False)
class CommuneRec:
    name: str
    insee: str
    siren: str
    postal_code: str
    population: int
    epci: EpciRec
    pk: int | None = None


@dataclass(slots=True, eq=False)
class SectorRec:
    name: str
    epcis: list
    pk: int | None = None


@dataclass(slots=True, eq=False)
class Place:
    """A commune where operations happen and people live."""

    ref: object  # Ref or CommuneRec
    name: str
    population: int
    epci: object  # Ref or EpciRec
    sector: object  # Ref, SectorRec or None
    epci_siren: str


@dataclass(slots=True, eq=False)
class Org:
    name: str
    kind: str
    territory: int
    place: Place | None = None
    buyer_kind: str = ""
    epci: object = None
    agency: bool = False
    naf: str = ""
    size: str = ""
    sector: str = ""
    structure_kind: str = ""
    provides_staff: bool = False
    subcontracts: bool = False
    service_kind: str = ""
    siret: str = ""
    federation: object = None
    served_epcis: list = field(default_factory=list)
    coverage: list = field(default_factory=list)  # facilitation bodies: sectors or EPCI they cover
    weight: float = 1.0
    real: bool = False
    pk: int | None = None


@dataclass(slots=True, eq=False)
class UserRec:
    email: str
    first_name: str
    last_name: str
    role: str
    organisation: Org
    pk: int | None = None


@dataclass(slots=True, eq=False)
class OperationRec:
    buyer: Org
    place: Place
    title: str
    manager: str
    body: Org | None
    territory: int
    start: date = None
    end: date = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class ContractRec:
    operation: OperationRec
    reference: str
    title: str
    theme: str
    procedure: str
    framework: bool
    start: date
    end: date
    pk: int | None = None


@dataclass(slots=True, eq=False)
class LotRec:
    contract: ContractRec
    number: str
    title: str
    trade: dict
    start: date
    end: date
    basis: str
    awards: list = field(default_factory=list)  # [(Org, role)]
    weight: float = 1.0
    validated: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)
    method: str = ""
    inputs: dict = field(default_factory=dict)
    computed: Decimal = Decimal(0)
    contractual: Decimal | None = None
    reason: str = ""
    invoices: list = field(default_factory=list)
    behind: bool = False
    pk: int | None = None

    @property
    def sector(self):
        return self.trade["sector"]

    @property
    def holder(self):
        return self.awards[0][0]

    @property
    def territory(self):
        return self.contract.operation.territory


@dataclass(slots=True, eq=False)
class ParticipantRec:
    first_name: str
    last_name: str
    birth_date: date
    sex: str
    place: Place
    education: str
    mobility: str
    rsa: bool
    body: Org
    prescriber: Org | None
    criteria: list
    trades: list
    first_start: date
    territory: int
    pk: int | None = None


@dataclass(slots=True, eq=False)
class PlacementRec:
    lot: LotRec
    employer: Org
    mode: str
    contract_type: str
    weekly: Decimal
    position: float
    base_months: float
    start: date = None
    end: date = None
    participant: ParticipantRec | None = None
    candidacy: object = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class OfferRec:
    lot: LotRec
    employer: Org
    position: str
    rome: str
    contract_type: str
    positions: int
    weekly: Decimal
    start: date
    status: str
    pk: int | None = None


@dataclass(slots=True, eq=False)
class CandidacyRec:
    offer: OfferRec
    participant: ParticipantRec
    status: str
    refusal: str = ""
    comment: str = ""
    interview: date | None = None
    proposed_by: UserRec | None = None
    pk: int | None = None


@dataclass(slots=True, eq=False)
class DeclarationRec:
    employer: Org
    month: date
    state: str
    statuses: list = field(default_factory=list)
    corrected: bool = False
    pk: int | None = None


@dataclass
class Territory:
    code: str
    label: str
    places: list
    weight: float = 1.0
    cum_population: list = field(default_factory=list)
    by_epci: dict = field(default_factory=dict)
    epcis: list = field(default_factory=list)
    sectors: list = field(default_factory=list)
    body: Org | None = None
    sector_bodies: dict = field(default_factory=dict)
    buyers: dict = field(default_factory=dict)
    companies: dict = field(default_factory=dict)  # sector -> (list, cumulative weights)
    structures: dict = field(default_factory=dict)  # kind -> list
    services: dict = field(default_factory=dict)  # service kind -> list
    federations: list = field(default_factory=list)
    participants: list = field(default_factory=list)
    contracts: int = 0
