"""The refresh of the communes and EPCI of the department from geo.api.gouv.fr (or from the same
lists saved as JSON files), applied in one transaction.

Reading the answers (``parse_*``) is pure: each item becomes a ``CommuneItem`` or an ``EpciItem``,
or a problem, in French, saying which item and why. Applying them (``apply``) creates the new
communes and EPCI and updates the others; a commune absent from the answer is never deleted
(operations, participants, organisations point at it): it is ended (``is_current=False``,
``ended_on`` today) and, when the list of communes déléguées says so, ``merged_into`` the commune
nouvelle. An answer that would wipe the territory (empty, mostly unreadable, or missing a large
share of the communes) is refused whole: nothing is written.
"""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import Commune, Epci, Organisation

COMMUNE_CODE = re.compile(r"^[0-9][0-9AB][0-9]{3}$")
SIREN = re.compile(r"^[0-9]{9}$")
POSTAL_CODE = re.compile(r"^[0-9]{5}$")
COORDINATE_STEP = Decimal("0.00001")
# An answer that would end more than this share of the department's communes is refused: a year
# of mergers ends a few percent of them, never a quarter.
MAX_ENDED_SHARE = 0.25
# Problems listed in the summary; the others are counted.
PROBLEMS_SHOWN = 20
EPCI_KIND_PREFIXES = {"CA ": Epci.Kind.CA, "CC ": Epci.Kind.CC}
COMMUNE_FIELDS = ["name", "siren", "postal_codes", "population", "epci", "latitude", "longitude"]


class RefreshRefused(Exception):
    """The answer cannot be used; nothing was written. The message says why, in French."""


@dataclass(frozen=True)
class CommuneItem:
    insee_code: str
    name: str
    epci_siren: str
    siren: str | None = None
    postal_codes: str | None = None
    population: int | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None


@dataclass(frozen=True)
class EpciItem:
    siren: str
    name: str
    kind: str | None = None
    departments: str | None = None
    population: int | None = None


@dataclass
class Territory:
    """The answers once read: what can be applied, and what could not be read."""

    department: str
    communes: dict = field(default_factory=dict)  # INSEE code → CommuneItem
    epcis: dict = field(default_factory=dict)  # SIREN → EpciItem
    successors: dict = field(default_factory=dict)  # code of a commune déléguée → code of its commune
    codes_seen: set = field(default_factory=set)  # every commune code of the answer, readable or not
    members: Counter = field(default_factory=Counter)  # SIREN of an EPCI → its communes in the answer
    items_without_code: int = 0
    problems: list = field(default_factory=list)


@dataclass
class Summary:
    created: int = 0
    updated: int = 0
    merged: int = 0
    ended: int = 0
    unchanged: int = 0
    epci_created: int = 0
    epci_updated: int = 0
    epci_unchanged: int = 0
    problems: list = field(default_factory=list)
    ending_suspended: bool = False

    def counts(self):
        return {
            "created": self.created,
            "updated": self.updated,
            "merged": self.merged,
            "ended": self.ended,
            "unchanged": self.unchanged,
            "epci_created": self.epci_created,
            "epci_updated": self.epci_updated,
            "epci_unchanged": self.epci_unchanged,
            "problems": len(self.problems),
        }

    def lines(self):
        lines = [
            f"Communes : {_count(self.created, 'nouvelle', 'nouvelles')}, "
            f"{_count(self.updated, 'mise à jour', 'mises à jour')}, "
            f"{_count(self.merged, 'fusionnée dans une commune nouvelle', 'fusionnées dans une commune nouvelle')}, "
            f"{_count(self.ended, 'supprimée sans successeur connu', 'supprimées sans successeur connu')}, "
            f"{_count(self.unchanged, 'inchangée', 'inchangées')}.",
            f"EPCI : {_count(self.epci_created, 'nouveau', 'nouveaux')}, "
            f"{_count(self.epci_updated, 'mis à jour', 'mis à jour')}, "
            f"{_count(self.epci_unchanged, 'inchangé', 'inchangés')}.",
        ]
        if self.ending_suspended:
            lines.append(
                "Des éléments sans code INSEE empêchent de savoir quelles communes ont disparu : "
                "aucune commune n'a été marquée supprimée."
            )
        if self.problems:
            lines.append(f"{_count(len(self.problems), 'élément ignoré', 'éléments ignorés')} :")
            lines += [f"  - {problem}" for problem in self.problems[:PROBLEMS_SHOWN]]
            if len(self.problems) > PROBLEMS_SHOWN:
                lines.append(f"  … et {len(self.problems) - PROBLEMS_SHOWN} autres.")
        return lines

    def text(self):
        return "\n".join(self.lines())


def _count(number, singular, plural):
    return f"{number} {singular if number in (0, 1) else plural}"


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


# Applying them (one transaction)


