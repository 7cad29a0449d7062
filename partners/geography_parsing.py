"""Reading of the geo.api.gouv.fr answers for the geography refresh (``geography_refresh``); pure.

Each item becomes a ``CommuneItem`` or an ``EpciItem``, or a problem, in French, saying which item
and why; ``commune_changes`` and ``epci_changes`` tell what applying an item would change.
"""

import math
from decimal import Decimal

from .geography_items import (
    COMMUNE_CODE,
    COORDINATE_STEP,
    EPCI_KIND_PREFIXES,
    POSTAL_CODE,
    SIREN,
    CommuneItem,
    EpciItem,
    RefreshRefused,
    Territory,
)
from .models import Epci

# Reading the answers (pure)


def _text(value):
    return value.strip() if isinstance(value, str) else ""


def _integer(value):
    """A whole number ≥ 0, or None (booleans and strings are not numbers here)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return None
    return value


def _coordinate(value, bound):
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    if not -bound <= value <= bound:
        return None
    return Decimal(str(value)).quantize(COORDINATE_STEP)


def parse_centre(centre):
    """``(latitude, longitude)`` from a GeoJSON point ``{"type": "Point", "coordinates": [lon, lat]}``.

    ``None`` when there is no centre; ``ValueError`` when there is one that cannot be read."""
    if centre is None:
        return None
    if not isinstance(centre, dict) or centre.get("type") != "Point":
        raise ValueError("centre illisible (un point GeoJSON est attendu)")
    coordinates = centre.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) != 2:
        raise ValueError("centre illisible (deux coordonnées sont attendues : longitude, latitude)")
    longitude, latitude = _coordinate(coordinates[0], 180), _coordinate(coordinates[1], 90)
    if latitude is None or longitude is None:
        raise ValueError(f"coordonnées du centre impossibles ({coordinates[0]!r}, {coordinates[1]!r})")
    return latitude, longitude


def parse_commune(item, department):
    """A ``CommuneItem`` from one item of ``/communes``; ``ValueError`` with the reason otherwise."""
    code = _text(item.get("code"))
    if not COMMUNE_CODE.match(code):
        raise ValueError("code INSEE absent ou illisible")
    if not code.startswith(department):
        raise ValueError(f"commune hors du département {department}")
    name = _text(item.get("nom"))
    if not name or len(name) > 150:
        raise ValueError("nom absent ou trop long")
    epci_siren = _text(item.get("codeEpci"))
    if not SIREN.match(epci_siren):
        raise ValueError("EPCI absent ou illisible (codeEpci)")
    siren = item.get("siren")
    if siren is not None and not SIREN.match(_text(siren)):
        raise ValueError(f"SIREN illisible ({siren!r})")
    postal_codes = item.get("codesPostaux")
    if postal_codes is not None:
        if not isinstance(postal_codes, list) or not all(
            isinstance(value, str) and POSTAL_CODE.match(value) for value in postal_codes
        ):
            raise ValueError("codes postaux illisibles")
        postal_codes = " ".join(sorted(set(postal_codes))) or None
        if postal_codes and len(postal_codes) > 60:
            raise ValueError("trop de codes postaux")
    population = item.get("population")
    if population is not None and _integer(population) is None:
        raise ValueError(f"population illisible ({population!r})")
    centre = parse_centre(item.get("centre"))
    latitude, longitude = centre if centre else (None, None)
    return CommuneItem(
        insee_code=code,
        name=name,
        epci_siren=epci_siren,
        siren=_text(siren) or None,
        postal_codes=postal_codes,
        population=population,
        latitude=latitude,
        longitude=longitude,
    )


def epci_kind(type_code, name):
    """CA or CC, from the API's ``type`` or else from the name (« CC de la Dombes »); None otherwise."""
    if type_code in Epci.Kind.values:
        return type_code
    for prefix, kind in EPCI_KIND_PREFIXES.items():
        if name.startswith(prefix):
            return kind
    return None


