"""Import of a month's hours from a CSV or XLSX file: template, reading, validation, saving.

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

import csv
import datetime
import io
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from django.contrib import messages
from django.db import transaction
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common import tabular
from common.dates import month_label, of_month
from common.tabular import LINE, ImportFileError, TableFormat, quote_formula, xlsx_text
from common.tabular import ParsedRows as ParsedRows  # re-exported: the reading moved to common.tabular
from common.text import search_key
from placements import declaration_rules as rules
from placements.models import DeclarationLine, Placement

from .declaration_services import (
    DeclarationErrors,
    StaleDeclaration,
    declarable_placements,
    declaration_for,
    hours_declared_elsewhere,
    monthly_maximum,
    person_month_errors,
    save_hours,
)

MAX_ROWS = 10_000
MAX_FILE_SIZE = 5 * 1024 * 1024
SHEET_TITLE = "Heures"


@dataclass(frozen=True)
class Column(tabular.Column):
    read_only: bool = False


COLUMNS = [
    Column(
        "reference",
        True,
        "Numéro de la mise à l'emploi, repris du modèle : il désigne la personne sans ambiguïté. Ne le modifiez pas.",
        read_only=True,
        aliases=("ref", "reference_de_la_personne", "numero", "n", "no", "id", "identifiant"),
    ),
    Column(
        "nom",
        True,
        "Nom de la personne, repris du modèle : il sert à vérifier la référence.",
        read_only=True,
        aliases=("nom_de_famille", "nom_de_naissance"),
    ),
    Column(
        "prenom",
        True,
        "Prénom de la personne, repris du modèle : il sert à vérifier la référence.",
        read_only=True,
        aliases=("prenoms",),
    ),
    Column(
        "lot",
        False,
        "Lot et opération où la personne travaille, pour vous repérer (non lu à l'import).",
        read_only=True,
        aliases=("lot_et_operation", "chantier"),
    ),
    Column(
        "mois",
        True,
        "Mois déclaré, au format MM/AAAA (ex. 03/2026) : celui de la page d'import.",
        read_only=True,
        aliases=("mois_declare", "periode"),
    ),
    Column(
        "heures",
        True,
        "Heures travaillées sur le lot dans le mois (ex. 35 ou 35,5). Case vide : rien ne change pour cette personne.",
        aliases=(
            "heures_travaillees",
            "heures_realisees",
            "heures_effectuees",
            "nombre_d_heures",
            "nb_heures",
            "nombre_heures",
        ),
    ),
]
COLUMN_KEYS = [column.key for column in COLUMNS]
REQUIRED_COLUMNS = [column.key for column in COLUMNS if column.required]


def month_code(month):
    """date(2026, 3, 1) → "03/2026", as the column ``mois`` writes it."""
    return f"{month.month:02d}/{month.year}"


def person_name(participant):
    """ "Julie MARTIN": the first name, then the last name in capitals, as French forms write it."""
    return f"{participant.first_name} {participant.last_name.upper()}"


# Reading -----------------------------------------------------------------------------------------

TABLE_FORMAT = TableFormat(
    columns=tuple(COLUMNS),
    max_rows=MAX_ROWS,
    too_many_rows="Le fichier contient plus de {max_rows} lignes : découpez-le en plusieurs fichiers.",
    no_rows="Le fichier ne contient aucune personne : seule la ligne d'en-tête est remplie.",
    # The template's names are written with an apostrophe before a leading "=" (see template_csv).
    unquote_formulas=True,
    sheet_title=SHEET_TITLE,
    # 35.25 stays 35.25; a formula's 151.54999999999998 becomes 151.55.
    float_digits=6,
    with_time=False,
)


def parse_file(uploaded_file):
    """Rows of a CSV or XLSX file as dicts of stripped strings keyed by column, plus ``line``.

    The kind of file is told by its content (an XLSX is a ZIP archive), not by its name.
    Raises ImportFileError, in French, when the file cannot be used at all.
    """
    return tabular.parse_file(uploaded_file, TABLE_FORMAT)


# Months ------------------------------------------------------------------------------------------

_MONTH_WORDS = {
    "janvier": 1,
    "janv": 1,
    "jan": 1,
    "fevrier": 2,
    "fevr": 2,
    "fev": 2,
    "mars": 3,
    "mar": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "sep": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "decembre": 12,
    "dec": 12,
}
_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{4})")
_DAY_MONTH_YEAR = re.compile(r"\d{1,2}[/.-](\d{1,2})[/.-](\d{4})(?: \d{1,2}:\d{2}(?::\d{2})?)?")
_YEAR_MONTH = re.compile(r"(\d{4})[/.-](\d{1,2})(?:[/.-]\d{1,2})?(?:[ t]\d{1,2}:\d{2}(?::\d{2})?)?")
_WORD_YEAR = re.compile(r"([a-z]+)\.?[\s/.-]*(\d{4}|\d{2})")


def parse_month(text):
    """The first day of the month written as "03/2026", "3/2026", "01/03/2026", "2026-03", "mars 2026"
    or "mars-26" (what French Excel shows of 03/2026 once it took it for a date); None otherwise."""
    key = search_key(text)
    year = month = None
    if (match := _MONTH_YEAR.fullmatch(key)) or (match := _DAY_MONTH_YEAR.fullmatch(key)):
        month, year = int(match[1]), int(match[2])
    elif match := _YEAR_MONTH.fullmatch(key):
        year, month = int(match[1]), int(match[2])
    elif (match := _WORD_YEAR.fullmatch(key)) and match[1] in _MONTH_WORDS:
        month, year = _MONTH_WORDS[match[1]], int(match[2])
        year = year + 2000 if year < 100 else year
    if month is None or not 1 <= month <= 12 or not 2000 <= year <= 2100:
        return None
    return datetime.date(year, month, 1)


# Validation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of the file: its line (None for the whole file), column and reason in French."""

    line: int | None
    column: str
    message: str
    value: str = ""
    column_letter: str = ""


