"""Does a contract published in the DECP correspond to a contract or lot that Clausier follows?

Pure rules, no database: the service (``review_services``) reads the candidates in bounded
queries and hands plain values here. A candidate scores 0 to 100 from five signs, each with
its reason in French for the facilitator:

- the same buyer (SIRET; the same SIREN counts less: another establishment of the same body);
- the same holder (one of the published holders is a holder of the lot);
- a close amount (within ``AMOUNT_TOLERANCE``, the lot's amount or the whole contract's);
- a close notification date (within ``DATE_TOLERANCE_DAYS``);
- a similar object (words in common, or a close spelling of the whole text);
- and the buyer's own reference, when the facilitator typed it as the contract's reference.

At ``MATCH_THRESHOLD`` or more the candidate « correspond probablement » to the published contract.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from common.text import search_key

MATCH_THRESHOLD = 60
AMOUNT_TOLERANCE = Decimal("0.10")
DATE_TOLERANCE_DAYS = 60
SIMILAR_OBJECT = 0.5
CLOSE_OBJECT = 0.3

POINTS_BUYER = 30
POINTS_SAME_SIREN = 20
POINTS_HOLDER = 25
POINTS_AMOUNT = 20
POINTS_DATE = 10
POINTS_OBJECT = 15
POINTS_REFERENCE = 20

# Words that say nothing about what is bought (French tender vocabulary and function words).
# fmt: off
STOPWORDS = frozenset({
    "a", "au", "aux", "avec", "dans", "de", "des", "du", "en", "et", "la", "le", "les", "l", "d", "un",
    "une", "pour", "par", "sur", "sous", "ou", "lot", "lots", "marche", "marches", "accord", "cadre",
    "travaux", "prestation", "prestations", "fourniture", "fournitures", "service", "services", "relatif",
    "relatifs", "relative", "relatives", "concernant", "objet", "n", "no",
})
# fmt: on
WORD = re.compile(r"[a-z0-9]+")
STEM_LENGTH = 6


def object_words(text):
    """The meaningful words of an object, accent- and case-free, cut to a common stem."""
    words = WORD.findall(search_key(text))
    return frozenset(word[:STEM_LENGTH] for word in words if len(word) > 2 and word not in STOPWORDS)


def trigrams(words):
    """The three-letter pieces of each word, padded (" co", "col", "oll", …)."""
    return frozenset(padded[i : i + 3] for word in words for padded in [f" {word} "] for i in range(len(padded) - 2))


def _jaccard(first, second):
    return len(first & second) / len(first | second) if first and second else 0.0


def object_similarity(first, second):
    """0 to 1: the share of words in common (Jaccard), or the share of three-letter pieces in
    common when it is higher (words spelt or cut differently: « désamiantage » and « amiante »)."""
    first_words, second_words = object_words(first), object_words(second)
    if not first_words or not second_words:
        return 0.0
    return max(_jaccard(first_words, second_words), _jaccard(trigrams(first_words), trigrams(second_words)))


def relative_gap(published, followed):
    """(followed − published) ÷ published, as a Decimal; None when it cannot be computed."""
    if published is None or followed is None or published <= 0:
        return None
    return (Decimal(followed) - Decimal(published)) / Decimal(published)


def french_percent(gap):
    """Decimal("-0.031") → "−3 %"; "+12 %"; "0 %" (a real minus sign, a narrow no-break space)."""
    value = int((gap * 100).to_integral_value())
    if value == 0:
        return "0\u00a0%"
    return f"{'−' if value < 0 else '+'}{abs(value)}\u00a0%"


def normalise_siret(value):
    """Digits only; 13 digits get back their lost leading zero (integrations.md, dirty data)."""
    digits = "".join(char for char in str(value or "") if char.isdigit())
    return digits.zfill(14) if len(digits) == 13 else digits


def normalise_reference(value):
    return "".join(WORD.findall(search_key(value)))


@dataclass(frozen=True)
class Published:
    """What the DECP says of a contract."""

    buyer_siret: str
    subject: str
    amount: Decimal | None
    notification_date: date | None
    holder_sirets: frozenset = frozenset()
    decp_id: str = ""


@dataclass(frozen=True)
class Followed:
    """A lot followed in Clausier, with its contract's figures."""

    lot_id: int
    contract_id: int
    buyer_siret: str
    title: str
    lot_amount: Decimal | None
    contract_amount: Decimal | None = None
    lot_count: int = 1
    notification_date: date | None = None
    start_date: date | None = None
    holder_sirets: frozenset = frozenset()
    reference: str = ""
    label: str = ""
    contract_label: str = ""


