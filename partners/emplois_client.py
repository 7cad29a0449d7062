"""Client of les emplois de l'inclusion: the SIAE around a commune (integrations.md, "Inclusion directories").

``GET {EMPLOIS_API_URL}/siaes/?code_insee=<commune>&distance_max_km=<≤100>``, no key. The answer is a
page ``{"count", "next", "previous", "results": [...]}``; each result as the service's serializer writes
it (gip-inclusion/les-emplois, ``itou/api/siae_api/serializers.py``): ``cree_le``, ``mis_a_jour_le``,
``siret``, ``type`` (ACI, AI, EI, ETTI, EITI, GEIQ, EA, EATT, OPCS…), ``raison_sociale``, ``enseigne``,
``site_web``, ``description``, ``bloque_candidatures``, ``addresse_ligne_1`` (sic), ``addresse_ligne_2``,
``code_postal``, ``ville``, ``departement`` and ``postes`` (``id``, ``rome`` written « Maçon (F1703) »,
``recrutement_ouvert`` written « True », ``appellation_modifiee``, ``description``…). A result has no
coordinates: the distance comes from the centre of its commune (see ``clauses.sourcing``).

A result that cannot be read (no SIRET of 14 digits, no name, a kind that is not an inclusion
structure of Clausier) is skipped and counted, never fatal. The page calls the service with one short
attempt and a time budget over all pages, so that the fragment never waits more than about 2 s.
"""

import re
import time
from dataclasses import dataclass

from .http_client import JsonClient, ServiceUnavailable
from .models import Organisation

MAX_DISTANCE_KM = 100
MAX_PAGES = 10
# Seconds for all the pages of one answer; a page is not asked for once the budget is spent.
TIME_BUDGET = 1.5
SERVICE = "La liste des emplois de l'inclusion"
HINT = "Les structures déjà dans l'annuaire restent affichées ; réessayez plus tard."
ROME_CODE = re.compile(r"\b([A-N]\d{4})\b")
KNOWN_KINDS = frozenset(Organisation.StructureKind.values)
TRUE_WORDS = {"true", "1", "oui", "yes"}


class EmploisUnavailable(ServiceUnavailable):
    """Les emplois could not be read; the message says so in French."""


@dataclass(frozen=True)
class Post:
    rome: str  # the ROME code (F1703), "" when the answer gives none
    title: str
    is_open: bool


@dataclass(frozen=True)
class EmploisStructure:
    siret: str
    kind: str  # a value of Organisation.StructureKind
    name: str
    address: str
    postal_code: str
    town: str
    insee_code: str  # when the answer gives it (it does not today)
    posts: tuple = ()


@dataclass(frozen=True)
class EmploisAnswer:
    structures: tuple
    skipped: int = 0  # results that could not be read
    complete: bool = True  # False when the time budget stopped the paging


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _is_true(value):
    return value is True or (isinstance(value, str) and value.strip().lower() in TRUE_WORDS)


def parse_post(item):
    if not isinstance(item, dict):
        return None
    match = ROME_CODE.search(str(item.get("rome") or ""))
    rome_text = _text(item.get("rome"))
    title = _text(item.get("appellation_modifiee")) or ROME_CODE.sub("", rome_text).strip(" ()") or "Poste"
    return Post(rome=match.group(1) if match else "", title=title, is_open=_is_true(item.get("recrutement_ouvert")))


def parse_structure(item):
    """An ``EmploisStructure`` from one result, or None when it cannot be read."""
    if not isinstance(item, dict):
        return None
    siret = re.sub(r"\D", "", str(item.get("siret") or ""))
    kind = _text(item.get("type") or item.get("kind")).upper()
    name = _text(item.get("enseigne")) or _text(item.get("raison_sociale"))
    if len(siret) != 14 or kind not in KNOWN_KINDS or not name:
        return None
    posts = item.get("postes") if isinstance(item.get("postes"), list) else []
    address = " ".join(
        part
        for part in (_text(item.get("addresse_ligne_1") or item.get("adresse")), _text(item.get("addresse_ligne_2")))
        if part
    )
    return EmploisStructure(
        siret=siret,
        kind=kind,
        name=name,
        address=address,
        postal_code=re.sub(r"\D", "", str(item.get("code_postal") or ""))[:5],
        town=_text(item.get("ville")),
        insee_code=_text(item.get("code_insee")),
        posts=tuple(post for post in map(parse_post, posts) if post is not None),
    )


class EmploisClient(JsonClient):
    error_class = EmploisUnavailable
    service = SERVICE
    hint = HINT

    @staticmethod
    def accepts(answer):
        return isinstance(answer, dict) and isinstance(answer.get("results"), list)

    def __init__(self, base_url, *, timeout=1.5, attempts=1, budget=TIME_BUDGET, **options):
        super().__init__(base_url, timeout=timeout, attempts=attempts, **options)
        self.timeout = timeout
        self.budget = budget

    def siaes_around(self, insee_code, distance_km):
        """The structures les emplois lists within ``distance_km`` of the commune's centre."""
        params = {"code_insee": insee_code, "distance_max_km": min(int(distance_km), MAX_DISTANCE_KM)}
        structures, skipped, path = [], 0, "siaes/"
        started = time.monotonic()
        for page_number in range(MAX_PAGES):
            remaining = self.budget - (time.monotonic() - started)
            if page_number and remaining <= 0.1:
                return EmploisAnswer(tuple(structures), skipped, complete=False)
            # Later pages get only what remains of the budget (httpx reads the client's timeout).
            self._client.timeout = min(self.timeout, max(remaining, 0.1))
            try:
                answer = self.get(path, params)
            except EmploisUnavailable:
                if not page_number:
                    raise
                return EmploisAnswer(tuple(structures), skipped, complete=False)
            for item in answer["results"]:
                structure = parse_structure(item)
                if structure is None:
                    skipped += 1
                else:
                    structures.append(structure)
            following = answer.get("next")
            if not following or not answer["results"]:
                break
            path, params = following, None  # the next link carries the filters
        return EmploisAnswer(tuple(structures), skipped)
