"""The directory checked against the Sirene register: the lookup a form makes when a SIRET is
typed, what is recorded on an organisation, and the weekly check of every SIRET of the directory.

A lookup's answer is kept a day in the cache: the form asks once while the user types, and the
save that follows reads the same answer instead of calling the service again.
"""

import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import register_client
from .models import Commune, Organisation
from .register_client import RegisterUnavailable
from .register_records import MalformedAnswer

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600
UNKNOWN = "unknown"


@dataclass(frozen=True)
class Lookup:
    """``entry`` when the register knows the SIRET; ``unknown`` when it does not; ``error`` (a
    message in French) when the service could not be read."""

    entry: object = None
    unknown: bool = False
    error: str = ""


def _cache_key(siret):
    return f"sirene:{siret}"


def look_up(siret, client_factory=register_client.for_page):
    """The register's answer for ``siret``, from the cache or the service; never raises."""
    cached = cache.get(_cache_key(siret))
    if cached is not None:
        return Lookup(unknown=True) if cached == UNKNOWN else Lookup(entry=cached)
    try:
        with client_factory() as client:
            entry = client.find(siret)
    except RegisterUnavailable as error:
        return Lookup(error=str(error))
    except MalformedAnswer:
        return Lookup(error=f"{register_client.SERVICE} a donné une réponse illisible. {register_client.HINT}")
    cache.set(_cache_key(siret), entry if entry is not None else UNKNOWN, CACHE_SECONDS)
    return Lookup(entry=entry) if entry is not None else Lookup(unknown=True)


def cached_entry(siret):
    cached = cache.get(_cache_key(siret))
    return None if cached in (None, UNKNOWN) else cached


def commune_of(entry):
    """The directory's commune of the establishment (only Ain's communes are known), or None."""
    if not entry.insee_code:
        return None
    return Commune.objects.filter(insee_code=entry.insee_code).first()


REGISTER_FIELDS = [
    "legal_form",
    "is_siae",
    "is_ess",
    "register_status",
    "closed_on",
    "latitude",
    "longitude",
    "register_checked_at",
]

# The identity fields a register answer fills when they are empty.
SAVED_FIELDS = [*REGISTER_FIELDS, "address", "commune", "size_band", "naf_code"]


def apply_entry(organisation, entry, checked_at):
    """Write on ``organisation`` what the register says (not saved). Returns True when the
    establishment was open and is now found closed."""
    was_open = not organisation.is_closed
    organisation.legal_form = entry.legal_form
    organisation.is_siae = entry.is_siae
    organisation.is_ess = entry.is_ess
    organisation.register_status = entry.status
    organisation.closed_on = entry.closed_on
    organisation.latitude = entry.latitude
    organisation.longitude = entry.longitude
    organisation.register_checked_at = checked_at
    if not organisation.address and entry.address:
        organisation.address = entry.address
    if not organisation.commune_id:
        organisation.commune = commune_of(entry)
    if not organisation.size_band and entry.size_band:
        organisation.size_band = entry.size_band
    if not organisation.naf_code and entry.naf_code:
        organisation.naf_code = entry.naf_code
    return was_open and organisation.is_closed


def record_known_entry(organisation):
    """After a form saved an organisation: record the register's answer the form already got."""
    entry = cached_entry(organisation.siret) if organisation.siret else None
    if entry is None:
        return False
    apply_entry(organisation, entry, timezone.now())
    organisation.save(update_fields=SAVED_FIELDS)
    return True


@dataclass
class CheckSummary:
    checked: int = 0
    newly_closed: int = 0
    unknown: int = 0
    failed: int = 0
    error: str = ""

    def __str__(self):
        text = (
            f"{self.checked} SIRET vérifiés au répertoire Sirene, dont {self.newly_closed} "
            f"nouvellement fermés ; {self.unknown} inconnus du répertoire"
        )
        if self.failed:
            text += f" ; {self.failed} non vérifiés ({self.error})"
        return text + "."


def check_organisations(organisations, client_factory=register_client.for_job):
    """Check each organisation's SIRET in the register, oldest check first; one that the service
    cannot answer stops the run (the rest is checked next time), nothing half-written."""
    summary = CheckSummary()
    pending = list(organisations)
    with client_factory() as client:
        for index, organisation in enumerate(pending):
            try:
                entry = client.find(organisation.siret)
            except (RegisterUnavailable, MalformedAnswer) as error:
                summary.failed = len(pending) - index
                summary.error = str(error)
                logger.warning("Contrôle Sirene interrompu : %s", error)
                break
            summary.checked += 1
            if entry is None:
                summary.unknown += 1
                Organisation.objects.filter(pk=organisation.pk).update(register_checked_at=timezone.now())
                continue
            cache.set(_cache_key(organisation.siret), entry, CACHE_SECONDS)
            with transaction.atomic():
                if apply_entry(organisation, entry, timezone.now()):
                    summary.newly_closed += 1
                organisation.save(update_fields=SAVED_FIELDS)
    return summary


def due_for_check():
    """Every organisation with a SIRET, never checked first, then the oldest check."""
    return Organisation.objects.exclude(siret="").order_by(F("register_checked_at").asc(nulls_first=True), "pk")