@dataclass
class CheckedRows:
    """What the validation found: the hours by placement id (None: leave as is), the line of each
    placement in the file, and every error."""

    hours: dict = field(default_factory=dict)
    lines: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)

    @property
    def hours_count(self):
        return sum(1 for hours in self.hours.values() if hours is not None)


def _name_key(text):
    return search_key((text or "").replace("-", " ").replace("'", " "))


_HOURS_UNIT = re.compile(r"\s*(h|heures?)\s*$", re.IGNORECASE)


def _parse_reference(text):
    """12, "12", "#12", "12.0" → 12; None when it is not a whole number."""
    value = text.strip().lstrip("#").strip()
    if re.fullmatch(r"\d{1,12}", value):
        return int(value)
    return None


def validate_rows(rows, employer, month):
    """Check every row against the employer's placements of the month; nothing is written.

    Queries: the month's placements (and their participants) once, and, only when the file names
    references that are not among them, the employer's own placements among those references once;
    then, when the file has hours, the hours already declared for these people this month, in one
    aggregate query: the monthly maximum is per person, whatever the lot or the employer (the hours
    of a person's lines in the file add up; the other employers are never named).
    """
    month = rules.first_day(month)
    label = month_label(month)
    maximum = monthly_maximum()
    placements = {placement.pk: placement for placement in _placements_to_check(employer, month)}
    references = {row[LINE]: _parse_reference(row.get("reference", "")) for row in rows}
    unknown = {reference for reference in references.values() if reference is not None} - placements.keys()
    own_elsewhere = {}
    if unknown:
        own_elsewhere = {
            placement.pk: placement
            for placement in Placement.objects.filter(employer=employer, pk__in=sorted(unknown)).select_related(
                "participant"
            )
        }

    checked = CheckedRows()
    refused = set()  # references whose hours are refused on their own
    for row in rows:
        line = row[LINE]

        def value(key, row=row):
            return (row.get(key) or "").strip()

        def error(key, message, shown=None, line=line):
            checked.errors.append(RowError(line, key, message, value(key) if shown is None else shown))

        # mois
        typed_month = value("mois")
        if not typed_month:
            error("mois", f"Mois vide : indiquez {month_code(month)} ({label}), le mois de cette page.")
        else:
            parsed_month = parse_month(typed_month)
            if parsed_month is None:
                error(
                    "mois",
                    f"Mois illisible : indiquez-le au format MM/AAAA, ici {month_code(month)} ({label}).",
                )
            elif parsed_month != month:
                error(
                    "mois",
                    f"Ce fichier déclare {month_label(parsed_month)}, mais cette page importe les heures "
                    f"{of_month(month)} : importez-le depuis la page {of_month(parsed_month)}, "
                    f"ou corrigez le mois ({month_code(month)}).",
                )

        # heures
        hours, hours_readable = None, True
        raw_hours = value("heures")
        try:
            hours = rules.parse_hours(_HOURS_UNIT.sub("", raw_hours))
        except ValueError:
            hours_readable = False
            error("heures", f"« {raw_hours} » n'est pas un nombre d'heures : indiquez par exemple 35 ou 35,5.")

        # reference, then the name that confirms it, then the hours against the placement's dates
        if not value("reference"):
            error(
                "reference",
                "Référence vide : recopiez celle de la personne depuis le modèle du mois. Une personne absente du "
                "modèle ne peut pas être déclarée ici : contactez le facilitateur.",
            )
            continue
        reference = references[line]
        if reference is None:
            error(
                "reference",
                "Référence illisible : c'est le numéro de la colonne « reference » du modèle du mois (ex. 12).",
            )
            continue
        placement = placements.get(reference)
        if placement is None:
            elsewhere = own_elsewhere.get(reference)
            if elsewhere is None:
                # Same words whether the reference exists for another employer or not at all.
                error(
                    "reference",
                    f"Personne inconnue : la référence {reference} ne correspond à aucune personne que vous employez "
                    f"sur un lot en {label}. Téléchargez le modèle de ce mois pour avoir les bonnes références.",
                )
            else:
                error("reference", _not_running_message(elsewhere, reference, month))
            continue
        _check_name(placement.participant, reference, value("nom"), value("prenom"), error)
        if reference in checked.lines:
            error(
                "reference",
                f"Personne en double : la référence {reference} ({person_name(placement.participant)}) est déjà à "
                f"la ligne {checked.lines[reference]}. Gardez une seule ligne par personne, avec le total de ses "
                "heures du mois.",
            )
            continue
        checked.lines[reference] = line
        if hours_readable:
            problem = rules.hours_problem(hours, month, placement.start_date, placement.end_date, maximum)
            if problem:
                error("heures", problem)
                refused.add(reference)
        checked.hours[reference] = hours

    _check_person_totals(checked, placements, refused, employer, month, maximum)

    letters = getattr(rows, "column_letters", {})
    if letters:
        checked.errors = [replace(error, column_letter=letters.get(error.column, "")) for error in checked.errors]
    if not checked.errors and not checked.hours_count:
        checked.errors.append(
            RowError(
                None,
                "heures",
                "Aucune heure à importer : la colonne « heures » est vide sur toutes les lignes.",
                column_letter=letters.get("heures", ""),
            )
        )
    return checked