def parse_epci(item):
    """An ``EpciItem`` from one item of ``/epcis``; ``ValueError`` with the reason otherwise."""
    siren = _text(item.get("code"))
    if not SIREN.match(siren):
        raise ValueError("SIREN absent ou illisible (code)")
    name = _text(item.get("nom"))
    if not name or len(name) > 150:
        raise ValueError("nom absent ou trop long")
    departments = item.get("codesDepartements")
    if departments is not None:
        if not isinstance(departments, list) or not departments or not all(isinstance(d, str) for d in departments):
            raise ValueError("départements illisibles (codesDepartements)")
        departments = "/".join(sorted(set(departments)))
    population = item.get("population")
    if population is not None and _integer(population) is None:
        raise ValueError(f"population illisible ({population!r})")
    return EpciItem(
        siren=siren,
        name=name,
        kind=epci_kind(_text(item.get("type")), name),
        departments=departments,
        population=population,
    )


def _label(kind, position, item):
    code = _text(item.get("code")) if isinstance(item, dict) else ""
    return f"{kind} n° {position}" + (f" ({code})" if code else "")


def parse(communes, epcis, delegated=None, *, department):
    """The three answers read into a ``Territory``; ``RefreshRefused`` when they cannot be used."""
    if not isinstance(communes, list) or not communes:
        raise RefreshRefused(
            "La liste des communes est vide ou illisible : rien n'a été changé (une réponse vide ne vide "
            "jamais le territoire)."
        )
    if not isinstance(epcis, list) or not epcis:
        raise RefreshRefused("La liste des EPCI est vide ou illisible : rien n'a été changé.")
    if delegated is not None and not isinstance(delegated, list):
        raise RefreshRefused("La liste des communes déléguées et associées est illisible : rien n'a été changé.")
    territory = Territory(department=department)
    for position, item in enumerate(epcis, start=1):
        try:
            if not isinstance(item, dict):
                raise ValueError("ce n'est pas un EPCI")
            epci = parse_epci(item)
        except ValueError as error:
            territory.problems.append(f"{_label('EPCI', position, item)} : {error}.")
        else:
            territory.epcis[epci.siren] = epci
    for position, item in enumerate(communes, start=1):
        code = _text(item.get("code")) if isinstance(item, dict) else ""
        if COMMUNE_CODE.match(code) and code.startswith(department):
            territory.codes_seen.add(code)
            epci_siren = _text(item.get("codeEpci"))
            if epci_siren:
                territory.members[epci_siren] += 1
        elif not code:
            territory.items_without_code += 1
        try:
            if not isinstance(item, dict):
                raise ValueError("ce n'est pas une commune")
            commune = parse_commune(item, department)
        except ValueError as error:
            territory.problems.append(f"{_label('Commune', position, item)} : {error}.")
        else:
            territory.communes[commune.insee_code] = commune
    if len(territory.communes) * 2 < len(communes):
        raise RefreshRefused(
            f"La liste des communes est inutilisable : {len(communes) - len(territory.communes)} éléments "
            f"illisibles sur {len(communes)}. Rien n'a été changé."
        )
    for item in delegated or []:
        if isinstance(item, dict):
            code, chef_lieu = _text(item.get("code")), _text(item.get("chefLieu"))
            if COMMUNE_CODE.match(code) and COMMUNE_CODE.match(chef_lieu) and code != chef_lieu:
                territory.successors[code] = chef_lieu
    return territory


def commune_changes(commune, item, epci):
    """The fields of ``commune`` that ``item`` changes, with their new values (pure)."""
    wanted = {"name": item.name, "epci": epci}
    for name in ("siren", "postal_codes", "population", "latitude", "longitude"):
        value = getattr(item, name)
        if value is not None:
            wanted[name] = value
    changes = {}
    for name, value in wanted.items():
        current = commune.epci_id if name == "epci" else getattr(commune, name)
        if (value.pk if name == "epci" else value) != current:
            changes[name] = value
    if not commune.is_current:
        changes.update(is_current=True, ended_on=None, merged_into=None)
    return changes


def epci_changes(epci, item, members, department):
    """The fields of ``epci`` that ``item`` changes (pure); ``members`` = its communes in the answer."""
    departments = item.departments or epci.departments or department
    wanted = {"name": item.name, "communes_in_ain": members, "departments": departments}
    if item.kind:
        wanted["kind"] = item.kind
    if item.population is not None:
        wanted["population"] = item.population
    # The total is known only for an EPCI that lies wholly in the department; else kept (at least
    # its communes here).
    if departments == department or (epci.communes_total or 0) < members:
        wanted["communes_total"] = members
    return {name: value for name, value in wanted.items() if getattr(epci, name) != value}
