"""Reading of a CSV or XLSX file as rows keyed by column, shared by the imports of the application.

What an import reads is described by a ``TableFormat``: its columns and their header aliases, the
required ones, the maximum number of rows and the few habits of its files (numbers whose leading
zeros a spreadsheet dropped, text written with a leading apostrophe, the name of the sheet...).
Every problem that makes the file unusable is raised as ``ImportFileError`` with a message in
French for the user. Line numbers are those the spreadsheet shows: the header is line 1, and empty
lines are skipped without shifting the numbers of the lines after them.
"""

import csv
import datetime
import io
import re
import zipfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from .text import search_key

LINE = "line"  # key of the line number in each parsed row

# Text that a spreadsheet would take for a formula is written with a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """The file cannot be read as the expected table; the message is for the user, in French."""


@dataclass(frozen=True)
class Column:
    """A column of an import file: its key (the header of the template) and the other headers accepted."""

    key: str
    required: bool
    description: str
    aliases: tuple = ()


@dataclass(frozen=True)
class TableFormat:
    """What one kind of import file holds, and how its cells are read.

    ``too_many_rows`` is the message when the file has more than ``max_rows`` rows, with
    ``{max_rows}`` where the limit goes; ``no_rows`` the message when only the header is filled.
    """

    columns: tuple
    max_rows: int
    too_many_rows: str
    no_rows: str
    # Numbers typed in a spreadsheet lose their leading zeros: 01053 becomes 1053. Key → width.
    numeric_widths: dict = field(default_factory=dict)
    # Drop the apostrophe written before text that starts like a formula (see ``quote_formula``).
    unquote_formulas: bool = False
    # The sheet read in a workbook when there is one of that name; else, and by default, the first.
    sheet_title: str = ""
    # Digits kept of a decimal number of a workbook (a formula's 151.54999999999998); None: all.
    float_digits: int | None = None
    # Whether a date and time of a workbook keeps its time (when it is not midnight).
    with_time: bool = True
    # "Colonnes obligatoires absentes" even when only one is missing.
    missing_always_plural: bool = False

    @cached_property
    def keys(self):
        return [column.key for column in self.columns]

    @cached_property
    def required_keys(self):
        return [column.key for column in self.columns if column.required]

    @cached_property
    def header_keys(self):
        """Every accepted header, as ``header_key`` writes it, → the key of its column."""
        return {alias: column.key for column in self.columns for alias in (column.key, *column.aliases)}


class ParsedRows(list):
    """The rows of a file (one dict per non-empty line), with what was learnt from its header."""

    def __init__(self, rows=(), *, column_letters=None, ignored_columns=()):
        super().__init__(rows)
        self.column_letters = column_letters or {}
        self.ignored_columns = list(ignored_columns)


def thousands(number):
    """5000 → "5 000" (non-breaking space), as French writes numbers."""
    return f"{number:,}".replace(",", "\u00a0")


def header_key(text):
    """ "Tranche d'effectif" → "tranche_d_effectif"; "E-mail" → "e_mail"; "Téléphone" → "telephone"."""
    return re.sub(r"[^a-z0-9]+", "_", search_key(text)).strip("_")


# What a workbook cannot hold: control characters (openpyxl refuses them) and the characters XML
# forbids that openpyxl lets through (then the file is broken for Excel and for this reader).
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xlsx_text(text):
    """Text that a workbook cell can hold: the characters it cannot are dropped."""
    return _NOT_IN_XLSX.sub("", str(text))


def quote_formula(text):
    """Text for a CSV cell that a spreadsheet will not take for a formula: "=A1" → "'=A1"."""
    return f"'{text}" if text.startswith(FORMULA_START) else text


