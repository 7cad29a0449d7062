"""Import of companies and inclusion structures from a CSV or XLSX file: reading and validation.

The import is all or nothing: every line is checked, every problem is reported with its line
(as the spreadsheet shows it: the header is line 1) and its column, and nothing is saved while
one problem remains. Reference data (communes, federations, EPCI, existing SIRETs) is loaded in
a few queries whatever the number of lines.
"""

import csv
import io
import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from common import tabular
from common.tabular import LINE, ImportFileError, TableFormat

# Re-exported: the reading moved to ``tabular``; these names stay importable from here.
from common.tabular import ParsedRows as ParsedRows
from common.tabular import header_key as header_key
from common.tabular import thousands as thousands
from common.text import search_key

from .identifiers import build_siren, build_siret
from .models import Commune, Epci, Organisation
from .tasks import schedule_register_check

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


# Validation --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem of the file: its line (None for the whole file), column and reason in French."""

    line: int | None
    column: str
    message: str
    value: str = ""
    column_letter: str = ""


@dataclass
class ValidRow:
    line: int
    fields: dict
    served_epcis: list = field(default_factory=list)


KIND_VALUES = {
    "entreprise": Kind.COMPANY,
    "entreprise attributaire": Kind.COMPANY,
    "company": Kind.COMPANY,
    search_key(Kind.COMPANY.label): Kind.COMPANY,
    "structure": Kind.INCLUSION_STRUCTURE,
    "structure d'insertion": Kind.INCLUSION_STRUCTURE,
    "siae": Kind.INCLUSION_STRUCTURE,
    "inclusion_structure": Kind.INCLUSION_STRUCTURE,
    search_key(Kind.INCLUSION_STRUCTURE.label): Kind.INCLUSION_STRUCTURE,
}


def size_band_key(text):
    """Compact form of a size band: "de 1 à 9 salariés", "1–9" → "1-9"; "5 000 et plus" → "5000+"."""
    key = re.sub(r"\s+", "", search_key(text)).replace("–", "-").replace("—", "-")
    key = re.sub(r"salarie?s?$", "", key.replace("etplus", "+").replace("ouplus", "+").replace("salaries", ""))
    key = re.sub(r"^(de|entre)(?=\d)", "", key)
    return re.sub(r"(?<=\d)(a|et)(?=\d)", "-", key)


SIZE_BAND_VALUES = {size_band_key(text): band.value for band in SizeBand for text in (band.value, band.label)}
STRUCTURE_KIND_VALUES = {
    **{kind.value.casefold(): kind.value for kind in StructureKind},
    **{search_key(kind.label): kind.value for kind in StructureKind},
}
YES = {"oui", "o", "yes", "y", "vrai", "true", "1", "x"}
NO = {"non", "n", "no", "faux", "false", "0"}
NAF_PATTERN = re.compile(r"\d{4}[A-Z]")
MAX_LENGTHS = {"nom": 200, "adresse": 250, "telephone": 30, "email": 254}


@dataclass
class _References:
    """Everything the validation looks up, loaded once for the whole file."""

    communes_by_code: dict
    communes_by_name: dict
    communes_by_postal_code: dict
    federations_by_name: dict
    epcis_by_siren: dict
    existing_by_siret: dict

    @classmethod
    def load(cls, sirets):
        by_code, by_name, by_postal_code = {}, {}, {}
        for commune in Commune.objects.all():
            by_code[commune.insee_code] = commune
            by_name.setdefault(_name_key(commune.name), []).append(commune)
            for postal_code in commune.postal_codes.split():
                by_postal_code.setdefault(postal_code, []).append(commune)
        federations = {}
        for federation in Organisation.objects.filter(kind=Kind.FEDERATION).only("pk", "name"):
            federations.setdefault(_name_key(federation.name), []).append(federation)
        existing = {}
        if sirets:
            for siret, name, kind in Organisation.objects.filter(siret__in=sirets).values_list("siret", "name", "kind"):
                existing[siret] = (name, kind)
        return cls(
            communes_by_code=by_code,
            communes_by_name=by_name,
            communes_by_postal_code=by_postal_code,
            federations_by_name=federations,
            epcis_by_siren={epci.siren: epci for epci in Epci.objects.all()},
            existing_by_siret=existing,
        )


def _name_key(name):
    return search_key(name.replace("-", " "))


def compact_siret(value):
    """The SIRET without spaces (ordinary or non-breaking) nor dots."""
    return stdnum_siret.compact("".join((value or "").split()))


