"""The template of the organisations import (``imports``): two example lines, as CSV or XLSX."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .identifiers import build_siren, build_siret
from .import_columns import COLUMN_KEYS, COLUMNS, MAX_ROWS, SizeBand, StructureKind

# Template ----------------------------------------------------------------------------------------


def template_rows():
    """Two example lines that import cleanly: a company and an inclusion structure of Ain."""
    company_siret = build_siret(build_siren("98765430"), "0001")
    structure_siret = build_siret(build_siren("87654320"), "0001")
    company = {
        "type": "entreprise",
        "nom": "Exemple Bâtiment Bressan",
        "siret": company_siret,
        "commune": "01053",
        "adresse": "12 avenue Alsace-Lorraine",
        "code_naf": "4120A",
        "tranche_effectif": "10-49",
        "email": "contact@batiment-bressan.example",
        "telephone": "04 74 00 00 01",
    }
    structure = {
        "type": "structure",
        "nom": "Exemple Chantier d'insertion du Bugey",
        "siret": structure_siret,
        "commune": "01004",
        "adresse": "3 rue de la Gare",
        "code_naf": "8899B",
        "tranche_effectif": "10-49",
        "type_structure": "ACI",
        "mise_a_disposition": "non",
        "sous_traitance": "oui",
        "epci_desservis": "240100883 200071751",
        "email": "accueil@chantier-bugey.example",
        "telephone": "04 74 00 00 02",
        "notes": "Chantiers espaces verts et second œuvre.",
    }
    return [[row.get(key, "") for key in COLUMN_KEYS] for row in (company, structure)]


def template_csv():
    """The template as CSV: semicolons and a UTF-8 byte order mark, as French Excel expects."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_KEYS)
    writer.writerows(template_rows())
    return "\ufeff".encode() + buffer.getvalue().encode("utf-8")


def template_xlsx():
    """The template as an XLSX workbook: text columns, drop-down lists, and a help sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Organisations"
    sheet.append(COLUMN_KEYS)
    for row in template_rows():
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    widths = {"nom": 38, "adresse": 30, "epci_desservis": 24, "email": 32, "notes": 40}
    for index, key in enumerate(COLUMN_KEYS, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = widths.get(key, max(14, len(key) + 4))
        # Text cells keep the leading zeros of codes INSEE and SIRET, and "1-9" is not turned into a date.
        dimension.number_format = "@"
    last_row = MAX_ROWS + 1
    choices = {
        "type": ["entreprise", "structure"],
        "tranche_effectif": list(SizeBand.values),
        "type_structure": list(StructureKind.values),
        "mise_a_disposition": ["oui", "non"],
        "sous_traitance": ["oui", "non"],
    }
    for key, values in choices.items():
        letter = get_column_letter(COLUMN_KEYS.index(key) + 1)
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(values) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Valeur non prévue",
            error="Choisissez une valeur de la liste : " + ", ".join(values),
        )
        validation.add(f"{letter}2:{letter}{last_row}")
        sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet("Aide")
    help_sheet.append(["colonne", "obligatoire", "contenu attendu"])
    for cell in help_sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        help_sheet.append([column.key, "oui" if column.required else "non", column.description])
    help_sheet.append([])
    help_sheet.append(["Seule la première feuille est importée. L'en-tête doit rester sur la ligne 1."])
    help_sheet.column_dimensions["A"].width = 22
    help_sheet.column_dimensions["B"].width = 12
    help_sheet.column_dimensions["C"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
