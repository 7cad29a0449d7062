"""What the Sirene register says of one establishment, read from an answer of the API Recherche
d'entreprises (integrations.md): pure functions, no database, no network.

A ``/search?q=<SIRET>`` answer lists legal units (``results[]``); the establishment asked for is
in ``matching_etablissements[]`` (or is the ``siege``). The legal unit's ``etat_administratif``
is ``A`` (active) or ``C`` (ceased); an establishment's is ``A`` or ``F`` (closed), with its
``date_fermeture``.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

ACTIVE = "active"
CLOSED_ESTABLISHMENT = "closed_establishment"
CEASED_COMPANY = "ceased_company"

# Sirene's workforce bands (tranche_effectif_salarie) to the directory's size bands.
SIZE_BANDS = {
    "NN": "0",
    "00": "0",
    "01": "1-9",
    "02": "1-9",
    "03": "1-9",
    "11": "10-49",
    "12": "10-49",
    "21": "50-249",
    "22": "50-249",
    "31": "50-249",
    "32": "250-4999",
    "41": "250-4999",
    "42": "250-4999",
    "51": "250-4999",
    "52": "5000+",
    "53": "5000+",
}

# The legal forms (catégories juridiques, level III) a facilitator meets most; others show their code.
LEGAL_FORMS = {
    "1000": "Entrepreneur individuel",
    "5202": "Société en nom collectif",
    "5306": "Société en commandite simple",
    "5410": "SARL nationale",
    "5498": "EURL (SARL unipersonnelle)",
    "5499": "SARL",
    "5505": "SA à participation ouvrière",
    "5510": "SA nationale",
    "5599": "SA à conseil d'administration",
    "5699": "SA à directoire",
    "5710": "SAS",
    "5720": "SASU",
    "5785": "Société d'exercice libéral par actions simplifiée",
    "6540": "Société civile immobilière",
    "7210": "Commune",
    "7220": "Département",
    "7229": "Collectivité territoriale",
    "7346": "Communauté de communes",
    "7348": "Communauté d'agglomération",
    "7353": "Syndicat mixte ouvert",
    "7354": "Syndicat mixte fermé",
    "7364": "Établissement d'hospitalisation",
    "7372": "Service départemental d'incendie et de secours",
    "7373": "Établissement public local d'enseignement",
    "7389": "Établissement public national à caractère administratif",
    "7490": "Autre personne morale de droit administratif",
    "8210": "Mutuelle",
    "9210": "Association non déclarée",
    "9220": "Association déclarée",
    "9230": "Association déclarée, reconnue d'utilité publique",
    "9260": "Association de droit local",
    "9300": "Fondation",
    "5458": "SARL coopérative ouvrière de production (SCOP)",
    "5558": "SA coopérative ouvrière de production (SCOP)",
    "5560": "SA coopérative d'intérêt collectif (SCIC)",
    "5460": "SARL coopérative d'intérêt collectif (SCIC)",
    "5760": "SAS coopérative d'intérêt collectif (SCIC)",
}


class MalformedAnswer(ValueError):
    """The answer does not have the shape of the API's."""


@dataclass(frozen=True)
class RegisterEntry:
    siret: str
    siren: str
    name: str
    address: str
    postal_code: str
    insee_code: str
    commune_name: str
    naf_code: str
    legal_form: str
    size_band: str
    is_siae: bool
    is_ess: bool
    status: str
    closed_on: datetime.date | None
    latitude: Decimal | None
    longitude: Decimal | None

    @property
    def legal_form_label(self):
        return LEGAL_FORMS.get(self.legal_form, f"catégorie juridique {self.legal_form}" if self.legal_form else "")

    @property
    def is_closed(self):
        return self.status != ACTIVE


def _text(value):
    return " ".join(str(value).split()) if value not in (None, "") else ""


def _naf(value):
    """« 43.22A » → « 4322A », the directory's form."""
    return _text(value).replace(".", "").replace(" ", "").upper()


def _coordinate(value, bound):
    try:
        number = Decimal(str(value)).quantize(Decimal("0.00001"))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return number if abs(number) <= bound else None


def _date(value):
    try:
        return datetime.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _street(establishment):
    """The API's address ends with the postal code and the commune, kept apart in the directory."""
    address = _text(establishment.get("adresse"))
    tail = _text(f"{establishment.get('code_postal') or ''} {establishment.get('libelle_commune') or ''}")
    if tail and address.upper().endswith(tail.upper()):
        address = address[: -len(tail)].strip(" ,")
    return address[:250]


def _establishment(result, siret):
    for establishment in result.get("matching_etablissements") or []:
        if isinstance(establishment, dict) and establishment.get("siret") == siret:
            return establishment
    siege = result.get("siege")
    if isinstance(siege, dict) and siege.get("siret") == siret:
        return siege
    return None


def _status(result, establishment):
    if _text(result.get("etat_administratif")).upper() == "C":
        return CEASED_COMPANY, _date(result.get("date_fermeture")) or _date(establishment.get("date_fermeture"))
    if _text(establishment.get("etat_administratif")).upper() in ("F", "C"):
        return CLOSED_ESTABLISHMENT, _date(establishment.get("date_fermeture"))
    return ACTIVE, None


def entry_from_answer(answer, siret):
    """The establishment ``siret`` in a search answer, or None when the register does not know it."""
    if not isinstance(answer, dict) or not isinstance(answer.get("results"), list):
        raise MalformedAnswer("La réponse ne contient pas de liste de résultats.")
    for result in answer["results"]:
        if not isinstance(result, dict):
            continue
        establishment = _establishment(result, siret)
        if establishment is None:
            continue
        complements = result.get("complements") if isinstance(result.get("complements"), dict) else {}
        status, closed_on = _status(result, establishment)
        return RegisterEntry(
            siret=siret,
            siren=_text(result.get("siren")) or siret[:9],
            name=_text(result.get("nom_complet") or result.get("nom_raison_sociale"))[:200],
            address=_street(establishment),
            postal_code=_text(establishment.get("code_postal")),
            insee_code=_text(establishment.get("commune")),
            commune_name=_text(establishment.get("libelle_commune")),
            naf_code=_naf(establishment.get("activite_principale") or result.get("activite_principale"))[:6],
            legal_form=_text(result.get("nature_juridique"))[:4],
            size_band=SIZE_BANDS.get(_text(result.get("tranche_effectif_salarie")), ""),
            is_siae=complements.get("est_siae") is True,
            is_ess=complements.get("est_ess") is True,
            status=status,
            closed_on=closed_on,
            latitude=_coordinate(establishment.get("latitude"), 90),
            longitude=_coordinate(establishment.get("longitude"), 180),
        )
    return None
