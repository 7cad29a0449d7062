"""Import of companies and inclusion structures from a CSV or XLSX file: reading and validation.

The import is all or nothing: every line is checked, every problem is reported with its line
(as the spreadsheet shows it: the header is line 1) and its column, and nothing is saved while
one problem remains. Reference data (communes, federations, EPCI, existing SIRETs) is loaded in
a few queries whatever the number of lines.

The columns and the reading are in ``import_columns``, the accepted values and the reference data in
``import_values``, the template in ``import_template``; their names stay importable from here.
"""

import re
from dataclasses import dataclass, field, replace

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction

from common.tabular import LINE, ImportFileError

# Re-exported: the reading moved to ``tabular``; these names stay importable from here.
from common.tabular import ParsedRows as ParsedRows
from common.tabular import header_key as header_key
from common.tabular import thousands as thousands
from common.text import search_key

from .import_columns import (  # noqa: F401
    COLUMN_KEYS,
    COLUMNS,
    MAX_FILE_SIZE,
    MAX_ROWS,
    REQUIRED_COLUMNS,
    SIZE_BANDS_TEXT,
    STRUCTURE_KINDS_TEXT,
    TABLE_FORMAT,
    Column,
    Kind,
    SizeBand,
    StructureKind,
    parse_file,
)
from .import_template import template_csv, template_rows, template_xlsx  # noqa: F401
from .import_values import (  # noqa: F401
    KIND_VALUES,
    MAX_LENGTHS,
    NAF_PATTERN,
    NO,
    SIZE_BAND_VALUES,
    STRUCTURE_KIND_VALUES,
    YES,
    RowError,
    ValidRow,
    _name_key,
    _References,
    compact_siret,
    siret_problem,
    size_band_key,
)
from .models import Organisation
from .tasks import schedule_register_check

# Validation --------------------------------------------------------------------------------------


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
