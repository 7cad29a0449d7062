"""Import of a month's hours from CSV or XLSX: reading, validation of every row, saving, template."""

import csv
import io
import time
from datetime import date, datetime
from decimal import Decimal as D
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from placements.models import DeclarationLine, MonthlyDeclaration
from portal import declaration_imports as imports
from portal.declaration_imports import (
    COLUMN_KEYS,
    ImportFileError,
    import_hours,
    parse_file,
    parse_month,
    template_csv,
    template_xlsx,
    validate_rows,
)
from portal.declaration_services import StaleDeclaration, declaration_for, save_hours
from tests.placements.factories import ParticipantFactory, PlacementFactory, declared_month

MARCH = date(2026, 3, 1)


@pytest.fixture
def company(employer):
    return employer.memberships.get().organisation


@pytest.fixture
def julie(company):
    """Julie Martin works for the company from 2 March to 31 August 2026."""
    return PlacementFactory(employer=company, participant=ParticipantFactory(first_name="Julie", last_name="Martin"))


@pytest.fixture
def omar(company, julie):
    return PlacementFactory(
        employer=company, lot=julie.lot, participant=ParticipantFactory(first_name="Omar", last_name="Benali")
    )


def row(placement, hours="", month="03/2026", **overrides):
    values = {
        "reference": str(placement.pk),
        "nom": placement.participant.last_name,
        "prenom": placement.participant.first_name,
        "lot": str(placement.lot),
        "mois": month,
        "heures": hours,
    }
    values.update(overrides)
    return values


def csv_bytes(rows, header=COLUMN_KEYS, delimiter=";", encoding="utf-8", bom=False):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(key, "") for key in header] if isinstance(values, dict) else values)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def csv_file(rows, name="heures.csv", **options):
    return SimpleUploadedFile(name, csv_bytes(rows, **options), content_type="text/csv")


