"""Tables in and out, for every app: one name to import from.

Reading an uploaded CSV or XLSX file as rows keyed by column is in ``table_reading``; writing an
export as CSV or XLSX (one sheet or a book) is in ``table_writing``. Both are re-exported here, so
that callers write ``from common.tabular import parse_file, Table, as_xlsx_book``.
"""

from .table_reading import (  # noqa: F401
    FORMULA_START,
    LINE,
    NOT_CSV,
    NOT_XLSX,
    Column,
    ImportFileError,
    ParsedRows,
    TableFormat,
    content_problem,
    header_key,
    parse_file,
    quote_formula,
    thousands,
    unquote_formula,
    xlsx_text,
)
from .table_writing import (  # noqa: F401
    DATE_FORMAT,
    DECIMAL_FORMAT,
    INTEGER_FORMAT,
    RATE_FORMAT,
    SHEET_TITLE_MAX,
    WRITERS,
    Table,
    as_csv,
    as_xlsx,
    as_xlsx_book,
    csv_cell,
    sheet_title,
)
