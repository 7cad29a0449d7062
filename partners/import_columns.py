"""The columns of the organisations import file (``imports``), the table format and its reading."""

from dataclasses import dataclass

from common import tabular
from common.tabular import TableFormat

from .models import Organisation

MAX_ROWS = 5000
MAX_FILE_SIZE = 5 * 1024 * 1024

Kind = Organisation.Kind
StructureKind = Organisation.StructureKind
SizeBand = Organisation.SizeBand


@dataclass(frozen=True)
class Column(tabular.Column):
    example: str = ""


STRUCTURE_KINDS_TEXT = ", ".join(StructureKind.values)
SIZE_BANDS_TEXT = ", ".join(SizeBand.values)

COLUMNS = [
    Column(
        "type",
        True,
        "« entreprise » ou « structure » (structure d'insertion ou du handicap).",
        aliases=("type_d_organisation", "type_organisation"),
    ),
    Column("nom", True, "Nom de l'organisation (200 caractères au maximum).", aliases=("raison_sociale",)),
    Column(
        "siret",
        True,
        "14 chiffres ; les espaces sont acceptés. Un SIRET déjà présent dans l'annuaire est refusé.",
        aliases=("numero_siret", "n_siret", "no_siret"),
    ),
    Column(
        "commune",
        True,
        "Code INSEE (ex. 01053) ou nom exact d'une commune de l'Ain (ex. Bourg-en-Bresse).",
        aliases=("code_insee", "commune_insee"),
    ),
    Column("adresse", False, "Numéro et rue.", aliases=("adresse_postale",)),
    Column("code_naf", False, "4 chiffres et une lettre (ex. 4120A).", aliases=("naf", "code_ape", "ape")),
    Column(
        "tranche_effectif",
        False,
        f"Nombre de salariés : {SIZE_BANDS_TEXT}.",
        aliases=("tranche_d_effectif", "tranche_d_effectifs", "tranche_effectifs", "effectif"),
    ),
    Column(
        "type_structure",
        False,
        f"Obligatoire pour une structure, vide pour une entreprise : {STRUCTURE_KINDS_TEXT}.",
        aliases=("type_de_structure",),
    ),
    Column(
        "mise_a_disposition",
        False,
        "Structures : met du personnel à disposition, « oui » ou « non » (vide = non).",
        aliases=("mise_a_disposition_de_personnel",),
    ),
    Column(
        "sous_traitance",
        False,
        "Structures : réalise des prestations en sous-traitance, « oui » ou « non » (vide = non).",
        aliases=("prestations_en_sous_traitance",),
    ),
    Column(
        "epci_desservis",
        False,
        "Structures : SIREN des EPCI de l'Ain desservis, séparés par des espaces ou des virgules.",
        aliases=("epci", "epci_desservi"),
    ),
    Column(
        "federation",
        False,
        "Nom d'une fédération professionnelle déjà présente dans l'annuaire.",
        aliases=("federation_professionnelle",),
    ),
    Column("email", False, "Adresse e-mail générale.", aliases=("e_mail", "courriel", "adresse_e_mail", "mail")),
    Column("telephone", False, "Numéro de téléphone.", aliases=("tel", "numero_de_telephone")),
    Column("notes", False, "Remarques libres.", aliases=("remarques", "commentaire", "commentaires")),
]

# Reading -----------------------------------------------------------------------------------------

TABLE_FORMAT = TableFormat(
    columns=tuple(COLUMNS),
    max_rows=MAX_ROWS,
    too_many_rows="Le fichier contient plus de {max_rows} lignes d'organisations : découpez-le en plusieurs fichiers.",
    no_rows="Le fichier ne contient aucune organisation : seule la ligne d'en-tête est remplie.",
    # Numbers typed in a spreadsheet lose their leading zeros: 01053 becomes 1053.
    numeric_widths={"siret": 14, "commune": 5, "telephone": 10},
    missing_always_plural=True,
)
COLUMN_KEYS = [column.key for column in COLUMNS]
REQUIRED_COLUMNS = [column.key for column in COLUMNS if column.required]


def parse_file(uploaded_file):
    """Rows of a CSV or XLSX file as dicts of stripped strings keyed by column, plus ``line``.

    Raises ImportFileError, in French, when the file cannot be used at all.
    """
    return tabular.parse_file(uploaded_file, TABLE_FORMAT)