def xlsx_file(rows, header=COLUMN_KEYS, name="heures.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for values in rows:
        sheet.append([values.get(key) for key in header] if isinstance(values, dict) else values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def current_hours(company, month=MARCH):
    return dict(
        DeclarationLine.objects.current()
        .filter(declaration__employer=company, declaration__month=month)
        .values_list("placement_id", "hours")
    )


def errors_of(result):
    return [(error.line, error.column, error.message) for error in result.errors]


# Valid files --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(";", "utf-8", False), (";", "utf-8", True), (",", "utf-8", True), (";", "cp1252", False), (",", "cp1252", False)],
)
def test_csv_saves_every_hour_whatever_the_separator_and_encoding(
    company, julie, omar, employer, delimiter, encoding, bom
):
    # cp1252 is what Excel writes for "CSV (séparateur: point-virgule)": accents must survive it.
    omar.participant.last_name = "Bénali-Çelik"
    omar.participant.save()
    file = csv_file([row(julie, "151,67"), row(omar, "35.5")], delimiter=delimiter, encoding=encoding, bom=bom)

    result = import_hours(file, company, MARCH, employer)

    assert result.ok, result.errors
    assert result.imported_count == 2
    assert result.row_count == 2
    assert current_hours(company) == {julie.pk: D("151.67"), omar.pk: D("35.5")}
    line = DeclarationLine.objects.get(placement=julie)
    assert line.status == DeclarationLine.Status.DRAFT
    assert line.created_by == employer
    declaration = MonthlyDeclaration.objects.get(employer=company, month=MARCH)
    assert declaration.revision == 1
    assert result.declaration == declaration


def test_xlsx_is_read_by_its_content_with_numbers_and_dates(company, julie, omar, employer):
    # Excel keeps hours as numbers and may turn 03/2026 into a date; the name says nothing.
    file = xlsx_file(
        [
            row(julie, hours=151.67, reference=julie.pk, mois=datetime(2026, 3, 1)),
            row(omar, hours=35 * 4.33, reference=float(omar.pk)),  # 151.54999999999998 in binary
        ],
        name="export",
    )

    result = import_hours(file, company, MARCH, employer)

    assert result.ok, result.errors
    assert current_hours(company) == {julie.pk: D("151.67"), omar.pk: D("151.55")}


def test_empty_hours_leave_the_saved_hours_as_they_are(company, julie, omar, employer):
    declaration = declaration_for(company, MARCH)
    save_hours(declaration, {julie.pk: D("20")}, employer, 0)

    result = import_hours(csv_file([row(julie, ""), row(omar, "12")]), company, MARCH, employer)

    assert result.ok, result.errors
    assert result.imported_count == 1
    assert current_hours(company) == {julie.pk: D("20"), omar.pk: D("12")}


def test_submitted_hours_changed_by_the_file_become_a_new_version(company, julie, employer):
    declared_month(julie, "100", month=MARCH, status="pending")

    result = import_hours(csv_file([row(julie, "110")]), company, MARCH, employer)

    assert result.ok, result.errors
    versions = DeclarationLine.objects.filter(placement=julie).order_by("version")
    assert [(line.version, line.hours, line.is_current) for line in versions] == [
        (1, D("100"), False),
        (2, D("110"), True),
    ]


def test_headers_and_names_are_compared_without_case_accents_or_hyphens(company, julie, employer):
    julie.participant.first_name = "Marie-Hélène"
    julie.participant.save()
    header = ["Référence", "NOM", "Prénom", "Mois", "Heures travaillées", "Commentaire"]
    values = [str(julie.pk), "MARTIN", "marie helene", "mars 2026", "35 h", "RAS"]

    result = import_hours(csv_file([values], header=header), company, MARCH, employer)

    assert result.ok, result.errors
    assert result.ignored_columns == ["Commentaire"]
    assert current_hours(company) == {julie.pk: D("35")}


@pytest.mark.parametrize(
    "text",
    [
        "03/2026",
        "3/2026",
        "01/03/2026",
        "2026-03",
        "2026-03-01",
        "2026-03-01 00:00:00",
        "mars 2026",
        "Mars-26",
        "mars. 2026",
        "mar-26",
    ],
)
def test_months_as_people_and_spreadsheets_write_them(text):
    assert parse_month(text) == MARCH


@pytest.mark.parametrize("text", ["", "13/2026", "mardi 2026", "2026", "03/26/2026", "bientôt"])
def test_unreadable_months(text):
    assert parse_month(text) is None


# One bad row: nothing saved ------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_saves_nothing_and_names_the_row(company, julie, omar, employer):
    third = PlacementFactory(employer=company, lot=julie.lot)
    rows = [row(julie, "35"), row(omar, "abc"), row(third, "20")]

    result = import_hours(csv_file(rows), company, MARCH, employer)

    assert not result.ok
    assert errors_of(result) == [
        (3, "heures", "« abc » n'est pas un nombre d'heures : indiquez par exemple 35 ou 35,5."),
    ]
    assert result.errors[0].value == "abc"
    assert result.errors[0].column_letter == "F"
    assert not DeclarationLine.objects.exists()
    # Not even an empty declaration is left behind.
    assert not MonthlyDeclaration.objects.exists()


def test_every_error_of_every_row_is_listed_in_order(company, julie, omar, employer):
    rows = [row(julie, "-2", mois="04/2026"), row(omar, "300")]

    result = import_hours(csv_file(rows), company, MARCH, employer)

    assert [(line, column) for line, column, _ in errors_of(result)] == [(2, "mois"), (2, "heures"), (3, "heures")]
    assert not DeclarationLine.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "column", "message"),
    [
        ({"heures": "trente"}, "heures", "« trente » n'est pas un nombre d'heures"),
        ({"heures": "-5"}, "heures", "Les heures ne peuvent pas être négatives."),
        ({"heures": "208,5"}, "heures", "Plus de 208 h dans un mois dépasse la durée maximale légale du travail."),
        ({"heures": "10,125"}, "heures", "au centième près"),
        ({"mois": "04/2026"}, "mois", "Ce fichier déclare avril 2026, mais cette page importe les heures de mars 2026"),
        ({"mois": ""}, "mois", "Mois vide : indiquez 03/2026 (mars 2026)"),
        ({"mois": "le mois dernier"}, "mois", "Mois illisible : indiquez-le au format MM/AAAA, ici 03/2026"),
        ({"reference": ""}, "reference", "Référence vide : recopiez celle de la personne depuis le modèle"),
        ({"reference": "Julie"}, "reference", "Référence illisible"),
        ({"reference": "987654"}, "reference", "Personne inconnue : la référence 987654 ne correspond à aucune"),
        ({"nom": "Durand", "prenom": "Paul"}, "nom", "correspond à Julie MARTIN, pas à Paul DURAND"),
        ({"prenom": "Julia"}, "prenom", "correspond à Julie MARTIN, pas à Julia MARTIN"),
        ({"nom": "", "prenom": ""}, "nom", "Nom et prénom vides : la référence"),
    ],
)
def test_each_error_gives_its_french_reason_line_and_column(company, julie, omar, employer, overrides, column, message):
    rows = [row(omar, "10"), row(julie, "35", **overrides)]

    result = import_hours(csv_file(rows), company, MARCH, employer)

    assert len(result.errors) == 1, result.errors
    error = result.errors[0]
    assert (error.line, error.column) == (3, column)
    assert message in error.message
    assert not DeclarationLine.objects.exists()