def siret_problem(siret):
    """Why a compacted SIRET is invalid, in French; empty when it is valid."""
    try:
        stdnum_siret.validate(siret)
    except InvalidLength:
        return f"SIRET invalide : 14 chiffres attendus ({len(siret)} saisis)."
    except InvalidFormat:
        return "SIRET invalide : 14 chiffres attendus, sans lettres ni autres signes."
    except InvalidChecksum:
        return "SIRET invalide : la clé de contrôle ne correspond pas (vérifiez chaque chiffre)."
    except StdnumError:
        return "SIRET invalide."
    return ""


def validate_rows(rows):
    """Check every row; return (valid rows ready to create, every error found)."""
    sirets = {compact_siret(row.get("siret", "")) for row in rows}
    references = _References.load(sorted(siret for siret in sirets if siret and not siret_problem(siret)))
    first_line_by_siret = {}
    valid, errors = [], []
    for row in rows:
        row_errors = []
        validated = _validate_row(row, references, first_line_by_siret, row_errors)
        if row_errors:
            errors.extend(row_errors)
        else:
            valid.append(validated)
    letters = getattr(rows, "column_letters", {})
    if letters:
        # An optional column may be missing from the file: say so rather than point at nothing.
        errors = [replace(error, column_letter=letters.get(error.column, "absente")) for error in errors]
    return valid, errors


def _validate_row(row, refs, first_line_by_siret, errors):
    line = row[LINE]

    def value(key):
        return (row.get(key) or "").strip()

    def error(key, message):
        errors.append(RowError(line, key, message, value(key)))

    def required(key, label):
        if not value(key):
            error(key, f"{label} obligatoire : la case est vide.")
            return False
        return True

    fields = {}

    # type
    kind = None
    if required("type", "Type"):
        kind = KIND_VALUES.get(search_key(value("type")))
        if kind is None:
            error("type", f"Type inconnu « {value('type')} » : « entreprise » ou « structure » attendu.")
    fields["kind"] = kind

    # nom
    if required("nom", "Nom"):
        fields["name"] = value("nom")

    # siret
    if required("siret", "SIRET"):
        siret = compact_siret(value("siret"))
        problem = siret_problem(siret)
        if problem:
            error("siret", problem)
        elif siret in first_line_by_siret:
            error("siret", f"SIRET présent deux fois dans le fichier : lignes {first_line_by_siret[siret]} et {line}.")
        else:
            first_line_by_siret[siret] = line
            if siret in refs.existing_by_siret:
                name, existing_kind = refs.existing_by_siret[siret]
                kind_label = Kind(existing_kind).label.lower() if existing_kind in Kind.values else existing_kind
                error("siret", f"SIRET déjà dans l'annuaire : « {name} » ({kind_label}).")
        fields["siret"] = siret

    # commune
    if required("commune", "Commune"):
        commune, problem = _find_commune(value("commune"), refs)
        if problem:
            error("commune", problem)
        fields["commune"] = commune

    # adresse, email, telephone, notes
    fields["address"] = value("adresse")
    fields["phone"] = value("telephone")
    fields["notes"] = value("notes")
    for key, label in (("nom", "Nom"), ("adresse", "Adresse"), ("telephone", "Téléphone"), ("email", "E-mail")):
        if len(value(key)) > MAX_LENGTHS[key]:
            error(key, f"{label} trop long : {MAX_LENGTHS[key]} caractères au maximum ({len(value(key))} saisis).")
    email = value("email")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error("email", f"Adresse e-mail invalide « {email} » (exemple attendu : contact@entreprise.fr).")
    fields["email"] = email

    # code NAF
    naf = re.sub(r"[\s.]", "", value("code_naf")).upper()
    if naf and not NAF_PATTERN.fullmatch(naf):
        error("code_naf", "Code NAF invalide : 4 chiffres et une lettre attendus (ex. 4120A).")
    fields["naf_code"] = naf

    # tranche d'effectif
    size_band = ""
    if value("tranche_effectif"):
        raw = value("tranche_effectif")
        size_band = SIZE_BAND_VALUES.get(size_band_key(raw))
        if not size_band:
            error("tranche_effectif", f"Tranche d'effectif inconnue « {raw} » : {SIZE_BANDS_TEXT} attendu.")
    fields["size_band"] = size_band or ""

    # type de structure and what only structures have
    structure_kind = ""
    if value("type_structure"):
        structure_kind = STRUCTURE_KIND_VALUES.get(search_key(value("type_structure")), "")
        if not structure_kind:
            error(
                "type_structure",
                f"Type de structure inconnu « {value('type_structure')} » : {STRUCTURE_KINDS_TEXT} attendu.",
            )
    provides_staff = _yes_no(value("mise_a_disposition"), "mise_a_disposition", error)
    subcontracts = _yes_no(value("sous_traitance"), "sous_traitance", error)
    served_epcis = _find_epcis(value("epci_desservis"), refs, error)
    if kind == Kind.INCLUSION_STRUCTURE and not value("type_structure"):
        error("type_structure", f"Type de structure obligatoire pour une structure : {STRUCTURE_KINDS_TEXT}.")
    if kind == Kind.COMPANY:
        if value("type_structure"):
            error("type_structure", "Le type de structure ne concerne que les structures : laissez la case vide.")
        for key, flag in (("mise_a_disposition", provides_staff), ("sous_traitance", subcontracts)):
            if flag:
                error(key, "Ne concerne que les structures : laissez la case vide ou « non » pour une entreprise.")
        if value("epci_desservis"):
            error("epci_desservis", "Les EPCI desservis ne concernent que les structures : laissez la case vide.")
    fields.update(structure_kind=structure_kind, provides_staff=bool(provides_staff), subcontracts=bool(subcontracts))

    # federation
    fields["federation"] = None
    if value("federation"):
        matches = refs.federations_by_name.get(_name_key(value("federation")), [])
        if len(matches) == 1:
            fields["federation"] = matches[0]
        elif matches:
            error("federation", f"Plusieurs fédérations s'appellent « {value('federation')} » dans l'annuaire.")
        else:
            error(
                "federation",
                f"Fédération inconnue « {value('federation')} » : indiquez le nom exact d'une fédération "
                "de l'annuaire, ou laissez la case vide.",
            )

    return ValidRow(line=line, fields=fields, served_epcis=served_epcis)


