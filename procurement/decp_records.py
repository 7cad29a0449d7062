"""One DECP contract as Clausier keeps it, read from a raw record of either shape, and the reasons a
record is refused (integrations.md, "DECP": real data is dirty).

Pure functions, no database: ``from_json`` reads one ``marche`` of the regulatory JSON (schema v2,
and the v1 spellings still found in old files) with its ``modifications`` applied in order;
``from_table`` reads one row of the consolidated table (CSV or tabular API, one row per contract ×
holder). Both return a ``ContractRecord`` or raise ``RowError`` with a reason in French.

The record, ``RowError`` and the reading of each value are in ``decp_values``; their names stay importable
from here.
"""

from decimal import Decimal, InvalidOperation

from .decp_values import (  # noqa: F401
    _CONSIDERATION_KEYS,
    _CONSIDERATION_SPLIT,
    _MAX_AMOUNT,
    EXCERPT_LENGTH,
    KNOWN_CONSIDERATIONS,
    ContractRecord,
    Holder,
    RowError,
    _joined,
    department_of_place,
    excerpt_of,
    parse_amount,
    parse_considerations,
    parse_date,
    parse_flag,
    parse_months,
    parse_siret,
    text,
)

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