def test_the_reference_names_the_person_it_belongs_to(company, julie, employer):
    result = import_hours(csv_file([row(julie, "35", nom="Durand", prenom="Paul")]), company, MARCH, employer)

    assert result.errors[0].message == (
        f"La référence {julie.pk} correspond à Julie MARTIN, pas à Paul DURAND : vérifiez la référence ou le nom."
    )
    assert result.errors[0].value == "Paul DURAND"


def test_hours_outside_the_placement_dates_are_refused(company, julie, employer):
    ended = PlacementFactory(
        employer=company,
        lot=julie.lot,
        participant=ParticipantFactory(first_name="Léa", last_name="Roux"),
        start_date=date(2025, 10, 1),
        end_date=date(2026, 2, 27),
    )

    result = import_hours(csv_file([row(julie, "35"), row(ended, "20")]), company, MARCH, employer)

    assert errors_of(result) == [
        (
            3,
            "reference",
            f"La référence {ended.pk} (Léa ROUX) : la mise à l'emploi ne couvre pas mars 2026 "
            "(du 01/10/2025 au 27/02/2026). Retirez cette ligne.",
        )
    ]
    assert not DeclarationLine.objects.exists()


def test_own_placement_of_another_month_without_hours_is_refused_with_its_dates(company, julie, employer):
    later = PlacementFactory(employer=company, lot=julie.lot, start_date=date(2026, 5, 4), end_date=None)

    result = import_hours(csv_file([row(julie, "35"), row(later, "")]), company, MARCH, employer)

    assert len(result.errors) == 1
    assert result.errors[0].message.endswith("ne couvre pas mars 2026 (du 04/05/2026). Retirez cette ligne.")


def test_duplicate_rows_for_the_same_person_name_both_lines(company, julie, omar, employer):
    rows = [row(julie, "35"), row(omar, "10"), row(julie, "12")]

    result = import_hours(csv_file(rows), company, MARCH, employer)

    assert errors_of(result) == [
        (
            4,
            "reference",
            f"Personne en double : la référence {julie.pk} (Julie MARTIN) est déjà à la ligne 2. Gardez une seule "
            "ligne par personne, avec le total de ses heures du mois.",
        )
    ]
    assert not DeclarationLine.objects.exists()


def test_another_employers_placement_is_refused_without_revealing_anything(company, julie, employer):
    other = PlacementFactory(participant=ParticipantFactory(first_name="Secrète", last_name="Ailleurs"))
    missing = other.pk + 1000

    result = import_hours(
        csv_file([row(julie, "35"), row(other, "10"), row(other, "5", reference=str(missing), nom="X", prenom="Y")]),
        company,
        MARCH,
        employer,
    )

    assert [(error.line, error.column) for error in result.errors] == [(3, "reference"), (4, "reference")]
    foreign, unknown = (error.message for error in result.errors)
    # Exactly the words used for a reference that does not exist at all.
    assert foreign == unknown.replace(str(missing), str(other.pk))
    assert "secrète" not in foreign.lower()
    assert "ailleurs" not in foreign.lower()
    assert not DeclarationLine.objects.exists()


def test_a_file_without_any_hours_is_refused(company, julie, omar, employer):
    result = import_hours(csv_file([row(julie, ""), row(omar, "")]), company, MARCH, employer)

    assert errors_of(result) == [
        (None, "heures", "Aucune heure à importer : la colonne « heures » est vide sur toutes les lignes.")
    ]
    assert not MonthlyDeclaration.objects.exists()


