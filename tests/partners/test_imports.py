"""Import of companies and inclusion structures: reading CSV and XLSX files, validation, creation."""

import csv
import io
from unittest import mock

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from partners import imports
from partners.identifiers import build_siren, build_siret
from partners.imports import COLUMN_KEYS, ImportFileError, import_organisations, parse_file, validate_rows
from partners.models import Epci, Organisation
from tests.partners.factories import OrganisationFactory

Kind = Organisation.Kind

PLAINE_DE_L_AIN = "240100883"
BASSIN_DE_BOURG = "200071751"


def siret(number):
    """A valid SIRET, different for each number."""
    return build_siret(build_siren(f"{50000000 + number:08d}"), "0001")


def company(number=1, **overrides):
    row = {
        "type": "entreprise",
        "nom": f"Entreprise {number}",
        "siret": siret(number),
        "commune": "01053",
        "adresse": f"{number} rue de la République",
        "code_naf": "4120A",
        "tranche_effectif": "10-49",
        "email": f"contact{number}@entreprise.example",
        "telephone": "04 74 00 00 00",
    }
    row.update(overrides)
    return row


def structure(number=2, **overrides):
    row = {
        "type": "structure",
        "nom": f"Structure {number}",
        "siret": siret(number),
        "commune": "01004",
        "type_structure": "ACI",
        "mise_a_disposition": "oui",
        "sous_traitance": "non",
        "epci_desservis": f"{PLAINE_DE_L_AIN} {BASSIN_DE_BOURG}",
    }
    row.update(overrides)
    return row


def csv_bytes(rows, header=COLUMN_KEYS, delimiter=";", encoding="utf-8", bom=False):
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(key, "") for key in COLUMN_KEYS] if isinstance(row, dict) else row)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def csv_file(rows, name="organisations.csv", **options):
    return SimpleUploadedFile(name, csv_bytes(rows, **options), content_type="text/csv")


def xlsx_file(rows, header=COLUMN_KEYS, name="organisations.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append([row.get(key, "") or None for key in header] if isinstance(row, dict) else row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def imported():
    return Organisation.objects.filter(kind__in=[Kind.COMPANY, Kind.INCLUSION_STRUCTURE])


# Valid files --------------------------------------------------------------------------------------


def test_csv_creates_companies_and_structures_with_every_field(db):
    federation = OrganisationFactory(kind=Kind.FEDERATION, name="Fédération du BTP de l'Ain")
    rows = [
        company(1, federation="federation du btp de l'ain", notes="Rencontrée au forum", code_naf="41.20a"),
        structure(2, tranche_effectif="1-9", email="accueil@aci.example", adresse="3 rue de la Gare"),
    ]

    result = import_organisations(csv_file(rows))

    assert result.ok, result.errors
    assert len(result.created) == 2
    first = Organisation.objects.get(siret=siret(1))
    assert first.kind == Kind.COMPANY
    assert first.name == "Entreprise 1"
    assert first.siren == siret(1)[:9]
    assert first.commune.insee_code == "01053"
    assert first.address == "1 rue de la République"
    assert first.naf_code == "4120A"
    assert first.size_band == Organisation.SizeBand.SMALL
    assert first.federation == federation
    assert first.email == "contact1@entreprise.example"
    assert first.phone == "04 74 00 00 00"
    assert first.notes == "Rencontrée au forum"
    assert first.structure_kind == ""
    assert not first.provides_staff and not first.subcontracts
    assert "bourg-en-bresse" in first.search_text

    second = Organisation.objects.get(siret=siret(2))
    assert second.kind == Kind.INCLUSION_STRUCTURE
    assert second.structure_kind == Organisation.StructureKind.ACI
    assert second.commune.name == "Ambérieu-en-Bugey"
    assert second.provides_staff is True
    assert second.subcontracts is False
    assert second.size_band == "1-9"
    assert sorted(second.served_epcis.values_list("siren", flat=True)) == sorted([PLAINE_DE_L_AIN, BASSIN_DE_BOURG])


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom"),
    [(";", "utf-8", False), (",", "utf-8", False), (";", "utf-8", True), (",", "utf-8", True), (";", "cp1252", False)],
)
def test_csv_separators_and_encodings(db, delimiter, encoding, bom):
    rows = [company(1, nom="Électricité Bâtir Œuvre", commune="Saint-Denis-lès-Bourg"), structure(2)]

    result = import_organisations(csv_file(rows, delimiter=delimiter, encoding=encoding, bom=bom))

    assert result.ok, result.errors
    assert sorted(imported().values_list("name", flat=True)) == ["Structure 2", "Électricité Bâtir Œuvre"]
    assert Organisation.objects.get(siret=siret(1)).commune.name == "Saint-Denis-lès-Bourg"