def unquote_formula(text):
    """The reverse of ``quote_formula``: "'=A1" → "=A1"; any other text is left as it is."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


NOT_CSV = "Ce fichier n'est pas un fichier texte CSV : envoyez un fichier CSV ou XLSX."
NOT_XLSX = "Ce fichier n'est pas un classeur XLSX lisible : enregistrez-le à nouveau depuis Excel."
# First bytes of files that are surely not a table: PDF, PNG, JPEG, GIF, and web pages.
_NOT_TABLE_STARTS = (b"%PDF-", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<script", b"<?xml")


def content_problem(uploaded_file):
    """The French reason why an upload named .csv or .xlsx is not what its name says, or None.

    Read from the first bytes, for the upload form to show next to its field: an XLSX is a ZIP
    archive; a CSV is text (a workbook renamed .csv is let through, ``parse_file`` reads it).
    """
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    head = uploaded_file.read(4096)
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    extension = Path(getattr(uploaded_file, "name", "") or "").suffix.lower()
    if not head:
        return None
    if extension == ".xlsx":
        return None if head.startswith(b"PK\x03\x04") else NOT_XLSX
    if head.startswith(b"PK\x03\x04"):
        return None
    if head.startswith(_NOT_TABLE_STARTS) or (b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))):
        return NOT_CSV
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").lower().startswith(_HTML_STARTS):
        return "Ce fichier est une page web (HTML), pas un fichier CSV : envoyez un fichier CSV ou XLSX."
    return None


def parse_file(uploaded_file, table_format):
    """Rows of a CSV or XLSX file as dicts of stripped strings keyed by column, plus ``line``.

    The kind of file is told by its content (an XLSX is a ZIP archive), not by its name.
    Raises ImportFileError, in French, when the file cannot be used at all.
    """
    if hasattr(uploaded_file, "seek"):
        uploaded_file.seek(0)
    data = uploaded_file.read()
    extension = Path(getattr(uploaded_file, "name", "") or "").suffix.lower()
    if not data or not data.strip():
        raise ImportFileError("Le fichier est vide.")
    if data[:4] == b"PK\x03\x04":
        table = _xlsx_table(data, table_format)
    elif data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportFileError(
            "Les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez le fichier au format .xlsx ou .csv."
        )
    elif extension == ".xlsx":
        raise ImportFileError("Ce fichier n'est pas un classeur XLSX lisible : enregistrez-le à nouveau depuis Excel.")
    elif extension in (".csv", ".txt", ""):
        table = _csv_table(data)
    else:
        raise ImportFileError("Format non reconnu : envoyez un fichier CSV ou XLSX.")
    return _rows_from_table(table, table_format)


def _csv_table(data):
    """(line, cells, indexes of numeric cells) for each line of a CSV file; a CSV has no numeric cells."""
    if b"\x00" in data and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFileError("Ce fichier n'est pas un fichier texte CSV : envoyez un fichier CSV ou XLSX.")
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(";,\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for line, cells in enumerate(reader, start=1):
            yield line, [cell.strip() for cell in cells], set()
    except csv.Error as exc:
        raise ImportFileError(f"Le fichier CSV est mal formé (ligne {reader.line_num}) : {exc}.") from exc


def _decode(data):
    """UTF-16 with its byte order mark, UTF-8 with or without one, else Windows' cp1252."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFileError("Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 ».") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise ImportFileError("Encodage du fichier non reconnu : enregistrez-le en « CSV UTF-8 ».") from exc


def _xlsx_table(data, table_format):
    """(line, cells, indexes of numeric cells) for each row of the workbook's sheet."""
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ImportFileError(
            "Ce fichier n'est pas un classeur XLSX lisible : enregistrez-le à nouveau depuis Excel."
        ) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError("Le classeur ne contient aucune feuille.")
        sheet = workbook.worksheets[0]
        if table_format.sheet_title:
            # The sheet of the template if it is there (its help sheet may have been moved first), else the first.
            sheet = next((ws for ws in workbook.worksheets if ws.title == table_format.sheet_title), sheet)
        # Some tools write a wrong size in the file: read every row that is really there.
        sheet.reset_dimensions()
        try:
            for line, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                cells = [_cell_text(value, table_format) for value in values]
                numeric = {index for index, value in enumerate(values) if _is_number(value)}
                yield line, cells, numeric
        except (ParseError, zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            # A sheet is read as it goes: broken XML inside (a character XML forbids...) shows here.
            raise ImportFileError(NOT_XLSX) from exc
    finally:
        workbook.close()


def _is_number(value):
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cell_text(value, table_format):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        if table_format.float_digits is not None:
            # 35.25 stays 35.25; with 6 digits, a formula's 151.54999999999998 becomes 151.55.
            return f"{value:.{table_format.float_digits}f}".rstrip("0").rstrip(".")
    if isinstance(value, datetime.datetime):
        with_time = table_format.with_time and value.time() != datetime.time(0)
        return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _rows_from_table(table, table_format):
    header = None
    columns = {}
    ignored = []
    rows = ParsedRows()
    widths = table_format.numeric_widths
    for line, cells, numeric in table:
        if not any(cells):
            continue
        if header is None:
            header = cells
            columns, ignored = _read_header(cells, table_format)
            continue
        row = {LINE: line}
        for key in table_format.keys:
            index = columns.get(key)
            value = cells[index] if index is not None and index < len(cells) else ""
            if table_format.unquote_formulas:
                value = unquote_formula(value)
            if index in numeric and key in widths and value.isdigit():
                value = value.zfill(widths[key])
            row[key] = value
        rows.append(row)
        if len(rows) > table_format.max_rows:
            raise ImportFileError(table_format.too_many_rows.format(max_rows=thousands(table_format.max_rows)))
    if header is None:
        raise ImportFileError("Le fichier est vide.")
    if not rows:
        raise ImportFileError(table_format.no_rows)
    rows.column_letters = {key: get_column_letter(index + 1) for key, index in columns.items()}
    rows.ignored_columns = ignored
    return rows


def _read_header(cells, table_format):
    columns = {}
    ignored = []
    for index, cell in enumerate(cells):
        if not cell:
            continue
        key = table_format.header_keys.get(header_key(cell))
        if key is None:
            ignored.append(cell)
        elif key in columns:
            first, second = get_column_letter(columns[key] + 1), get_column_letter(index + 1)
            raise ImportFileError(f"La colonne « {key} » apparaît deux fois (colonnes {first} et {second}).")
        else:
            columns[key] = index
    missing = [key for key in table_format.required_keys if key not in columns]
    if missing:
        found = ", ".join(f"« {cell} »" for cell in cells if cell) or "aucune"
        plural = "s" if len(missing) > 1 or table_format.missing_always_plural else ""
        raise ImportFileError(
            f"Colonne{plural} obligatoire{plural} absente{plural} : {', '.join(missing)}. La première ligne du "
            f"fichier doit porter les noms des colonnes du modèle (colonnes trouvées : {found})."
        )
    return columns, ignored