def test_a_concurrent_save_saves_nothing_and_asks_to_send_again(company, julie, employer):
    with mock.patch.object(imports, "save_hours", side_effect=StaleDeclaration):
        result = import_hours(csv_file([row(julie, "35")]), company, MARCH, employer)

    assert not result.ok
    assert "pendant l'import. Rien n'a été enregistré" in result.errors[0].message
    assert not MonthlyDeclaration.objects.exists()


# The whole file ------------------------------------------------------------------------------------


def test_empty_file(db):
    with pytest.raises(ImportFileError, match="Le fichier est vide."):
        parse_file(SimpleUploadedFile("heures.csv", b" \r\n"))
    with pytest.raises(ImportFileError, match="Le fichier est vide."):
        parse_file(SimpleUploadedFile("heures.csv", b";;;\r\n;;\r\n"))


def test_header_without_rows(company, employer):
    result = import_hours(csv_file([]), company, MARCH, employer)

    assert errors_of(result) == [
        (None, "", "Le fichier ne contient aucune personne : seule la ligne d'en-tête est remplie.")
    ]


def test_missing_columns_are_listed_with_those_found(company, julie, employer):
    file = csv_file([[julie.pk, "35"]], header=["reference", "heures"])

    result = import_hours(file, company, MARCH, employer)

    assert len(result.errors) == 1
    message = result.errors[0].message
    assert message.startswith("Colonnes obligatoires absentes : nom, prenom, mois.")
    assert "(colonnes trouvées : « reference », « heures »)" in message


def test_duplicate_column_is_refused(db):
    with pytest.raises(ImportFileError, match="La colonne « heures » apparaît deux fois \\(colonnes E et F\\)"):
        parse_file(csv_file([], header=["reference", "nom", "prenom", "mois", "heures", "nombre d'heures"]))


def test_too_many_rows(company, julie, employer):
    rows = [row(julie, "1")] * (imports.MAX_ROWS + 1)

    result = import_hours(csv_file(rows), company, MARCH, employer)

    assert errors_of(result) == [
        (None, "", "Le fichier contient plus de 10\u00a0000 lignes : découpez-le en plusieurs fichiers.")
    ]


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("heures.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "Excel 97-2003 (.xls) ne sont pas lus"),
        ("heures.xlsx", b"reference;heures\n1;2\n", "n'est pas un classeur XLSX lisible"),
        ("heures.xlsx", b"PK\x03\x04 broken zip", "n'est pas un classeur XLSX lisible"),
        ("heures.csv", b"\x89PNG\r\n\x1a\n\x00\x00", "n'est pas un fichier texte CSV"),
        ("heures.pdf", b"%PDF-1.7", "Format non reconnu"),
    ],
)
def test_unreadable_files(db, name, data, message):
    with pytest.raises(ImportFileError, match=message.replace("(", "\\(").replace(")", "\\)")):
        parse_file(SimpleUploadedFile(name, data))


def test_empty_lines_are_skipped_and_line_numbers_kept(company, julie, omar, employer):
    data = csv_bytes([row(julie, "35"), {}, row(omar, "x")])

    result = import_hours(SimpleUploadedFile("heures.csv", data), company, MARCH, employer)

    assert errors_of(result)[0][0] == 4


def test_validation_queries_do_not_grow_with_the_number_of_rows(company, julie, employer):
    others = [PlacementFactory(employer=company, lot=julie.lot) for _ in range(199)]
    stranger = PlacementFactory()

    def queries(placements):
        rows = [row(placement, "10") for placement in placements]
        rows.append(row(stranger, "10"))  # one error: nothing is saved, every lookup is made
        with CaptureQueriesContext(connection) as context:
            result = import_hours(csv_file(rows), company, MARCH, employer)
        assert len(result.errors) == 1
        return len(context.captured_queries)

    few, many = queries([julie, *others[:4]]), queries([julie, *others])

    assert few == many
    assert many <= 4


def test_validating_the_largest_file_is_quick(company, julie, employer):
    """10,000 rows of people unknown to the employer: every row is looked up and refused."""
    rows = [row(julie, "10", reference=str(1_000_000 + number)) for number in range(imports.MAX_ROWS)]
    parsed = parse_file(csv_file(rows))

    started = time.perf_counter()
    checked = validate_rows(parsed, company, MARCH)
    elapsed = time.perf_counter() - started

    assert len(checked.errors) == imports.MAX_ROWS
    assert elapsed < 5