def test_xlsx_creates_rows_and_restores_zeros_lost_by_numbers(db):
    # A spreadsheet turns 01053 into the number 1053 and a SIRET into a large integer.
    numeric_company = company(1)
    numeric_company["commune"] = 1053
    numeric_company["siret"] = int(siret(1))
    rows = [numeric_company, structure(2, mise_a_disposition=True)]

    result = import_organisations(xlsx_file(rows))

    assert result.ok, result.errors
    first = Organisation.objects.get(siret=siret(1))
    assert first.commune.insee_code == "01053"
    assert Organisation.objects.get(siret=siret(2)).provides_staff is True


def test_xlsx_reads_only_the_first_sheet(db):
    upload = xlsx_file([company(1)])
    workbook = openpyxl.load_workbook(io.BytesIO(upload.read()))
    workbook.create_sheet("Autre").append(["rien", "à", "voir"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    rows = parse_file(SimpleUploadedFile("deux-feuilles.xlsx", buffer.getvalue()))

    assert [row["nom"] for row in rows] == ["Entreprise 1"]


def test_headers_match_whatever_the_case_accents_and_spelling(db):
    header = ["Type", "NOM", "Siret", "Commune", "Tranche d'effectif", "E-mail", "Téléphone", "Type de structure"]
    data = csv_bytes(
        [["Entreprise", "Bâtir", siret(1), "01053", "1-9", "a@b.example", "0474000000", ""]], header=header
    )

    rows = parse_file(SimpleUploadedFile("entete.csv", data))

    assert rows[0]["type"] == "Entreprise"
    assert rows[0]["tranche_effectif"] == "1-9"
    assert rows[0]["email"] == "a@b.example"
    assert rows[0]["telephone"] == "0474000000"
    assert rows.ignored_columns == []


def test_unknown_columns_are_ignored_and_reported(db):
    data = csv_bytes([["entreprise", "Bâtir", siret(1), "01053", "rouge"]], header=[*COLUMN_KEYS[:4], "couleur"])

    rows = parse_file(SimpleUploadedFile("extra.csv", data))

    assert rows.ignored_columns == ["couleur"]
    assert "couleur" not in rows[0]


def test_values_are_stripped_and_empty_lines_ignored_keeping_line_numbers(db):
    text = (
        ";".join(COLUMN_KEYS[:4])
        + "\n  entreprise ; Bâtir \u00a0;"
        + siret(1)
        + "; 01053 \n;;;\n\nstructure;Atelier;123;01053\n"
    )

    rows = parse_file(SimpleUploadedFile("vides.csv", text.encode()))

    assert [row["line"] for row in rows] == [2, 5]
    assert rows[0]["nom"] == "Bâtir"
    assert rows[0]["commune"] == "01053"
    _, errors = validate_rows(rows)
    assert {(error.line, error.column) for error in errors} == {(5, "siret"), (5, "type_structure")}


def test_formulas_are_kept_as_text_not_neutralised(db):
    result = import_organisations(csv_file([company(1, nom="=Bâtir+1")]))

    assert result.ok, result.errors
    assert Organisation.objects.get(siret=siret(1)).name == "=Bâtir+1"


def test_siret_with_spaces_and_non_breaking_spaces_is_accepted(db):
    value = siret(1)
    spaced = f"{value[:3]} {value[3:6]}\u00a0{value[6:9]} {value[9:]}"

    result = import_organisations(csv_file([company(1, siret=spaced)]))

    assert result.ok, result.errors
    assert Organisation.objects.get(name="Entreprise 1").siret == value


@pytest.mark.parametrize("commune", ["01053", "1053", "Bourg-en-Bresse", "bourg en bresse", "Bourg-en-Bresse (01053)"])
def test_commune_by_code_insee_or_exact_name(db, commune):
    result = import_organisations(csv_file([company(1, commune=commune)]))

    assert result.ok, result.errors
    assert Organisation.objects.get(siret=siret(1)).commune.insee_code == "01053"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("oui", True), ("OUI", True), ("Vrai", True), ("x", True), ("non", False), ("", False), ("Non", False)],
)
def test_yes_no_values(db, raw, expected):
    result = import_organisations(csv_file([structure(2, mise_a_disposition=raw, sous_traitance=raw)]))

    assert result.ok, result.errors
    created = Organisation.objects.get(siret=siret(2))
    assert created.provides_staff is expected
    assert created.subcontracts is expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-9", "1-9"),
        ("1 à 9 salariés", "1-9"),
        ("de 1 à 9", "1-9"),
        ("entre 10 et 49 salariés", "10-49"),
        ("250 à 4 999", "250-4999"),
        ("5 000 salariés et plus", "5000+"),
        ("0 salarié", "0"),
    ],
)
def test_size_band_codes_and_labels(db, raw, expected):
    result = import_organisations(csv_file([company(1, tranche_effectif=raw)]))

    assert result.ok, result.errors
    assert Organisation.objects.get(siret=siret(1)).size_band == expected


