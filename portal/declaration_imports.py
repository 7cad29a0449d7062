"""Import of a month's hours from a CSV or XLSX file: the saving here; the reading, checks and
template in ``declaration_import_reading``, ``_checks`` and ``_templates``, re-exported here.

The employer downloads a template pre-filled with the people they employ on a lot that month
(one line per placement, identified by its reference), types the hours and sends it back. The
import is all or nothing: every line is checked, every problem is reported with its line (the
header is line 1), its column and a reason in French, and nothing is saved while one problem
remains. Then the hours go through ``save_hours`` once, as if typed in the month's grid.

The placements, and the employer's other placements named in the file, are loaded in a few
queries whatever the number of lines. A reference that is not one of the employer's placements
is refused with the same words whether it exists elsewhere or not: nothing leaks about the
people of another employer.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.db import transaction

from common.tabular import ImportFileError
from common.tabular import ParsedRows as ParsedRows  # re-exported: the reading moved to common.tabular
from placements import declaration_rules as rules

from .declaration_import_checks import CheckedRows, RowError, validate_rows
from .declaration_import_reading import (
    COLUMN_KEYS,
    COLUMNS,
    MAX_FILE_SIZE,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    SHEET_TITLE,
    TABLE_FORMAT,
    Column,
    month_code,
    parse_file,
    parse_month,
    person_name,
)
from .declaration_import_templates import (
    french_hours,
    saved_hours,
    template_csv,
    template_filename,
    template_rows,
    template_xlsx,
)
from .declaration_services import (
    DeclarationErrors,
    StaleDeclaration,
    declaration_for,
    monthly_maximum,
    save_hours,
)

# The callers import from here (``from portal.declaration_imports import ...``): reading, checks and
# template live in declaration_import_reading, _checks and _templates; the import itself is here.
__all__ = [
    "COLUMNS",
    "COLUMN_KEYS",
    "MAX_FILE_SIZE",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "SHEET_TITLE",
    "TABLE_FORMAT",
    "CheckedRows",
    "Column",
    "ImportFileError",
    "ImportResult",
    "ParsedRows",
    "RowError",
    "french_hours",
    "import_hours",
    "month_code",
    "monthly_maximum",
    "parse_file",
    "parse_month",
    "person_name",
    "saved_hours",
    "template_csv",
    "template_filename",
    "template_rows",
    "template_xlsx",
    "validate_rows",
]

# Import ------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    errors: list = field(default_factory=list)
    row_count: int = 0
    imported_count: int = 0
    ignored_columns: list = field(default_factory=list)
    declaration: object = None

    @property
    def ok(self):
        return not self.errors

    def success_messages(self):
        """What the grid says after a successful import: (message level, text) pairs."""
        count = self.imported_count
        plural = "s" if count > 1 else ""
        said = [
            (messages.SUCCESS, f"{count} ligne{plural} importée{plural} ; vérifiez puis transmettez au facilitateur.")
        ]
        if self.ignored_columns:
            ignored = ", ".join(f"« {name} »" for name in self.ignored_columns)
            said.append((messages.INFO, f"Colonnes non reconnues, donc ignorées : {ignored}."))
        return said


def import_hours(uploaded_file, employer, month, user):
    """Read and check the whole file; when every line is right, save all hours at once."""
    month = rules.first_day(month)
    try:
        rows = parse_file(uploaded_file)
    except ImportFileError as exc:
        return ImportResult(errors=[RowError(None, "", str(exc))])
    result = ImportResult(row_count=len(rows), ignored_columns=rows.ignored_columns)
    checked = validate_rows(rows, employer, month)
    if checked.errors:
        result.errors = checked.errors
        return result
    try:
        with transaction.atomic():
            declaration = declaration_for(employer, month)
            save_hours(declaration, checked.hours, user, declaration.revision)
    except StaleDeclaration:
        result.errors = [
            RowError(
                None,
                "",
                "Quelqu'un a enregistré les heures de ce mois pendant l'import. Rien n'a été enregistré : "
                "envoyez le fichier à nouveau.",
            )
        ]
        return result
    except DeclarationErrors as exc:
        # Checked above; only a change made meanwhile (a placement's dates) can land here.
        result.errors = [
            RowError(checked.lines.get(placement_id), "heures" if placement_id in checked.lines else "", message)
            for placement_id, message in exc.errors.items()
        ]
        return result
    result.declaration = declaration
    result.imported_count = checked.hours_count
    return result