def _apply_epcis(territory, summary):
    existing = {epci.siren: epci for epci in Epci.objects.all()}
    for siren, item in territory.epcis.items():
        members = territory.members.get(siren, 0)
        epci = existing.get(siren)
        if epci is None:
            if item.kind is None or item.population is None:
                summary.problems.append(f"EPCI {siren} ({item.name}) : type ou population inconnus, non créé.")
                continue
            epci = Epci(siren=siren, communes_total=0, departments="", population=0, name=item.name)
            for name, value in epci_changes(epci, item, members, territory.department).items():
                setattr(epci, name, value)
            epci.save()
            existing[siren] = epci
            summary.epci_created += 1
            continue
        changes = epci_changes(epci, item, members, territory.department)
        if changes:
            for name, value in changes.items():
                setattr(epci, name, value)
            epci.save(update_fields=list(changes))
            summary.epci_updated += 1
        else:
            summary.epci_unchanged += 1
    return existing


def _apply_communes(territory, epcis, summary):
    existing = {commune.insee_code: commune for commune in Commune.objects.all()}
    sirens = {commune.siren: commune.insee_code for commune in existing.values()}
    renamed = []
    for code, item in sorted(territory.communes.items()):
        epci = epcis.get(item.epci_siren)
        if epci is None:
            summary.problems.append(f"Commune {code} ({item.name}) : EPCI {item.epci_siren} inconnu, ignorée.")
            continue
        if item.siren and sirens.get(item.siren, code) != code:
            summary.problems.append(
                f"Commune {code} ({item.name}) : le SIREN {item.siren} est déjà celui de la commune "
                f"{sirens[item.siren]}, ignorée."
            )
            continue
        commune = existing.get(code)
        if commune is None:
            if item.siren is None or item.population is None:
                summary.problems.append(f"Commune {code} ({item.name}) : SIREN ou population absents, non créée.")
                continue
            commune = Commune(insee_code=code, postal_codes="")
            for name, value in commune_changes(commune, item, epci).items():
                setattr(commune, name, value)
            commune.save()
            existing[code] = commune
            sirens[commune.siren] = code
            summary.created += 1
            continue
        changes = commune_changes(commune, item, epci)
        if not changes:
            summary.unchanged += 1
            continue
        if "name" in changes:
            renamed.append(commune.pk)
        sirens.pop(commune.siren, None)
        for name, value in changes.items():
            setattr(commune, name, value)
        commune.save(update_fields=list(changes))
        sirens[commune.siren] = code
        summary.updated += 1
    return existing, renamed


def _end_vanished(territory, communes, summary, today):
    """Communes of the department absent from the answer: ended, and merged when the list says where."""
    ours = [c for c in communes.values() if c.insee_code.startswith(territory.department)]
    vanished = [c for c in ours if c.is_current and c.insee_code not in territory.codes_seen]
    if vanished and territory.items_without_code:
        summary.ending_suspended = True
        return
    current_count = sum(1 for c in ours if c.is_current)
    if vanished and len(vanished) > MAX_ENDED_SHARE * current_count:
        raise RefreshRefused(
            f"La réponse ferait disparaître {len(vanished)} communes sur {current_count} : elle ne couvre "
            "sans doute pas tout le département. Rien n'a été changé."
        )

    def successor(commune):
        code = territory.successors.get(commune.insee_code)
        target = communes.get(code) if code else None
        return target if target is not None and target.is_current and target.pk != commune.pk else None

    for commune in vanished:
        commune.is_current = False
        commune.ended_on = today
        commune.merged_into = successor(commune)
        commune.save(update_fields=["is_current", "ended_on", "merged_into"])
        if commune.merged_into_id:
            summary.merged += 1
        else:
            summary.ended += 1
    # A commune ended by an earlier refresh whose commune nouvelle is known only now.
    just_ended = {commune.pk for commune in vanished}
    for commune in ours:
        if not commune.is_current and commune.merged_into_id is None and commune.pk not in just_ended:
            target = successor(commune)
            if target is not None:
                commune.merged_into = target
                commune.save(update_fields=["merged_into"])
                summary.merged += 1


def _refresh_search_text(commune_pks):
    """Organisations are found by the name of their commune: a renamed commune renames them too."""
    if not commune_pks:
        return
    for organisation in Organisation.objects.filter(commune__in=commune_pks).select_related("commune"):
        organisation.save(update_fields=["search_text"])


def apply(territory, today=None):
    """Writes ``territory`` in one transaction; returns the ``Summary``. ``RefreshRefused`` writes nothing."""
    today = today or timezone.localdate()
    summary = Summary(problems=list(territory.problems))
    with transaction.atomic():
        epcis = _apply_epcis(territory, summary)
        communes, renamed = _apply_communes(territory, epcis, summary)
        _end_vanished(territory, communes, summary, today)
        _refresh_search_text(renamed)
    return summary


def refresh(communes, epcis, delegated=None, *, department, today=None):
    """Reads and applies the three answers (lists as geo.api.gouv.fr gives them)."""
    return apply(parse(communes, epcis, delegated, department=department), today=today)


def refresh_from_api(department=None, client=None):
    """Reads geo.api.gouv.fr and applies its answer; ``GeoUnavailable`` when it cannot be read."""
    from django.conf import settings

    from .geo_client import GeoClient

    department = department or settings.CLAUSIER["DECP_DEPARTMENT_CODE"]
    client = client or GeoClient()
    with client:
        communes = client.communes(department)
        epcis = client.epcis(department)
        delegated = client.delegated_communes(department)
    return refresh(communes, epcis, delegated, department=department)