def _check_person_totals(checked, placements, refused, employer, month, maximum):
    """A person's hours of the month in the file plus those already declared elsewhere must not
    exceed the monthly maximum: each of the person's lines gets the error, in the order of the file."""
    typed = {
        reference: hours for reference, hours in checked.hours.items() if hours is not None and reference not in refused
    }
    if not typed:
        return
    written = {reference for reference, hours in checked.hours.items() if hours is not None}
    elsewhere = hours_declared_elsewhere(employer, month, written)
    participant_of = {reference: placements[reference].participant_id for reference in typed}
    errors = person_month_errors(month, typed, participant_of, elsewhere, maximum)
    for reference, message in errors.items():
        checked.errors.append(
            RowError(checked.lines[reference], "heures", message, rules.format_hours(typed[reference]))
        )
    checked.errors.sort(key=lambda error: error.line or 0)


def _placements_to_check(employer, month):
    """The month's declarable placements with only what the checks read: one query, no prefetch,
    so that a file of 10,000 lines is checked in well under a second."""
    return (
        declarable_placements(employer, month)
        .select_related(None)
        .select_related("participant")
        .prefetch_related(None)
        .order_by()
        .only("pk", "start_date", "end_date", "participant__first_name", "participant__last_name")
    )


def _check_name(participant, reference, last_name, first_name, error):
    if _name_key(last_name) == _name_key(participant.last_name) and _name_key(first_name) == _name_key(
        participant.first_name
    ):
        return
    expected = person_name(participant)
    typed = " ".join(part for part in (first_name, last_name.upper()) if part)
    column = "nom" if _name_key(last_name) != _name_key(participant.last_name) else "prenom"
    if not typed:
        error(
            "nom",
            f"Nom et prénom vides : la référence {reference} correspond à {expected} ; recopiez son nom et son "
            "prénom depuis le modèle, ils servent à vérifier la référence.",
            shown="",
        )
        return
    error(
        column,
        f"La référence {reference} correspond à {expected}, pas à {typed} : vérifiez la référence ou le nom.",
        shown=typed,
    )


