"""The CSV and XLSX reader shared by the imports, tried directly on a small format of its own."""

import datetime
import io
from dataclasses import replace

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.tabular import (
    LINE,
    Column,
    ImportFileError,
    TableFormat,
    parse_file,
    quote_formula,
    unquote_formula,
)

FORMAT = TableFormat(
    columns=(
        Column("code", True, "Code à 5 chiffres.", aliases=("code_insee",)),
        Column("nom", True, "Nom.", aliases=("libelle",)),
        Column("note", False, "Remarque.", aliases=("remarque",)),
    ),
    max_rows=3,
    too_many_rows="Le fichier contient plus de {max_rows} lignes d'essai : découpez-le.",
    no_rows="Le fichier ne contient aucune ligne d'essai.",
    numeric_widths={"code": 5},
)


def read(data, name="essai.csv", table_format=FORMAT):
    return parse_file(SimpleUploadedFile(name, data), table_format)


def error(data, name="essai.csv", table_format=FORMAT):
    with pytest.raises(ImportFileError) as excinfo:
        read(data, name, table_format)
    return str(excinfo.value)


def xlsx_bytes(rows, title="Feuille"):
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_with_semicolons_or_commas(delimiter):
    data = delimiter.join(["Code INSEE", "Libellé", "autre"]) + "\n" + delimiter.join([" 01053 ", "Bourg", "x"])

    rows = read(data.encode())

    assert rows == [{LINE: 2, "code": "01053", "nom": "Bourg", "note": ""}]
    assert rows.column_letters == {"code": "A", "nom": "B"}
    assert rows.ignored_columns == ["autre"]


def test_utf8_with_byte_order_mark_and_cp1252():
    text = "code;nom\n01004;Ambérieu-en-Bugey\n"

    assert read("\ufeff".encode() + text.encode())[0]["nom"] == "Ambérieu-en-Bugey"
    assert read(text.encode("cp1252"))[0]["nom"] == "Ambérieu-en-Bugey"
    assert read(text.encode("utf-16"))[0]["code"] == "01004"


def test_xlsx_is_told_by_its_content_and_restores_leading_zeros():
    data = xlsx_bytes([["code", "nom", "note"], [1053, "Bourg", datetime.datetime(2026, 3, 2, 14, 30)], [1004, True]])

    rows = read(data, name="envoi.csv")

    assert rows == [
        {LINE: 2, "code": "01053", "nom": "Bourg", "note": "02/03/2026 14:30"},
        {LINE: 3, "code": "01004", "nom": "oui", "note": ""},
    ]


def test_xlsx_options_of_the_format():
    hours = TableFormat(
        columns=FORMAT.columns,
        max_rows=10,
        too_many_rows="{max_rows}",
        no_rows="vide",
        sheet_title="Heures",
        float_digits=6,
        with_time=False,
    )
    workbook = openpyxl.Workbook()
    workbook.active.append(["code", "nom"])
    workbook.active.append(["autre feuille", "x"])
    sheet = workbook.create_sheet("Heures")
    sheet.append(["code", "nom", "note"])
    sheet.append([151.54999999999998, "Bourg", datetime.datetime(2026, 3, 2, 14, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    assert read(buffer.getvalue(), table_format=hours) == [
        {LINE: 2, "code": "151.55", "nom": "Bourg", "note": "02/03/2026"}
    ]


def test_missing_columns_message():
    assert error(b"libelle;ville\nBourg;x\n") == (
        "Colonne obligatoire absente : code. La première ligne du fichier doit porter les noms des colonnes "
        "du modèle (colonnes trouvées : « libelle », « ville »)."
    )
    assert error(b"ville\nx\n").startswith("Colonnes obligatoires absentes : code, nom.")
    always_plural = replace(FORMAT, missing_always_plural=True)
    assert error(b"libelle\nx\n", table_format=always_plural).startswith("Colonnes obligatoires absentes : code.")


def test_too_many_rows():
    header = "code;nom\n"

    assert len(read((header + "1;a\n" * 3).encode())) == 3
    assert error((header + "1;a\n" * 4).encode()) == "Le fichier contient plus de 3 lignes d'essai : découpez-le."


def test_empty_lines_are_skipped_and_keep_line_numbers():
    rows = read(b"\n;\ncode;nom\n\n01053;Bourg\n;;\n01004;Amb\n")

    assert [row[LINE] for row in rows] == [5, 7]


def test_files_that_cannot_be_used():
    assert error(b"") == "Le fichier est vide."
    assert error(b"code;nom\n\n") == "Le fichier ne contient aucune ligne d'essai."
    assert error(b"code;nom;CODE\n") == "La colonne « code » apparaît deux fois (colonnes A et C)."
    assert error(b"%PDF", name="note.pdf") == "Format non reconnu : envoyez un fichier CSV ou XLSX."


def test_formula_quotes():
    assert quote_formula("=SOMME(A1)") == "'=SOMME(A1)"
    assert quote_formula("Martin") == "Martin"
    assert unquote_formula("'=SOMME(A1)") == "=SOMME(A1)"
    assert unquote_formula("'Martin") == "'Martin"
    quoted = replace(FORMAT, unquote_formulas=True)

    assert read(b"code;nom\n1;'=A1\n", table_format=quoted)[0]["nom"] == "=A1"
    assert read(b"code;nom\n1;'=A1\n")[0]["nom"] == "'=A1"
