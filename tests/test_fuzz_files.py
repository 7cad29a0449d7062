"""Fuzzing of the files: random and hostile bytes to the CSV/XLSX reader and to the imports, and
hostile text to the exports (formulas must come out neutralised). Issue 8, point 5."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from common.tabular import FORMULA_START, ImportFileError, content_problem, parse_file
from partners import imports as company_imports
from partners.models import Organisation
from placements.models import DeclarationLine
from portal import declaration_imports
from reporting.exports import Table, as_csv, as_xlsx
from tests.fuzz import FUZZ, NASTY, nasty_text
from tests.placements.factories import PlacementFactory


class Rollback(Exception):
    pass


def csv_bytes(rows, encoding="utf-8"):
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode(encoding, errors="surrogatepass")


def xlsx_bytes(rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append([openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE.sub("", value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


names = st.sampled_from(["import.csv", "import.xlsx", "import.txt", "import", "import.pdf"])
raw_files = st.one_of(
    st.binary(max_size=2000),
    st.builds(
        lambda prefix, rest: prefix + rest,
        st.sampled_from([b"PK\x03\x04", b"\xff\xfe", b"\xef\xbb\xbf"]),
        st.binary(max_size=500),
    ),
    st.lists(st.lists(nasty_text.map(lambda t: t[:200]), max_size=6), max_size=6).map(csv_bytes),
)


@FUZZ
@given(name=names, data=raw_files)
def test_the_reader_refuses_garbage_in_french_and_never_crashes(name, data):
    content_problem(SimpleUploadedFile(name, data))
    for table_format in (company_imports.TABLE_FORMAT, declaration_imports.TABLE_FORMAT):
        try:
            rows = parse_file(SimpleUploadedFile(name, data), table_format)
        except ImportFileError as exc:
            assert str(exc) and str(exc)[0].isupper()
        else:
            assert all(isinstance(value, str | int) for row in rows for value in row.values())


@pytest.mark.django_db
@FUZZ
@given(
    cells=st.lists(
        st.lists(nasty_text, min_size=len(company_imports.COLUMN_KEYS), max_size=len(company_imports.COLUMN_KEYS)),
        min_size=1,
        max_size=3,
    ),
    as_xlsx_file=st.booleans(),
)
def test_companies_import_with_hostile_cells_stores_nothing_invalid(cells, as_xlsx_file):
    template = list(csv.reader(io.StringIO(company_imports.template_csv().decode("utf-8-sig")), delimiter=";"))
    header, examples = template[0], template[1:]
    # Half the cells keep the template's good value, so that some lines get far in the checks.
    rows = [header] + [
        [
            good if index % 2 else bad
            for index, (good, bad) in enumerate(zip(examples[number % len(examples)], row, strict=True))
        ]
        for number, row in enumerate(cells)
    ]
    content = xlsx_bytes(rows) if as_xlsx_file else csv_bytes(rows)
    before = Organisation.objects.count()
    try:
        with transaction.atomic():
            result = company_imports.import_organisations(
                SimpleUploadedFile("import.xlsx" if as_xlsx_file else "import.csv", content)
            )
            for organisation in result.created:
                organisation.full_clean(exclude=["served_epcis", "served_communes"])
            if not result.ok:
                assert Organisation.objects.count() == before
            raise Rollback
    except Rollback:
        pass


@pytest.fixture
def month_and_employer(employer):
    company = employer.memberships.get().organisation
    placement = PlacementFactory(employer=company)
    PlacementFactory(employer=company)
    return placement.start_date.replace(day=1), company, employer


@pytest.mark.django_db
@FUZZ
@given(hours=st.lists(nasty_text, min_size=2, max_size=2), name=nasty_text, as_xlsx_file=st.booleans())
def test_hours_import_with_hostile_cells_stores_only_valid_hours(month_and_employer, hours, name, as_xlsx_file):
    month, company, user = month_and_employer
    text = declaration_imports.template_csv(company, month).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    column = rows[0].index("heures")
    for row, value in zip(rows[1:], hours, strict=False):
        row[column] = value
    rows[1][column - 1 if column else 0] = name if len(rows[1]) > 1 else rows[1][0]
    content = xlsx_bytes(rows) if as_xlsx_file else csv_bytes(rows)
    maximum = django_settings.CLAUSIER["MONTHLY_HOURS_MAXIMUM"]
    try:
        with transaction.atomic():
            declaration_imports.import_hours(
                SimpleUploadedFile("heures.xlsx" if as_xlsx_file else "heures.csv", content), company, month, user
            )
            for line in DeclarationLine.objects.all():
                line.full_clean()
                assert Decimal(0) <= line.hours <= maximum
            raise Rollback
    except Rollback:
        pass


FORMULAS = [text for text in NASTY if text.startswith(FORMULA_START)]


@FUZZ
@given(values=st.lists(st.one_of(st.sampled_from(FORMULAS), nasty_text), min_size=1, max_size=8))
def test_exports_neutralise_spreadsheet_formulas(values):
    table = Table("essai", "Essai", [f"col{i}" for i in range(len(values))], rows=[values])
    cells = list(csv.reader(io.StringIO(as_csv(table).decode("utf-8-sig"), newline=""), delimiter=";"))[1]
    for cell in cells:
        assert not cell.startswith(FORMULA_START), cell
    workbook = openpyxl.load_workbook(io.BytesIO(as_xlsx(table)))
    for row in workbook.active.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value


@pytest.mark.django_db
def test_hours_template_workbook_holds_names_with_characters_xlsx_forbids(employer):
    """Once a server error (control character) or a broken workbook (U+FFFF): now dropped."""
    company = employer.memberships.get().organisation
    placement = PlacementFactory(employer=company)
    placement.participant.last_name = "Mar\x01tin\uffff"
    placement.participant.save()
    month = placement.start_date.replace(day=1)
    content = declaration_imports.template_xlsx(company, month)
    rows = parse_file(SimpleUploadedFile("heures.xlsx", content), declaration_imports.TABLE_FORMAT)
    assert any("MARTIN" in str(value).upper() for row in rows for value in row.values())
