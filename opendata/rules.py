"""Pure rules of the open dataset: which counts are suppressed, how a row is built from figures.

No database here. Statistical secrecy, on the counts of people of a row (a lot):

- primary suppression: a count from 1 to ``THRESHOLD - 1`` (1 to 4) is never published (empty
  cell); 0 is published;
- the total hidden: every category count of the row is hidden too (each is at most the total, so
  it would bound it);
- secondary suppression: when the total is published and exactly one category is hidden, the
  hidden cell could be recovered by subtraction from the total wherever the categories add up to
  it (a person in one category only); so the smallest other published non-zero category (ties: the
  first in column order) is hidden too. Two hidden categories or more need nothing more.

The column ``secret_statistique`` says « oui » when a cell of the row is hidden.
"""

from dataclasses import dataclass
from decimal import Decimal

THRESHOLD = 5
SUPPRESSED = ""  # an empty cell; the column "secret_statistique" says why


def is_small(count):
    return 0 < count < THRESHOLD


def suppress(total, categories):
    """(published total or None, {category: published count or None}) from the raw counts.

    ``categories``: an ordered dict of category code → count. None means suppressed."""
    if is_small(total):
        return None, dict.fromkeys(categories)
    published = {code: (None if is_small(count) else count) for code, count in categories.items()}
    hidden = [code for code, value in published.items() if value is None]
    if len(hidden) == 1:
        candidates = [(value, index, code) for index, (code, value) in enumerate(published.items()) if value]
        if candidates:
            _, _, code = min(candidates)
            published[code] = None
    return total, published


@dataclass(frozen=True)
class LotFigures:
    year: int
    lot_key: str
    buyer_siret: str
    buyer_name: str
    decp_uid: str
    contract_object: str
    lot_object: str
    legal_basis: str
    hours_required: Decimal
    hours_validated: Decimal
    people: int
    categories: dict  # category code → count of people


def hours_text(value):
    """Hours with a dot and two decimals, no thousands separator (machine-readable)."""
    return f"{Decimal(value).quantize(Decimal('0.01')):f}"


def build_row(figures):
    """The CSV row (a dict by column name) of one lot."""
    total, categories = suppress(figures.people, figures.categories)
    suppressed = total is None or any(value is None for value in categories.values())

    def cell(value):
        return SUPPRESSED if value is None else str(value)

    row = {
        "annee": str(figures.year),
        "identifiant_lot": figures.lot_key,
        "acheteur_siret": figures.buyer_siret,
        "acheteur_nom": figures.buyer_name,
        "decp_uid": figures.decp_uid,
        "objet_marche": figures.contract_object,
        "objet_lot": figures.lot_object,
        "fondement_juridique": figures.legal_basis,
        "heures_exigees": hours_text(figures.hours_required),
        "heures_realisees": hours_text(figures.hours_validated),
        "personnes": cell(total),
    }
    for code, value in categories.items():
        row[f"personnes_{code}"] = cell(value)
    row["secret_statistique"] = "oui" if suppressed else "non"
    return row


ARTICLES = {
    "execution_condition": "L2112-2",
    "award_criterion": "R2152-7",
    "reserved_siae": "L2113-13",
    "reserved_disability": "L2113-12",
    "reserved_ess": "L2113-15",
    "insertion_contract": "R2123-1",
}
DISABILITY_CRITERIA = frozenset({"TH", "AAH"})


def person_categories(age, rsa_at_entry, criteria):
    """The public categories of one person (codes of ``schema.CATEGORIES``): ``age`` at their
    first placement, RSA at entry, validated criteria codes."""
    found = set()
    if rsa_at_entry or "RSA" in criteria:
        found.add("rsa")
    if "DELD" in criteria:
        found.add("deld")
    if age is not None and age < 26:
        found.add("moins_26_ans")
    if age is not None and age >= 50:
        found.add("50_ans_et_plus")
    if criteria & DISABILITY_CRITERIA:
        found.add("handicap")
    if "QPV" in criteria:
        found.add("qpv")
    return found