def _not_running_message(placement, reference, month):
    """The employer's own placement that did not run this month: they may see who and when."""
    period = f"du {placement.start_date:%d/%m/%Y}" + (
        f" au {placement.end_date:%d/%m/%Y}" if placement.end_date else ""
    )
    return (
        f"La référence {reference} ({person_name(placement.participant)}) : la mise à l'emploi ne couvre pas "
        f"{month_label(month)} ({period}). Retirez cette ligne."
    )


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


# Template ----------------------------------------------------------------------------------------


def saved_hours(employer, month):
    """The hours already saved for the month, by placement id (the current version of each line)."""
    return dict(
        DeclarationLine.objects.current()
        .filter(declaration__employer=employer, declaration__month=rules.first_day(month))
        .values_list("placement_id", "hours")
    )


def _lot_label(lot):
    return f"{lot} ({lot.contract.operation.title})"


def template_rows(employer, month):
    """One row per placement declarable in the month: reference, nom, prenom, lot, mois, heures
    (a Decimal, or None when nothing is saved yet)."""
    month = rules.first_day(month)
    saved = saved_hours(employer, month)
    return [
        [
            placement.pk,
            placement.participant.last_name,
            placement.participant.first_name,
            _lot_label(placement.lot),
            month_code(month),
            saved.get(placement.pk),
        ]
        for placement in declarable_placements(employer, month)
        .prefetch_related(None)
        .only(
            "pk",
            "participant__first_name",
            "participant__last_name",
            "lot__number",
            "lot__title",
            "lot__contract__operation__title",
        )
    ]


def french_hours(hours):
    """Decimal("35.50") → "35,5"; Decimal("100.00") → "100"; None → ""."""
    if hours is None:
        return ""
    text = f"{hours.quantize(Decimal('0.01')):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def template_filename(employer, month, fmt):
    return f"heures-{month:%Y-%m}-{slugify(employer.name)[:60] or 'employeur'}.{fmt}"