@dataclass(frozen=True)
class Score:
    followed: Followed
    points: int
    reasons: tuple = field(default_factory=tuple)
    # "lot": the published contract is this lot; "contract": the whole contract (several lots).
    level: str = "lot"

    @property
    def is_probable(self):
        return self.points >= MATCH_THRESHOLD

    @property
    def target_label(self):
        """What the published contract would be linked to: the lot, or the whole contract."""
        if self.level == "contract":
            return self.followed.contract_label or self.followed.label
        return self.followed.label


def _amount_points(gap):
    size = abs(gap)
    if size <= Decimal("0.02"):
        return POINTS_AMOUNT
    if size <= Decimal("0.05"):
        return POINTS_AMOUNT * 3 // 4
    return POINTS_AMOUNT // 2


def score(published, followed):
    """How well ``followed`` matches ``published``: points out of 100 and the reasons, in French."""
    points = 0
    reasons = []
    buyer = normalise_siret(published.buyer_siret)
    followed_buyer = normalise_siret(followed.buyer_siret)
    # Clausier may know a buyer by its SIREN only (9 digits): the same legal body is the same buyer.
    if buyer and (buyer == followed_buyer or (len(followed_buyer) == 9 and buyer[:9] == followed_buyer)):
        points += POINTS_BUYER
        reasons.append("même acheteur")
    elif len(buyer) >= 9 and buyer[:9] == followed_buyer[:9]:
        points += POINTS_SAME_SIREN
        reasons.append("même acheteur (autre établissement)")

    holders = {normalise_siret(siret) for siret in published.holder_sirets} - {""}
    if holders & {normalise_siret(siret) for siret in followed.holder_sirets}:
        points += POINTS_HOLDER
        reasons.append("même titulaire")

    if published.decp_id and normalise_reference(published.decp_id) == normalise_reference(followed.reference):
        points += POINTS_REFERENCE
        reasons.append("même référence")

    level = "lot"
    gaps = [("lot", relative_gap(published.amount, followed.lot_amount))]
    if followed.lot_count > 1:
        gaps.append(("contract", relative_gap(published.amount, followed.contract_amount)))
    gaps = [(kind, gap) for kind, gap in gaps if gap is not None]
    if gaps:
        kind, gap = min(gaps, key=lambda pair: abs(pair[1]))
        if abs(gap) <= AMOUNT_TOLERANCE:
            points += _amount_points(gap)
            level = kind
            where = "du marché" if kind == "contract" else "du lot"
            reasons.append(f"montant {where} proche ({french_percent(gap)})")

    followed_date = followed.notification_date or followed.start_date
    if published.notification_date and followed_date:
        days = abs((published.notification_date - followed_date).days)
        if days <= DATE_TOLERANCE_DAYS:
            points += POINTS_DATE
            what = "notification" if followed.notification_date else "début d'exécution"
            reasons.append(f"même date de {what}" if days == 0 else f"{what} à {days} jour{'s' if days > 1 else ''}")

    similarity = object_similarity(published.subject, followed.title)
    if similarity >= SIMILAR_OBJECT:
        points += POINTS_OBJECT
        reasons.append("objet semblable")
    elif similarity >= CLOSE_OBJECT:
        points += POINTS_OBJECT // 2
        reasons.append("objet proche")

    return Score(followed=followed, points=min(points, 100), reasons=tuple(reasons), level=level)


def shares_a_party(published, followed):
    """A candidate has the same buyer (SIREN) or one of the same holders: the others are not
    candidates, however close their amount or date."""
    buyer = normalise_siret(published.buyer_siret)[:9]
    if buyer and buyer == normalise_siret(followed.buyer_siret)[:9]:
        return True
    holders = {normalise_siret(siret) for siret in published.holder_sirets} - {""}
    return bool(holders & {normalise_siret(siret) for siret in followed.holder_sirets})


def best_candidates(published, candidates, limit=3, minimum=1):
    """The candidates with the same buyer or holder as ``published``, best first (ties: lot id)."""
    scores = [score(published, followed) for followed in candidates if shares_a_party(published, followed)]
    scores = [item for item in scores if item.points >= minimum]
    scores.sort(key=lambda item: (-item.points, item.followed.lot_id))
    return scores[:limit]


@dataclass(frozen=True)
class Proposal:
    text: str
    best: Score | None

    @property
    def is_match(self):
        return self.best is not None and self.best.is_probable


def propose(scores):
    """« correspond probablement à … » when the best candidate reaches the threshold, else
    « nouveau marché à suivre »."""
    best = scores[0] if scores else None
    if best is not None and best.is_probable:
        return Proposal(f"Correspond probablement à {best.target_label}", best)
    return Proposal("Nouveau marché à suivre", best)
