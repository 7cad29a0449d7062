"""Sourcing for a lot: the inclusion structures within a radius of its operation's commune.

Two sources, merged by SIRET: the directory's inclusion structures placed within the radius (their
own coordinates, else their commune's centre), and les emplois de l'inclusion's answer around the
commune (``partners.emplois_client``), kept in Django's cache for an hour per (commune, radius) so
that loading the panel again does not call the service. When les emplois cannot be read, the
directory's structures are listed with a notice, and the failure is kept a minute only.

Open posts are filtered by the ROME codes of the lot's trade (``TRADE_ROME_PREFIXES``, else those of
its sector); a lot without either shows every open post. A fixed number of queries whatever the
number of structures: the directory's structures, the organisations with les emplois' SIRETs, the
communes of les emplois' postal codes.
"""

import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.db.models.functions import Coalesce

from common.text import search_key
from partners.distances import bounding_box, haversine_km
from partners.emplois_client import EmploisClient, EmploisUnavailable
from partners.emplois_import import import_structure
from partners.models import DISABILITY_STRUCTURE_KINDS, Commune, Organisation

from . import sourcing_rules

RADII = (10, 30, 50, 100)
DEFAULT_RADIUS = 30
CACHE_SECONDS = 3600
FAILURE_CACHE_SECONDS = 60

# ROME codes (or their prefixes) of the posts that fit a trade; the trades of clauses/reference.py.
TRADE_ROME_PREFIXES = {
    "Gros œuvre, maçonnerie": ("F1701", "F1703", "F1704"),
    "Peinture intérieure": ("F1606",),
    "Plâtrerie, cloisons, faux plafonds": ("F1601", "F1604"),
    "Menuiseries intérieures et extérieures": ("F1607", "H2206", "F1604"),
    "Charpente métallique": ("F1502",),
    "Charpente bois, couverture, zinguerie": ("F1503", "F1610"),
    "Électricité": ("F1602",),
    "Plomberie, chauffage, ventilation": ("F1603", "I1306"),
    "Carrelage, revêtements de sols": ("F1608", "F1609"),
    "Démolition, désamiantage": ("F1704", "F1701"),
    "Voirie et réseaux divers (VRD)": ("F1702", "F1705", "F1704"),
    "Terrassement": ("F1302", "F1704"),
    "Nettoyage des locaux": ("K2204",),
    "Entretien des espaces verts": ("A1203",),
    "Collecte et tri des déchets": ("K2303", "K2304"),
    "Restauration collective": ("G1602", "G1603", "G1605"),
}
# When the lot's trade is not above: by sector (building and public works: the whole F domain).
SECTOR_ROME_PREFIXES = {
    "building": ("F",),
    "public_works": ("F17", "F13"),
    "cleaning": ("K2204",),
    "green_spaces": ("A1203",),
    "waste": ("K23",),
    "catering": ("G16",),
}


def radius_from(value):
    """The radius asked for (?rayon=), one of RADII; the default otherwise."""
    try:
        radius = int(value)
    except (TypeError, ValueError):
        return DEFAULT_RADIUS
    return radius if radius in RADII else DEFAULT_RADIUS


def rome_prefixes(lot):
    if lot.trade_id and lot.trade.name in TRADE_ROME_PREFIXES:
        return TRADE_ROME_PREFIXES[lot.trade.name]
    return SECTOR_ROME_PREFIXES.get(lot.sector, ())


@dataclass
class Row:
    name: str
    kind: str
    distance_km: float | None = None
    organisation: Organisation | None = None
    emplois: object = None  # the EmploisStructure, when les emplois lists it
    posts: list = field(default_factory=list)  # open posts that fit the lot
    other_posts: int = 0  # open posts of other trades
    commune: Commune | None = None  # the commune of les emplois' address, when Clausier knows it

    @property
    def in_directory(self):
        return self.organisation is not None

    @property
    def is_disability(self):
        return self.kind in DISABILITY_STRUCTURE_KINDS

    @property
    def town(self):
        if self.organisation is not None and self.organisation.commune_id:
            return self.organisation.commune.name
        if self.commune is not None:
            return self.commune.name
        return self.emplois.town if self.emplois else ""


@dataclass
class Sourcing:
    lot: object
    radius: int
    rows: list
    origin_known: bool
    notice: str = ""  # why les emplois is missing, in French
    skipped: int = 0
    incomplete: bool = False
    filtered_by_trade: bool = False
    advice: list = field(default_factory=list)


def _cache_key(insee_code, radius):
    return f"sourcing:emplois:{insee_code}:{radius}"


def _default_client():
    return EmploisClient(settings.CLAUSIER["EMPLOIS_API_URL"])


def emplois_answer(insee_code, radius, client_factory=_default_client):
    """(answer, notice): les emplois' structures around the commune, from the cache when there."""
    key = _cache_key(insee_code, radius)
    kept = cache.get(key)
    if kept is not None:
        return kept
    try:
        with client_factory() as client:
            result = (client.siaes_around(insee_code, radius), "")
    except EmploisUnavailable as error:
        result = (None, str(error))
        cache.set(key, result, FAILURE_CACHE_SECONDS)
        return result
    cache.set(key, result, CACHE_SECONDS)
    return result


def _coordinates(organisation):
    if organisation.latitude is not None and organisation.longitude is not None:
        return organisation.latitude, organisation.longitude
    commune = organisation.commune
    if commune is not None and commune.latitude is not None and commune.longitude is not None:
        return commune.latitude, commune.longitude
    return None