def test_served_epcis_separated_by_commas(db):
    result = import_organisations(csv_file([structure(2, epci_desservis=f"{PLAINE_DE_L_AIN}, {BASSIN_DE_BOURG}")]))

    assert result.ok, result.errors
    assert set(Organisation.objects.get(siret=siret(2)).served_epcis.all()) == set(
        Epci.objects.filter(siren__in=[PLAINE_DE_L_AIN, BASSIN_DE_BOURG])
    )


# Errors ----------------------------------------------------------------------------------------


def test_one_bad_row_among_good_ones_saves_nothing(db):
    rows = [company(1), company(2), company(3, siret="123"), structure(4)]

    result = import_organisations(csv_file(rows))

    assert not result.ok
    assert result.created == []
    assert imported().count() == 0
    assert [(error.line, error.column, error.message) for error in result.errors] == [
        (4, "siret", "SIRET invalide : 14 chiffres attendus (3 saisis).")
    ]
    assert result.errors[0].value == "123"
    assert result.errors[0].column_letter == "C"


CHECKSUM_ERROR = siret(1)[:-1] + str((int(siret(1)[-1]) + 1) % 10)

ROW_ERRORS = [
    ({"type": ""}, "type", "Type obligatoire : la case est vide."),
    ({"nom": ""}, "nom", "Nom obligatoire : la case est vide."),
    ({"siret": ""}, "siret", "SIRET obligatoire : la case est vide."),
    ({"commune": ""}, "commune", "Commune obligatoire : la case est vide."),
    ({"siret": "123 456"}, "siret", "SIRET invalide : 14 chiffres attendus (6 saisis)."),
    ({"siret": "1234567890123A"}, "siret", "SIRET invalide : 14 chiffres attendus, sans lettres"),
    ({"siret": CHECKSUM_ERROR}, "siret", "SIRET invalide : la clé de contrôle ne correspond pas"),
    ({"commune": "Trucville"}, "commune", "Commune inconnue « Trucville »"),
    ({"commune": "01999"}, "commune", "aucune commune de l'Ain n'a le code INSEE « 01999 »"),
    ({"commune": "01500"}, "commune", "01500 est un code postal"),
    ({"type": "association"}, "type", "Type inconnu « association » : « entreprise » ou « structure » attendu."),
    ({"tranche_effectif": "12"}, "tranche_effectif", "Tranche d'effectif inconnue « 12 »"),
    ({"type_structure": "ACI"}, "type_structure", "Le type de structure ne concerne que les structures"),
    ({"mise_a_disposition": "oui"}, "mise_a_disposition", "Ne concerne que les structures"),
    ({"epci_desservis": BASSIN_DE_BOURG}, "epci_desservis", "Les EPCI desservis ne concernent que les structures"),
    ({"federation": "Fédération inconnue"}, "federation", "Fédération inconnue « Fédération inconnue »"),
    ({"email": "contact@"}, "email", "Adresse e-mail invalide « contact@ »"),
    ({"code_naf": "41"}, "code_naf", "Code NAF invalide : 4 chiffres et une lettre attendus (ex. 4120A)."),
    ({"nom": "N" * 201}, "nom", "Nom trop long : 200 caractères au maximum (201 saisis)."),
]


