"""The hours import template: the month's people pre-filled, as CSV or XLSX."""

import csv
import io
from decimal import Decimal

from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common.dates import month_label, of_month
from common.tabular import quote_formula, xlsx_text
from placements import declaration_rules as rules
from placements.models import DeclarationLine

from .declaration_import_reading import COLUMN_KEYS, COLUMNS, MAX_ROWS, SHEET_TITLE, month_code
from .declaration_services import (
    declarable_placements,
    monthly_maximum,
)


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
