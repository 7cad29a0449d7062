"""One DECP contract as Clausier keeps it, read from a raw record of either shape, and the reasons a
record is refused (integrations.md, "DECP": real data is dirty).

Pure functions, no database: ``from_json`` reads one ``marche`` of the regulatory JSON (schema v2,
and the v1 spellings still found in old files) with its ``modifications`` applied in order;
``from_table`` reads one row of the consolidated table (CSV or tabular API, one row per contract ×
holder). Both return a ``ContractRecord`` or raise ``RowError`` with a reason in French.
"""

import datetime
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from partners.identifiers import is_valid_siret

from .models import LEGACY_NONE, NONE, SOCIAL_CONSIDERATIONS

KNOWN_CONSIDERATIONS = (*SOCIAL_CONSIDERATIONS, NONE, LEGACY_NONE)
_CONSIDERATION_KEYS = {value.casefold(): value for value in KNOWN_CONSIDERATIONS}
_CONSIDERATION_SPLIT = re.compile(r"[;,|\[\]\"']+")
_MAX_AMOUNT = Decimal("99999999999999")  # what the column holds (16 digits, 2 decimals)


class RowError(ValueError):
    """A record that cannot be written, and why (shown to the facilitator as is)."""

    def __init__(self, reason, key=""):
        super().__init__(reason)
        self.reason = reason
        self.key = key
        self.excerpt = ""


EXCERPT_LENGTH = 300


def excerpt_of(raw):
    """A short, readable extract of a raw record (buyer, subject, amount, notification), shown beside
    its reason in the list of rejected rows; the raw text when it has none of these."""
    if isinstance(raw, dict):
        buyer = raw.get("acheteur")
        parts = [
            raw.get("acheteur_nom") or (buyer.get("nom") or buyer.get("id") if isinstance(buyer, dict) else buyer),
            raw.get("objet"),
            f"montant : {raw.get('montant')}" if raw.get("montant") not in (None, "") else "montant : —",
            f"notifié le {raw.get('dateNotification')}" if raw.get("dateNotification") else "",
        ]
        readable = " · ".join(text(part) for part in parts if text(part))
        if readable:
            return readable[:EXCERPT_LENGTH]
    try:
        return json.dumps(raw, ensure_ascii=False, default=str)[:EXCERPT_LENGTH]
    except (TypeError, ValueError):
        return str(raw)[:EXCERPT_LENGTH]


@dataclass(frozen=True)
class Holder:
    identifier: str
    identifier_type: str = "SIRET"
    name: str = ""


@dataclass
class ContractRecord:
    uid: str
    decp_id: str
    buyer_siret: str
    notification_date: datetime.date
    amount: Decimal
    subject: str
    buyer_name: str = ""
    buyer_department_code: str = ""
    cpv_code: str = ""
    procedure: str = ""
    nature: str = ""
    techniques: str = ""
    execution_terms: str = ""
    place_code: str = ""
    place_code_type: str = ""
    publication_date: datetime.date | None = None
    duration_months: int | None = None
    considerations: tuple = ()
    holders: list = field(default_factory=list)
    modification_count: int = 0

    @property
    def has_social_consideration(self):
        return any(value in SOCIAL_CONSIDERATIONS for value in self.considerations)

    @property
    def department_code(self):
        """Where the work is done, else where the buyer is."""
        return department_of_place(self.place_code, self.place_code_type) or self.buyer_department_code

    def in_territory(self, department_code, known_buyers=frozenset()):
        """A contract of the territory: done there, or bought by a buyer of it (by its department
        in the consolidated table, or because Clausier knows the buyer's SIRET)."""
        return (
            department_of_place(self.place_code, self.place_code_type) == department_code
            or self.buyer_department_code == department_code
            or self.buyer_siret in known_buyers
        )


# Values ---------------------------------------------------------------------------------------


def text(value, limit=None):
    if value is None:
        return ""
    value = " ".join(str(value).split())
    return value[:limit] if limit else value


