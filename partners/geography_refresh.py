"""The refresh of the communes and EPCI of the department from geo.api.gouv.fr (or from the same
lists saved as JSON files), applied in one transaction.

Reading the answers (``parse_*``) is pure: each item becomes a ``CommuneItem`` or an ``EpciItem``,
or a problem, in French, saying which item and why. Applying them (``apply``) creates the new
communes and EPCI and updates the others; a commune absent from the answer is never deleted
(operations, participants, organisations point at it): it is ended (``is_current=False``,
``ended_on`` today) and, when the list of communes déléguées says so, ``merged_into`` the commune
nouvelle. An answer that would wipe the territory (empty, mostly unreadable, or missing a large
share of the communes) is refused whole: nothing is written.

The items and the summary are in ``geography_items``, the reading of the answers in ``geography_parsing``;
their names stay importable from here.
"""

from django.db import transaction
from django.utils import timezone

from .geography_items import (  # noqa: F401
    COMMUNE_CODE,
    COMMUNE_FIELDS,
    COORDINATE_STEP,
    EPCI_KIND_PREFIXES,
    MAX_ENDED_SHARE,
    POSTAL_CODE,
    PROBLEMS_SHOWN,
    SIREN,
    CommuneItem,
    EpciItem,
    RefreshRefused,
    Summary,
    Territory,
    _count,
)
from .geography_parsing import (  # noqa: F401
    _coordinate,
    _integer,
    _label,
    _text,
    commune_changes,
    epci_changes,
    epci_kind,
    parse,
    parse_centre,
    parse_commune,
    parse_epci,
)
from .models import Commune, Epci, Organisation

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
