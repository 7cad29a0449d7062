"""What the organisations import (``imports``) checks a cell against: the accepted values and the reference data.

The errors and valid rows it reports, the words accepted for the kind, size band, structure kind and
yes/no, the SIRET checks, and the reference data (communes, federations, EPCI, existing SIRETs)
loaded once for the whole file.
"""

import re
from dataclasses import dataclass, field

from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siret as stdnum_siret

from common.text import search_key

from .import_columns import Kind, SizeBand, StructureKind
from .models import Commune, Epci, Organisation

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
