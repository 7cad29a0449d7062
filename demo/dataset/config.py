"""The dataset's constants, its scales and its error."""

from dataclasses import dataclass

from clauses.models import Clause
from partners.models import Organisation
from placements.models import (
    DeclarationLine,
    Placement,
)

MARKER = "[Jeu de données généré]"
EMAIL_DOMAIN = "jeu-genere.clausier.test"
PASSWORD = "Clausier-jeu-2026"
BATCH_SIZE = 5000
SYNTHETIC_INSEE_PREFIX = "Z"
SYNTHETIC_SIREN_PREFIX = "9"
BEHIND_SHARE = 0.40
EPCIS_PER_DEPARTMENT = 8
COMMUNES_PER_EPCI = 10
MAX_PLACEMENT_DAYS = 730  # two years on one lot at most

K = Organisation.Kind
B = Organisation.BuyerKind
S = Organisation.StructureKind
MODE = Placement.Mode
LINE = DeclarationLine.Status
BASIS = Clause.LegalBasis


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    departments: int
    contracts: int
    lots: int
    participants: int
    placements: int
    lines: int
    actions_per_year: int  # per department

    def for_years(self, years):
        """The same scale over ``years`` years: every count in proportion."""
        if not years or years == self.years:
            return self
        ratio = years / self.years

        def scaled(value):
            return max(1, round(value * ratio))

        return Scale(
            self.name,
            years,
            self.departments,
            scaled(self.contracts),
            max(scaled(self.lots), scaled(self.contracts)),
            scaled(self.participants),
            max(scaled(self.placements), scaled(self.participants)),
            scaled(self.lines),
            self.actions_per_year,
        )


SCALES = {
    "tiny": Scale("tiny", 2, 1, 12, 30, 25, 40, 320, 4),
    "department": Scale("department", 10, 1, 1_500, 4_000, 3_000, 5_000, 60_000, 36),
    "national": Scale("national", 1, 100, 15_000, 40_000, 30_000, 50_000, 600_000, 36),
}


class DatasetError(Exception):
    """Something prevents the generation; the message is in French for the command's user."""
