"""Writing of tables, the exports of every app: CSV for a French spreadsheet (UTF-8 with a byte
order mark, semicolons, decimal commas, dates as dd/mm/yyyy) and XLSX with real numbers and dates,
one sheet or a book of several."""

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .numbers import plain_number
from .table_reading import quote_formula, xlsx_text

RATE_FORMAT = "0.0"
INTEGER_FORMAT = "#,##0"
DECIMAL_FORMAT = "#,##0.00"
DATE_FORMAT = "DD/MM/YYYY"
SHEET_TITLE_MAX = 31
SHEET_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


@dataclass
class Table:
    """What an export holds, whatever its format."""

    name: str
    title: str
    headers: list
    rows: list = field(default_factory=list)
    # Number format of some columns in a workbook (index → format), e.g. one decimal for rates.
    formats: dict = field(default_factory=dict)
    # Number format of the values of some rows in a workbook (index of the row → format).
    row_formats: dict = field(default_factory=dict)
    # Lines written above the header in a workbook (the first in bold): what the sheet is, when made.
    preamble: list = field(default_factory=list)

    @property
    def sheet_title(self):
        return sheet_title(self.title)


def sheet_title(title):
    """A worksheet name Excel accepts: no []:*?/\\ and at most 31 characters."""
    text = SHEET_TITLE_FORBIDDEN.sub(" ", title).strip(" '") or "Export"
    return text[:SHEET_TITLE_MAX].rstrip()


def csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if isinstance(value, Decimal):
        return plain_number(value)
    if isinstance(value, float):
        return plain_number(Decimal(str(value)))
    if isinstance(value, (datetime.date, datetime.datetime)):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, int):
        return str(value)
    return quote_formula(str(value))


def as_csv(table):
    """The table in CSV for a French spreadsheet: UTF-8 with BOM, ";" and decimal commas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(header) for header in table.headers])
    for row in table.rows:
        writer.writerow([csv_cell(value) for value in row])
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def _xlsx_value(value):
    """The value stored in a cell and its number format (None: general)."""
    if value is None:
        return None, None
    if isinstance(value, bool):
        return ("Oui" if value else "Non"), None
    if isinstance(value, Decimal):
        return value, DECIMAL_FORMAT
    if isinstance(value, int):
        return value, INTEGER_FORMAT
    if isinstance(value, datetime.datetime):
        return value.date(), DATE_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    return xlsx_text(value), None


def _display_width(value):
    if value is None:
        return 0
    if isinstance(value, (datetime.date, datetime.datetime)):
        return 10
    return len(csv_cell(value)) + (2 if isinstance(value, (int, Decimal)) else 0)


def as_xlsx(table):
    """The table as a workbook: real numbers and dates, a bold frozen header, fitted columns."""
    return as_xlsx_book([table], title=table.title)


def as_xlsx_book(tables, title):
    """Several tables as one workbook, a sheet each (written as ``as_xlsx`` writes its one)."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = title[:255]
    workbook.properties.creator = "Clausier"
    for table in tables:
        _write_sheet(workbook.create_sheet(table.sheet_title), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _write_sheet(sheet, table):
    bold = Font(bold=True)
    for row_index, line in enumerate(table.preamble, start=1):
        cell = sheet.cell(row=row_index, column=1, value=xlsx_text(line))
        cell.data_type = "s"
        cell.font = bold if row_index == 1 else Font()
    first = len(table.preamble) + 1  # the header's row
    widths = [len(str(header)) + 2 for header in table.headers]
    for column, header in enumerate(table.headers, start=1):
        cell = sheet.cell(row=first, column=column, value=xlsx_text(header))
        cell.font = bold
        cell.data_type = "s"
    for row_index, row in enumerate(table.rows, start=first + 1):
        row_format = table.row_formats.get(row_index - first - 1)
        for column, raw in enumerate(row, start=1):
            value, number_format = _xlsx_value(raw)
            cell = sheet.cell(row=row_index, column=column, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula, even when the text starts with "="
            number_format = table.formats.get(column - 1, row_format or number_format) if number_format else None
            if number_format:
                cell.number_format = number_format
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], _display_width(raw))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width, 8), 60)
    sheet.freeze_panes = f"A{first + 1}"
    if table.rows:
        sheet.auto_filter.ref = f"A{first}:{get_column_letter(len(table.headers))}{len(table.rows) + first}"


WRITERS = {
    "csv": ("text/csv; charset=utf-8", as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", as_xlsx),
}
