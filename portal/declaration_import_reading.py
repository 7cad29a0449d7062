"""Reading of the hours import file: its columns, the file's rows, the months as people write them."""

import datetime
import re
from dataclasses import dataclass

from common import tabular
from common.tabular import TableFormat
from common.text import search_key

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