def _find_commune(raw, refs):
    """(commune, "") or (None, reason). Accepts a code INSEE, an exact name, or "Name (code)"."""
    code = raw
    match = re.fullmatch(r".*\((\d{4,5})\)", raw)
    if match:
        code = match.group(1)
    if code.isdigit():
        code = code.zfill(5) if len(code) == 4 else code
        commune = refs.communes_by_code.get(code)
        if commune:
            return commune, ""
        by_postal_code = refs.communes_by_postal_code.get(code, [])
        if len(by_postal_code) == 1:
            only = by_postal_code[0]
            return None, (
                f"{code} est un code postal, pas un code INSEE : indiquez le code INSEE de {only.name} "
                f"({only.insee_code})."
            )
        if by_postal_code:
            return None, (
                f"{code} est un code postal partagé par {len(by_postal_code)} communes : "
                "indiquez le code INSEE de la commune."
            )
        return None, f"Commune inconnue : aucune commune de l'Ain n'a le code INSEE « {code} »."
    matches = refs.communes_by_name.get(_name_key(raw), [])
    if len(matches) == 1:
        return matches[0], ""
    if matches:
        return None, f"Plusieurs communes s'appellent « {raw} » : indiquez le code INSEE."
    return None, (
        f"Commune inconnue « {raw} » : indiquez le code INSEE (ex. 01053) ou le nom exact d'une commune de l'Ain."
    )


def _yes_no(raw, key, error):
    if not raw:
        return False
    answer = search_key(raw)
    if answer in YES:
        return True
    if answer in NO:
        return False
    error(key, f"Valeur non comprise « {raw} » : « oui » ou « non » attendu.")
    return None


def _find_epcis(raw, refs, error):
    if not raw:
        return []
    epcis, unknown = [], []
    for token in re.split(r"[\s,;]+", raw):
        if not token:
            continue
        epci = refs.epcis_by_siren.get(token)
        if epci is None:
            unknown.append(token)
        elif epci not in epcis:
            epcis.append(epci)
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        error(
            "epci_desservis",
            f"EPCI inconnu{plural} : {', '.join(unknown)}. Indiquez le SIREN (9 chiffres) d'EPCI de l'Ain, "
            "séparés par des espaces ou des virgules.",
        )
    return epcis


# Import ------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    row_count: int = 0
    ignored_columns: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors


def import_organisations(uploaded_file):
    """Read, check and, when every line is right, create all organisations in one transaction."""
    try:
        rows = parse_file(uploaded_file)
    except ImportFileError as exc:
        return ImportResult(errors=[RowError(None, "", str(exc))])
    result = ImportResult(row_count=len(rows), ignored_columns=rows.ignored_columns)
    valid, errors = validate_rows(rows)
    if errors:
        result.errors = errors
        return result
    try:
        with transaction.atomic():
            for item in valid:
                organisation = Organisation(**item.fields)
                organisation.save()
                if item.served_epcis:
                    organisation.served_epcis.set(item.served_epcis)
                result.created.append(organisation)
            schedule_register_check([organisation.pk for organisation in result.created])
    except IntegrityError:
        result.created = []
        result.errors = [
            RowError(
                None,
                "siret",
                "Un SIRET du fichier vient d'être ajouté à l'annuaire par ailleurs : "
                "relancez l'import pour voir lequel.",
            )
        ]
    return result


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