@pytest.mark.parametrize(("overrides", "column", "message"), ROW_ERRORS)
def test_each_company_error_gives_its_french_reason_and_line(db, overrides, column, message):
    result = import_organisations(csv_file([company(1), company(3, **overrides)]))

    assert [(error.line, error.column) for error in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert imported().count() == 0


STRUCTURE_ERRORS = [
    ({"type_structure": ""}, "type_structure", "Type de structure obligatoire pour une structure : ACI, AI, EI"),
    ({"type_structure": "SCOP"}, "type_structure", "Type de structure inconnu « SCOP »"),
    ({"epci_desservis": f"{BASSIN_DE_BOURG} 123456789"}, "epci_desservis", "EPCI inconnu : 123456789."),
    ({"sous_traitance": "peut-être"}, "sous_traitance", "Valeur non comprise « peut-être » : « oui » ou « non »"),
]


@pytest.mark.parametrize(("overrides", "column", "message"), STRUCTURE_ERRORS)
def test_each_structure_error_gives_its_french_reason_and_line(db, overrides, column, message):
    result = import_organisations(csv_file([structure(2), company(1), structure(4, **overrides)]))

    assert [(error.line, error.column) for error in result.errors] == [(4, column)]
    assert message in result.errors[0].message
    assert imported().count() == 0


def test_every_error_of_every_row_is_collected(db):
    rows = [company(1, siret="1", email="x"), structure(2, type_structure="", commune="Nulle-part"), company(3)]

    result = import_organisations(csv_file(rows))

    assert [(error.line, error.column) for error in result.errors] == [
        (2, "siret"),
        (2, "email"),
        (3, "commune"),
        (3, "type_structure"),
    ]


def test_structure_kind_missing_from_the_file_is_said_absent(db):
    header = COLUMN_KEYS[:4]
    data = csv_bytes([["structure", "Atelier", siret(2), "01004"]], header=header)

    result = import_organisations(SimpleUploadedFile("sans-type.csv", data))

    assert [(error.line, error.column, error.column_letter) for error in result.errors] == [
        (2, "type_structure", "absente")
    ]


def test_duplicate_siret_within_the_file_names_both_lines(db):
    rows = [company(1), company(2), company(3, siret=siret(1))]

    result = import_organisations(csv_file(rows))

    assert [(error.line, error.column, error.message) for error in result.errors] == [
        (4, "siret", "SIRET présent deux fois dans le fichier : lignes 2 et 4.")
    ]


def test_siret_already_in_the_directory_names_the_organisation(db):
    existing = OrganisationFactory(name="Bâtir Bresse Construction", with_siret=True)

    result = import_organisations(csv_file([company(1), company(2, siret=f" {existing.siret} ")]))

    assert [(error.line, error.column, error.message) for error in result.errors] == [
        (3, "siret", "SIRET déjà dans l'annuaire : « Bâtir Bresse Construction » (entreprise).")
    ]
    assert imported().count() == 1  # only the existing one


def test_federation_homonyms_are_refused(db):
    OrganisationFactory(kind=Kind.FEDERATION, name="FFB Ain")
    OrganisationFactory(kind=Kind.FEDERATION, name="FFB  AIN")

    result = import_organisations(csv_file([company(1, federation="ffb ain")]))

    assert [error.column for error in result.errors] == ["federation"]
    assert "Plusieurs fédérations" in result.errors[0].message


def test_a_creation_failure_rolls_back_every_row(db):
    # A SIRET added by someone else between validation and creation: the unique constraint stops it.
    OrganisationFactory(name="Arrivée entre-temps", siret=siret(3), siren=siret(3)[:9])
    original_load = imports._References.load
    blind = mock.patch.object(imports._References, "load", side_effect=lambda sirets: original_load([]))
    with blind:
        result = import_organisations(csv_file([company(1), company(2), company(3)]))

    assert result.created == []
    assert "relancez l'import" in result.errors[0].message
    assert set(imported().values_list("name", flat=True)) == {"Arrivée entre-temps"}


# Unreadable files ---------------------------------------------------------------------------------


def file_error(upload):
    with pytest.raises(ImportFileError) as excinfo:
        parse_file(upload)
    return str(excinfo.value)


def test_empty_file(db):
    assert file_error(SimpleUploadedFile("vide.csv", b"")) == "Le fichier est vide."
    assert file_error(SimpleUploadedFile("blanc.csv", b"\n \n")) == "Le fichier est vide."


def test_header_without_rows(db):
    message = file_error(SimpleUploadedFile("entete.csv", csv_bytes([])))

    assert message.startswith("Le fichier ne contient aucune organisation")


def test_missing_columns_are_listed(db):
    data = csv_bytes([["entreprise", "Bâtir"]], header=["type", "nom", "ville"])

    message = file_error(SimpleUploadedFile("colonnes.csv", data))

    assert message.startswith("Colonnes obligatoires absentes : siret, commune.")
    assert "« ville »" in message


def test_duplicate_column_is_refused(db):
    data = csv_bytes([], header=["type", "nom", "siret", "commune", "SIRET"])

    assert file_error(SimpleUploadedFile("double.csv", data)) == (
        "La colonne « siret » apparaît deux fois (colonnes C et E)."
    )


def test_not_a_csv_nor_an_xlsx(db):
    assert file_error(SimpleUploadedFile("note.pdf", b"%PDF-1.7 ...")) == (
        "Format non reconnu : envoyez un fichier CSV ou XLSX."
    )
    assert "n'est pas un classeur XLSX lisible" in file_error(SimpleUploadedFile("faux.xlsx", b"bonjour"))
    assert "n'est pas un classeur XLSX lisible" in file_error(
        SimpleUploadedFile("abime.xlsx", b"PK\x03\x04 pas vraiment un zip")
    )
    assert "(.xls) ne sont pas lus" in file_error(
        SimpleUploadedFile("ancien.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    )
    assert "n'est pas un fichier texte CSV" in file_error(SimpleUploadedFile("binaire.csv", b"a\x00b\x00c"))


def test_too_many_rows(db):
    header = ";".join(COLUMN_KEYS[:4])
    line = f"entreprise;Bâtir;{siret(1)};01053"
    at_limit = "\n".join([header] + [line] * imports.MAX_ROWS).encode()
    over_limit = "\n".join([header] + [line] * (imports.MAX_ROWS + 1)).encode()

    assert len(parse_file(SimpleUploadedFile("limite.csv", at_limit))) == 5000
    assert file_error(SimpleUploadedFile("trop.csv", over_limit)) == (
        "Le fichier contient plus de 5\u00a0000 lignes d'organisations : découpez-le en plusieurs fichiers."
    )


def test_import_reports_file_errors_without_line(db):
    result = import_organisations(SimpleUploadedFile("vide.csv", b""))

    assert not result.ok
    assert [(error.line, error.message) for error in result.errors] == [(None, "Le fichier est vide.")]


# Bounded queries -------------------------------------------------------------------------------


def queries_of_validation(count):
    rows = parse_file(csv_file([company(number, federation="FFB Ain") for number in range(count)]))
    with CaptureQueriesContext(connection) as context:
        valid, errors = validate_rows(rows)
    assert len(valid) == count and errors == []
    return len(context.captured_queries)


def test_validation_queries_do_not_grow_with_the_number_of_rows(db):
    OrganisationFactory(kind=Kind.FEDERATION, name="FFB Ain")

    assert queries_of_validation(5) == queries_of_validation(50) <= 4


# Template -----------------------------------------------------------------------------------------


def test_template_csv_is_excel_friendly_and_imports_cleanly(db):
    content = imports.template_csv()

    assert content.startswith(b"\xef\xbb\xbf")
    lines = content.decode("utf-8-sig").splitlines()
    assert lines[0] == ";".join(COLUMN_KEYS)
    assert len(lines) == 3
    result = import_organisations(SimpleUploadedFile("modele.csv", content))
    assert result.ok, result.errors
    assert sorted(organisation.kind for organisation in result.created) == [Kind.COMPANY, Kind.INCLUSION_STRUCTURE]


def test_template_xlsx_imports_cleanly(db):
    content = imports.template_xlsx()

    workbook = openpyxl.load_workbook(io.BytesIO(content))
    assert workbook.sheetnames == ["Organisations", "Aide"]
    assert [cell.value for cell in workbook["Organisations"][1]] == COLUMN_KEYS
    result = import_organisations(SimpleUploadedFile("modele.xlsx", content))
    assert result.ok, result.errors
    structure_created = Organisation.objects.get(kind=Kind.INCLUSION_STRUCTURE)
    assert structure_created.structure_kind == "ACI"
    assert structure_created.served_epcis.count() == 2
