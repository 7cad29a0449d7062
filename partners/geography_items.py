"""What the geography refresh (``geography_refresh``) reads and reports: its limits, the items and the summary."""

import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from .models import Epci

COMMUNE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
SIREN = re.compile(r"^[0-9]{9}$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
COORDINATE_STEP = Decimal("0.00001")
# An answer that would end more than this share of the department's communes is refused: a year
# of mergers ends a few percent of them, never a quarter.
MAX_ENDED_SHARE = 0.25
# Problems listed in the summary; the others are counted.
PROBLEMS_SHOWN = 20
EPCI_KIND_PREFIXES = {"CA ": Epci.Kind.CA, "CC ": Epci.Kind.CC}
COMMUNE_FIELDS = ["name", "siren", "postal_codes", "population", "epci", "latitude", "longitude"]


class RefreshRefused(Exception):
    """The answer cannot be used; nothing was written. The message says why, in French."""


@dataclass(frozen=True)
class CommuneItem:
    insee_code: str
    name: str
    epci_siren: str
    siren: str | None = None
    postal_codes: str | None = None
    population: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class EpciItem:
    siren: str
    name: str
    kind: str | None = None
    departments: str | None = None
    population: int | None = None


@dataclass
class Territory:
    """The answers once read: what can be applied, and what could not be read."""

    department: str
    communes: dict = field(default_factory=dict)  # INSEE code → CommuneItem
    epcis: dict = field(default_factory=dict)  # SIREN → EpciItem
    successors: dict = field(default_factory=dict)  # code of a commune déléguée → code of its commune
    codes_seen: set = field(default_factory=set)  # every commune code of the answer, readable or not
    members: Counter = field(default_factory=Counter)  # SIREN of an EPCI → its communes in the answer
    items_without_code: int = 0
    problems: list = field(default_factory=list)


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    merged: int = 0
    ended: int = 0
    unchanged: int = 0
    epci_created: int = 0
    epci_updated: int = 0
    epci_unchanged: int = 0
    problems: list = field(default_factory=list)
    ending_suspended: bool = False

    def counts(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "merged": self.merged,
            "ended": self.ended,
            "unchanged": self.unchanged,
            "epci_created": self.epci_created,
            "epci_updated": self.epci_updated,
            "epci_unchanged": self.epci_unchanged,
            "problems": len(self.problems),
        }

    def lines(self):
        lines = [
            f"Communes : {_count(self.created, 'nouvelle', 'nouvelles')}, "
            f"{_count(self.updated, 'mise à jour', 'mises à jour')}, "
            f"{_count(self.merged, 'fusionnée dans une commune nouvelle', 'fusionnées dans une commune nouvelle')}, "
            f"{_count(self.ended, 'supprimée sans successeur connu', 'supprimées sans successeur connu')}, "
            f"{_count(self.unchanged, 'inchangée', 'inchangées')}.",
            f"EPCI : {_count(self.epci_created, 'nouveau', 'nouveaux')}, "
            f"{_count(self.epci_updated, 'mis à jour', 'mis à jour')}, "
            f"{_count(self.epci_unchanged, 'inchangé', 'inchangés')}.",
        ]
        if self.ending_suspended:
            lines.append(
                "Des éléments sans code INSEE empêchent de savoir quelles communes ont disparu : "
                "aucune commune n'a été marquée supprimée."
            )
        if self.problems:
            lines.append(f"{_count(len(self.problems), 'élément ignoré', 'éléments ignorés')} :")
            lines += [f"  - {problem}" for problem in self.problems[:PROBLEMS_SHOWN]]
            if len(self.problems) > PROBLEMS_SHOWN:
                lines.append(f"  … et {len(self.problems) - PROBLEMS_SHOWN} autres.")
        return lines

    def text(self):
        return "\n".join(self.lines())


def _count(number, singular, plural):
    return f"{number} {singular if number in (0, 1) else plural}"