def template_csv(employer, month):
    """The template as CSV: semicolons, decimal commas and a UTF-8 byte order mark, as French Excel expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_KEYS)
    for reference, last_name, first_name, lot, month_text, hours in template_rows(employer, month):
        writer.writerow(
            [
                reference,
                quote_formula(last_name),
                quote_formula(first_name),
                quote_formula(lot),
                month_text,
                french_hours(hours),
            ]
        )
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


READ_ONLY_FILL = PatternFill("solid", fgColor="EEEEEE")
HOURS_FILL = PatternFill("solid", fgColor="FFF8DC")


def template_xlsx(employer, month):
    """The template as an XLSX workbook: the people of the month, a note on the columns not to change,
    a check on the hours typed, and a help sheet."""
    month = rules.first_day(month)
    label = month_label(month)
    maximum = monthly_maximum()
    rows = template_rows(employer, month)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    sheet.append(COLUMN_KEYS)
    for line, row in enumerate(rows, start=2):
        for index, value in enumerate(row, start=1):
            cell = sheet.cell(row=line, column=index)
            if isinstance(value, Decimal):
                cell.value = float(value)
                cell.number_format = "0.##"
            elif isinstance(value, str):
                # Set as text, so that a name starting with "=" is never taken for a formula.
                cell.value = xlsx_text(value)
                cell.data_type = "s"
            else:
                cell.value = value
    hours_column = COLUMN_KEYS.index("heures") + 1
    last_row = len(rows) + 1
    for column in COLUMNS:
        index = COLUMN_KEYS.index(column.key) + 1
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index)
        header.font = Font(bold=True)
        if column.read_only:
            header.comment = Comment(f"Ne modifiez pas cette colonne. {column.description}", "Clausier")
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last_row, min_col=index, max_col=index):
                cell.fill = READ_ONLY_FILL
        else:
            header.comment = Comment(f"À remplir. {column.description}", "Clausier")
            for (cell,) in sheet.iter_rows(min_row=2, max_row=last_row, min_col=index, max_col=index):
                cell.fill = HOURS_FILL
        if column.key in ("mois", "nom", "prenom", "lot"):
            # Text cells: "03/2026" is not turned into a date.
            sheet.column_dimensions[letter].number_format = "@"
    widths = {"reference": 12, "nom": 24, "prenom": 20, "lot": 60, "mois": 10, "heures": 10}
    for index, key in enumerate(COLUMN_KEYS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = widths[key]
    sheet.freeze_panes = "A2"
    hours_letter = get_column_letter(hours_column)
    validation = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2=str(maximum),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Heures non valables",
        error=f"Indiquez un nombre d'heures entre 0 et {maximum} (ex. 35 ou 35,5).",
        showInputMessage=True,
        promptTitle="Heures du mois",
        prompt=f"Heures travaillées sur le lot en {label}. Case vide : rien ne change.",
    )
    validation.add(f"{hours_letter}2:{hours_letter}{max(last_row, MAX_ROWS + 1)}")
    sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet("Aide")
    help_lines = [
        [f"Heures {of_month(month)} — {employer.name}"],
        [],
        ["Remplissez seulement la colonne « heures » de la feuille « Heures », une ligne par personne."],
        [
            "Les colonnes grisées (reference, nom, prenom, lot, mois) servent à reconnaître la personne : "
            "ne les modifiez pas."
        ],
        ["Case « heures » vide : rien ne change pour cette personne. Les heures déjà enregistrées sont pré-remplies."],
        [
            f"Pas d'heures négatives, au plus {maximum} h par personne dans le mois (tous ses lots et employeurs "
            "confondus), au centième près (ex. 35,25)."
        ],
        ["Une seule ligne par personne : additionnez ses heures du mois si besoin."],
        ["Si une seule ligne contient une erreur, rien n'est enregistré et la liste des erreurs s'affiche."],
        ["Une fois l'import fait, vérifiez les heures dans Clausier puis transmettez-les au facilitateur."],
        [],
        ["colonne", "à remplir", "contenu"],
    ]
    for help_line in help_lines:
        help_sheet.append(help_line)
    table_header = help_sheet.max_row
    for column in COLUMNS:
        help_sheet.append([column.key, "non" if column.read_only else "oui", column.description])
    help_sheet["A1"].font = Font(bold=True, size=13)
    for cell in help_sheet[table_header]:
        cell.font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 14
    help_sheet.column_dimensions["B"].width = 11
    help_sheet.column_dimensions["C"].width = 100
    for (cell,) in help_sheet.iter_rows(min_row=table_header + 1, min_col=3, max_col=3):
        cell.alignment = Alignment(wrap_text=True, vertical="top")

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