# Template ------------------------------------------------------------------------------------------


def read_csv_template(data):
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_template_lists_the_people_of_the_month_with_saved_hours(company, julie, omar, employer):
    declared_month(julie, "151.5", month=MARCH, status="draft")
    PlacementFactory(employer=company, start_date=date(2026, 4, 1))  # not yet in March
    PlacementFactory()  # another employer's

    table = read_csv_template(template_csv(company, MARCH))

    assert table[0] == ["reference", "nom", "prenom", "lot", "mois", "heures"]
    by_reference = {line[0]: line for line in table[1:]}
    assert set(by_reference) == {str(julie.pk), str(omar.pk)}
    operation = julie.lot.contract.operation.title
    assert by_reference[str(julie.pk)] == [
        str(julie.pk),
        "Martin",
        "Julie",
        f"Lot {julie.lot.number} — {julie.lot.title} ({operation})",
        "03/2026",
        "151,5",
    ]
    assert by_reference[str(omar.pk)][-1] == ""


def test_csv_template_never_writes_a_formula(company, julie, employer):
    julie.participant.last_name = '=HYPERLINK("http://x")'
    julie.participant.save()

    table = read_csv_template(template_csv(company, MARCH))

    assert table[1][1] == '\'=HYPERLINK("http://x")'


def test_xlsx_template_has_notes_on_fixed_columns_a_check_on_hours_and_help(company, julie, omar, employer):
    declared_month(omar, "35", month=MARCH, status="validated")

    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(company, MARCH)))

    assert workbook.sheetnames == ["Heures", "Aide"]
    sheet = workbook["Heures"]
    assert [cell.value for cell in sheet[1]] == COLUMN_KEYS
    for cell in sheet[1][:5]:
        assert cell.comment.text.startswith("Ne modifiez pas cette colonne.")
    assert sheet["F1"].comment.text.startswith("À remplir.")
    rows = {line[0]: line for line in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows[omar.pk][1:3] == ("Benali", "Omar")
    assert rows[omar.pk][4:] == ("03/2026", 35)
    assert rows[julie.pk][5] is None
    validation = sheet.data_validations.dataValidation[0]
    assert (validation.type, validation.formula1, validation.formula2) == ("decimal", "0", "208")
    help_text = " ".join(str(cell.value) for line in workbook["Aide"].iter_rows() for cell in line if cell.value)
    assert f"Heures de mars 2026 — {company.name}" in help_text
    assert "ne les modifiez pas" in help_text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_template_filled_then_imported_round_trip(company, julie, omar, employer, fmt):
    declared_month(omar, "35", month=MARCH, status="pending")
    if fmt == "csv":
        table = read_csv_template(template_csv(company, MARCH))
        for line in table[1:]:
            if line[0] == str(julie.pk):
                line[5] = "120,25"
        buffer = io.StringIO(newline="")
        csv.writer(buffer, delimiter=";").writerows(table)
        file = SimpleUploadedFile("heures.csv", "\ufeff".encode() + buffer.getvalue().encode())
    else:
        workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx(company, MARCH)))
        sheet = workbook["Heures"]
        for cells in sheet.iter_rows(min_row=2):
            if cells[0].value == julie.pk:
                cells[5].value = 120.25
        buffer = io.BytesIO()
        workbook.save(buffer)
        file = SimpleUploadedFile("heures.xlsx", buffer.getvalue())

    result = import_hours(file, company, MARCH, employer)

    assert result.ok, result.errors
    assert result.imported_count == 2
    assert current_hours(company) == {julie.pk: D("120.25"), omar.pk: D("35")}
    # Omar's hours, already sent, came back unchanged: no new version.
    assert DeclarationLine.objects.filter(placement=omar).count() == 1


def test_month_names_are_elided_as_french_writes_them(company, julie, employer):
    result = import_hours(csv_file([row(julie, "35", mois="03/2026")]), company, date(2026, 4, 1), employer)

    assert result.errors[0].message == (
        "Ce fichier déclare mars 2026, mais cette page importe les heures d'avril 2026 : importez-le depuis "
        "la page de mars 2026, ou corrigez le mois (04/2026)."
    )
