"""Who follows which contracts: the coverage rules of facilitation bodies, as pure functions.

A rule covers a contract when the contract's place lies in the rule's territory (all of Ain,
one of its EPCI, or one of its departmental sectors) and the buyer is of a kind the rule names
(any kind when it names none), and, for rules limited to them, the buyer adheres to the
engineering agency ("Agence d'Ingénierie 01").
"""

from dataclasses import dataclass, field

COVERED = "covered"
PARTIAL = "partial"
WHITE = "white"

STATUS_LABELS = {
    COVERED: "Couvert",
    PARTIAL: "Couverture partielle",
    WHITE: "Zone blanche",
}

# Rules limited to the Département's own contracts say nothing about local buyers:
# they do not take a territory out of the white areas.
DEPARTMENT_ONLY = frozenset({"department"})


@dataclass(frozen=True)
class Place:
    """Where a contract is carried out: a commune, its EPCI, the sectors that contain it."""

    epci_id: int | None
    sector_ids: frozenset = frozenset()


@dataclass(frozen=True)
class Buyer:
    kind: str
    engineering_agency_member: bool = False


@dataclass(frozen=True)
class Rule:
    body_id: int
    whole_department: bool = False
    epci_ids: frozenset = frozenset()
    sector_ids: frozenset = frozenset()
    buyer_kinds: frozenset = frozenset()
    members_only: bool = False
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def covers_place(self, place):
        return (
            self.whole_department
            or (place.epci_id is not None and place.epci_id in self.epci_ids)
            or bool(self.sector_ids & place.sector_ids)
        )

    def covers_buyer(self, buyer):
        if self.buyer_kinds and buyer.kind not in self.buyer_kinds:
            return False
        return not (self.members_only and not buyer.engineering_agency_member)

    def covers(self, buyer, place):
        return self.covers_place(place) and self.covers_buyer(buyer)

    @property
    def serves_local_buyers(self):
        """False for a rule that only follows the Département's own contracts."""
        return not (self.buyer_kinds and self.buyer_kinds <= DEPARTMENT_ONLY)

    @property
    def serves_every_buyer(self):
        return not self.buyer_kinds and not self.members_only


def covering_bodies(rules, buyer, place):
    """Ids of the facilitation bodies whose rules cover this buyer at this place, in rule order."""
    bodies = []
    for rule in rules:
        if rule.covers(buyer, place) and rule.body_id not in bodies:
            bodies.append(rule.body_id)
    return bodies


def territory_status(rules, place):
    """Covered (every buyer has a facilitator), partial (only some buyers) or white (none)."""
    local = [rule for rule in rules if rule.serves_local_buyers and rule.covers_place(place)]
    if not local:
        return WHITE
    if any(rule.serves_every_buyer for rule in local):
        return COVERED
    return PARTIAL