def _distance(origin, point):
    if origin is None or point is None:
        return None
    return round(haversine_km(*origin, *point), 1)


def directory_rows(origin, radius):
    """The directory's open inclusion structures placed within ``radius`` km of ``origin``."""
    south, north, west, east = bounding_box(*origin, radius)
    structures = (
        Organisation.objects.filter(kind=Organisation.Kind.INCLUSION_STRUCTURE)
        .exclude(
            register_status__in=[
                Organisation.RegisterStatus.CLOSED_ESTABLISHMENT,
                Organisation.RegisterStatus.CEASED_COMPANY,
            ]
        )
        .alias(lat=Coalesce("latitude", "commune__latitude"), lon=Coalesce("longitude", "commune__longitude"))
        .filter(lat__range=(south, north), lon__range=(west, east))
        .select_related("commune")
    )
    rows = []
    for organisation in structures:
        distance = _distance(origin, _coordinates(organisation))
        if distance is not None and distance <= radius:
            rows.append(Row(organisation.name, organisation.structure_kind, distance, organisation))
    return rows


def _town_key(name):
    """« BOURG EN BRESSE », « Bourg-en-Bresse » and « St-Denis » as Saint-Denis: one key."""
    words = re.sub(r"[^a-z0-9]+", " ", search_key(name)).split()
    return " ".join("saint" if word == "st" else "sainte" if word == "ste" else word for word in words)


def _postal_codes(commune):
    return re.findall(r"\d{5}", commune.postal_codes)


def emplois_communes(structures):
    """{siret: Commune} for les emplois' structures whose commune Clausier knows (Ain), in one query."""
    codes = {s.postal_code for s in structures if s.postal_code}
    insee_codes = {s.insee_code for s in structures if s.insee_code}
    if not codes and not insee_codes:
        return {}
    condition = Q(insee_code__in=insee_codes)
    for code in codes:
        condition |= Q(postal_codes__contains=code)
    communes = list(Commune.objects.filter(condition, is_current=True))
    by_insee = {c.insee_code: c for c in communes}
    found = {}
    for structure in structures:
        if structure.insee_code in by_insee:
            found[structure.siret] = by_insee[structure.insee_code]
            continue
        same_code = [c for c in communes if structure.postal_code in _postal_codes(c)]
        named = [c for c in same_code if _town_key(c.name) == _town_key(structure.town)]
        if named or len(same_code) == 1:
            found[structure.siret] = (named or same_code)[0]
    return found


def _fitting_posts(row, structure, prefixes):
    open_posts = [post for post in structure.posts if post.is_open]
    row.posts = [p for p in open_posts if not prefixes or p.rome.startswith(prefixes)]
    row.other_posts = len(open_posts) - len(row.posts)


def _merge(rows, structures, origin, prefixes):
    """Les emplois' structures into the directory's rows: same SIRET, same row."""
    by_siret = {row.organisation.siret: row for row in rows if row.organisation.siret}
    known = {
        o.siret: o
        for o in Organisation.objects.filter(siret__in=[s.siret for s in structures]).select_related("commune")
    }
    communes = emplois_communes([s for s in structures if s.siret not in known])
    for structure in structures:
        row = by_siret.get(structure.siret)
        if row is None:
            organisation = known.get(structure.siret)
            commune = communes.get(structure.siret)
            point = _coordinates(organisation) if organisation else None
            if point is None and commune is not None and commune.latitude is not None:
                point = (commune.latitude, commune.longitude)
            name = organisation.name if organisation else structure.name
            row = Row(name, structure.kind, _distance(origin, point), organisation, commune=commune)
            rows.append(row)
            by_siret[structure.siret] = row
        row.emplois = structure
        _fitting_posts(row, structure, prefixes)


def _origin(lot):
    commune = lot.contract.operation.commune
    if commune.latitude is None or commune.longitude is None:
        return None
    return commune.latitude, commune.longitude


def build(lot, radius, client_factory=_default_client):
    """The sourcing panel of ``lot`` (read with its trade and its operation's commune)."""
    origin = _origin(lot)
    rows = directory_rows(origin, radius) if origin else []
    answer, notice = emplois_answer(lot.contract.operation.commune.insee_code, radius, client_factory)
    prefixes = rome_prefixes(lot)
    if answer is not None:
        _merge(rows, answer.structures, origin, prefixes)
    rows.sort(key=lambda row: (row.distance_km is None, row.distance_km or 0, row.name))
    clause = getattr(lot, "clause", None)
    advice = sourcing_rules.advise([(row.name, row.kind) for row in rows], radius, clause.legal_basis if clause else "")
    return Sourcing(
        lot=lot,
        radius=radius,
        rows=rows,
        origin_known=origin is not None,
        notice=notice,
        skipped=answer.skipped if answer else 0,
        incomplete=bool(answer and not answer.complete),
        filtered_by_trade=bool(prefixes),
        advice=advice,
    )


def import_from_emplois(lot, radius, siret, client_factory=_default_client):
    """(organisation, created) for the structure of les emplois with ``siret`` around the lot; a
    ``LookupError`` when les emplois no longer lists it, ``EmploisUnavailable`` when unreachable."""
    insee_code = lot.contract.operation.commune.insee_code
    answer, notice = emplois_answer(insee_code, radius, client_factory)
    if answer is None:
        raise EmploisUnavailable(notice)
    structure = next((s for s in answer.structures if s.siret == siret), None)
    if structure is None:
        raise LookupError(siret)
    commune = emplois_communes([structure]).get(structure.siret)
    return import_structure(structure, commune)