def parse_amount(value):
    """An amount HT in euros: a number, or a string in French or English writing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError("Montant absent.")
    if isinstance(value, bool):
        raise RowError(f"Montant illisible : « {value} ».")
    if isinstance(value, (int, float, Decimal)):
        raw = str(value)
    else:
        raw = str(value).strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("€", "")
        if "," in raw and "." in raw:
            raw = raw.replace(".", "").replace(",", ".") if raw.rfind(",") > raw.rfind(".") else raw.replace(",", "")
        else:
            raw = raw.replace(",", ".")
    try:
        amount = Decimal(raw)
    except InvalidOperation:
        raise RowError(f"Montant illisible : « {text(value, 40)} ».") from None
    if not amount.is_finite():
        raise RowError(f"Montant illisible : « {text(value, 40)} ».")
    if amount < 0:
        raise RowError(f"Montant négatif : {text(value, 40)}.")
    if amount > _MAX_AMOUNT:
        raise RowError(f"Montant hors de toute mesure : {text(value, 40)}.")
    return amount.quantize(Decimal("0.01"))


def parse_date(value, label, required=True):
    """A date written ``AAAA-MM-JJ`` (with a time or a time zone after it in some files)."""
    raw = text(value)
    if not raw:
        if required:
            raise RowError(f"{label} absente.")
        return None
    try:
        return datetime.date.fromisoformat(raw[:10])
    except ValueError:
        pass
    try:
        return datetime.datetime.strptime(raw[:10], "%d/%m/%Y").date()
    except ValueError:
        raise RowError(f"{label} illisible : « {text(value, 30)} ».") from None


def parse_months(value):
    raw = text(value)
    if not raw:
        return None
    try:
        months = int(Decimal(raw.replace(",", ".")))
    except (InvalidOperation, ValueError):
        raise RowError(f"Durée illisible : « {text(value, 30)} ».") from None
    if months < 0 or months > 1200:
        raise RowError(f"Durée hors de toute mesure : {months} mois.")
    return months


def parse_siret(value, whose):
    """A SIRET of 14 digits. A SIRET of 13 digits has usually lost its leading zero in a
    spreadsheet: it is given back when the result is a valid SIRET, refused otherwise."""
    raw = text(value)
    digits = re.sub(r"[\s.\-]", "", raw)
    if not digits:
        raise RowError(f"SIRET {whose} absent.")
    if not digits.isdigit():
        raise RowError(f"SIRET {whose} illisible : « {text(value, 30)} ».")
    if len(digits) == 13 and is_valid_siret("0" + digits):
        return "0" + digits
    if len(digits) != 14:
        raise RowError(f"SIRET {whose} de {len(digits)} chiffres au lieu de 14 : {digits}.")
    return digits


def parse_considerations(value):
    """The social considerations, from a list (JSON) or the text of the table, in a fixed order."""
    if value is None:
        return ()
    if isinstance(value, dict):
        value = value.get("considerationSociale", [])
    parts = value if isinstance(value, (list, tuple)) else _CONSIDERATION_SPLIT.split(str(value))
    found = {_CONSIDERATION_KEYS.get(text(part).casefold()) for part in parts}
    return tuple(value for value in KNOWN_CONSIDERATIONS if value in found)


def parse_flag(value, default=True):
    raw = text(value).casefold()
    if not raw:
        return default
    return raw in ("1", "true", "vrai", "oui", "yes", "t")


def department_of_place(code, code_type):
    """The department of a place of execution (postal code, commune code or department code)."""
    code = text(code).upper().replace(" ", "")
    kind = text(code_type).casefold()
    if not code:
        return ""
    if "département" in kind or "departement" in kind:
        return code.zfill(2) if code.isdigit() and len(code) < 3 else code
    if "postal" in kind or "commune" in kind or not kind:
        if len(code) == 4 and code.isdigit():
            code = "0" + code
        if len(code) != 5:
            return ""
        if code.startswith("97") or code.startswith("98"):
            return code[:3]
        if code[:2] in ("2A", "2B"):
            return code[:2]
        return code[:2]
    return ""


def _joined(value, key):
    """``{"technique": ["Accord-cadre", …]}``, a list, or a string: one string, "; " between."""
    if isinstance(value, dict):
        value = value.get(key, [])
    if isinstance(value, (list, tuple)):
        return "; ".join(text(item) for item in value if text(item))
    return text(value)


# The regulatory JSON ---------------------------------------------------------------------------


def _json_holders(entries):
    holders = []
    for entry in entries or []:
        if isinstance(entry, dict) and isinstance(entry.get("titulaire"), dict):
            entry = entry["titulaire"]  # v2: [{"titulaire": {...}}]; v1: [{...}]
        if not isinstance(entry, dict):
            continue
        holders.append(
            _holder(entry.get("id"), entry.get("typeIdentifiant"), entry.get("denominationSociale") or entry.get("nom"))
        )
    return holders


def _holder(identifier, identifier_type, name):
    identifier_type = text(identifier_type) or "SIRET"
    if identifier_type.upper() == "SIRET":
        identifier = parse_siret(identifier, "du titulaire")
        identifier_type = "SIRET"
    else:
        identifier = text(identifier, 20)
        if not identifier:
            raise RowError("Identifiant du titulaire absent.")
    return Holder(identifier=identifier, identifier_type=text(identifier_type, 20), name=text(name, 250))


def _unique_holders(holders):
    seen, unique = set(), []
    for holder in holders:
        if holder.identifier not in seen:
            seen.add(holder.identifier)
            unique.append(holder)
    return unique


def _modification_order(entry):
    modification = entry.get("modification", entry) if isinstance(entry, dict) else {}
    try:
        number = int(modification.get("id") or 0)
    except (TypeError, ValueError):
        number = 0
    return (text(modification.get("dateNotificationModification")), number)


def from_json(marche):
    """One ``marche`` of the regulatory JSON, its modifications applied from the oldest."""
    if not isinstance(marche, dict):
        raise RowError("Enregistrement illisible (ce n'est pas un marché).")
    decp_id = text(marche.get("id"), 80)
    buyer = marche.get("acheteur") or {}
    buyer_id = buyer.get("id") if isinstance(buyer, dict) else buyer
    key = f"{text(buyer_id)}{decp_id}"
    try:
        if not decp_id:
            raise RowError("Identifiant du marché absent.")
        if not text(buyer_id):
            raise RowError("Acheteur inconnu : SIRET de l'acheteur absent.")
        buyer_siret = parse_siret(buyer_id, "de l'acheteur")
        amount, months = marche.get("montant"), marche.get("dureeMois")
        holders = _json_holders(marche.get("titulaires"))
        modifications = sorted(marche.get("modifications") or [], key=_modification_order)
        for entry in modifications:
            modification = entry.get("modification", entry) if isinstance(entry, dict) else {}
            if modification.get("montant") not in (None, ""):
                amount = modification["montant"]
            if modification.get("dureeMois") not in (None, ""):
                months = modification["dureeMois"]
            if modification.get("titulaires"):
                holders = _json_holders(modification["titulaires"])
        place = marche.get("lieuExecution") or {}
        subject = text(marche.get("objet"))
        if not subject:
            raise RowError("Objet du marché absent.")
        return ContractRecord(
            uid=f"{buyer_siret}{decp_id}",
            decp_id=decp_id,
            buyer_siret=buyer_siret,
            buyer_name=text(buyer.get("nom") if isinstance(buyer, dict) else "", 250),
            notification_date=parse_date(marche.get("dateNotification"), "Date de notification"),
            publication_date=parse_date(marche.get("datePublicationDonnees"), "Date de publication", required=False),
            amount=parse_amount(amount),
            duration_months=parse_months(months),
            subject=subject,
            cpv_code=text(marche.get("codeCPV"), 12),
            procedure=text(marche.get("procedure"), 120),
            nature=text(marche.get("nature"), 60),
            techniques=_joined(marche.get("techniques"), "technique")[:250],
            execution_terms=_joined(marche.get("modalitesExecution"), "modaliteExecution")[:250],
            place_code=text(place.get("code"), 10) if isinstance(place, dict) else "",
            place_code_type=text(place.get("typeCode"), 30) if isinstance(place, dict) else "",
            considerations=parse_considerations(marche.get("considerationsSociales")),
            holders=_unique_holders(holders),
            modification_count=len(modifications),
        )
    except RowError as error:
        error.key = error.key or key
        error.excerpt = excerpt_of(marche)
        raise


# The consolidated table (CSV and tabular API) --------------------------------------------------

# Column names of the consolidated table, and the spellings other exports use.
COLUMNS = {
    "uid": ("uid",),
    "id": ("id", "id_marche"),
    "buyer_id": ("acheteur_id", "acheteur.id", "acheteur_siret"),
    "buyer_name": ("acheteur_nom", "acheteur.nom", "acheteur_denomination"),
    "buyer_department": ("acheteur_departement_code", "acheteur_code_departement"),
    "holder_id": ("titulaire_id", "titulaire.id", "titulaire_siret"),
    "holder_type": ("titulaire_typeIdentifiant", "titulaire_type_identifiant", "titulaire.typeIdentifiant"),
    "holder_name": ("titulaire_nom", "titulaire_denominationSociale", "titulaire.denominationSociale"),
    "subject": ("objet",),
    "amount": ("montant",),
    "cpv": ("codeCPV", "code_cpv"),
    "procedure": ("procedure",),
    "nature": ("nature",),
    "techniques": ("techniques",),
    "execution_terms": ("modalitesExecution", "modalites_execution"),
    "place_code": ("lieuExecution_code", "lieuExecution.code", "lieu_execution_code"),
    "place_type": ("lieuExecution_typeCode", "lieuExecution.typeCode", "lieu_execution_type_code"),
    "months": ("dureeMois", "duree_mois"),
    "notified": ("dateNotification", "date_notification"),
    "published": ("datePublicationDonnees", "date_publication_donnees"),
    "considerations": ("considerationsSociales", "considerations_sociales"),
    "current": ("donneesActuelles", "donnees_actuelles"),
    "modifications": ("modification_id", "nb_modifications"),
}


def column(row, name):
    for spelling in COLUMNS[name]:
        if spelling in row:
            return row[spelling]
    return None


def is_current_version(row):
    """The table keeps every version of a contract: only the current one (``donneesActuelles``)."""
    return parse_flag(column(row, "current"))


def from_table(row):
    """One row of the consolidated table: a contract with one holder."""
    decp_id = text(column(row, "id"), 80)
    buyer_id = column(row, "buyer_id")
    key = text(column(row, "uid"), 120) or f"{text(buyer_id)}{decp_id}"
    try:
        if not decp_id:
            raise RowError("Identifiant du marché absent.")
        if not text(buyer_id):
            raise RowError("Acheteur inconnu : SIRET de l'acheteur absent.")
        buyer_siret = parse_siret(buyer_id, "de l'acheteur")
        subject = text(column(row, "subject"))
        if not subject:
            raise RowError("Objet du marché absent.")
        holders = []
        if text(column(row, "holder_id")):
            holders.append(_holder(column(row, "holder_id"), column(row, "holder_type"), column(row, "holder_name")))
        try:
            modification_count = max(int(Decimal(text(column(row, "modifications")) or "0")), 0)
        except (InvalidOperation, ValueError):
            modification_count = 0
        return ContractRecord(
            uid=f"{buyer_siret}{decp_id}",
            decp_id=decp_id,
            buyer_siret=buyer_siret,
            buyer_name=text(column(row, "buyer_name"), 250),
            buyer_department_code=text(column(row, "buyer_department"), 3).upper(),
            notification_date=parse_date(column(row, "notified"), "Date de notification"),
            publication_date=parse_date(column(row, "published"), "Date de publication", required=False),
            amount=parse_amount(column(row, "amount")),
            duration_months=parse_months(column(row, "months")),
            subject=subject,
            cpv_code=text(column(row, "cpv"), 12),
            procedure=text(column(row, "procedure"), 120),
            nature=text(column(row, "nature"), 60),
            techniques=_joined(column(row, "techniques"), "technique")[:250],
            execution_terms=_joined(column(row, "execution_terms"), "modaliteExecution")[:250],
            place_code=text(column(row, "place_code"), 10),
            place_code_type=text(column(row, "place_type"), 30),
            considerations=parse_considerations(column(row, "considerations")),
            holders=holders,
            modification_count=min(modification_count, 32000),
        )
    except RowError as error:
        error.key = error.key or key
        error.excerpt = excerpt_of(row)
        raise
