"""The contract record of ``decp_records``, the reasons a record is refused, and the reading of its values.

Pure functions, no database: each ``parse_*`` reads one value of a raw DECP record (amount, date,
months, SIRET, social considerations, flag, place) or raises ``RowError`` with a reason in French.
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
