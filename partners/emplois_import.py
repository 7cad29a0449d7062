"""A structure of les emplois de l'inclusion into the directory, in one click, de-duplicated by SIRET."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Organisation
from .tasks import schedule_register_check


def import_structure(structure, commune=None):
    """(organisation, created): the directory's organisation with that SIRET when there is one (it is
    linked, never duplicated), else a new inclusion structure from what les emplois says."""
    existing = Organisation.objects.filter(siret=structure.siret).first()
    if existing is not None:
        return existing, False
    organisation = Organisation(
        name=structure.name[:200],
        kind=Organisation.Kind.INCLUSION_STRUCTURE,
        structure_kind=structure.kind,
        siret=structure.siret,
        address=structure.address[:250],
        commune=commune,
        notes=f"Importée depuis les emplois de l'inclusion le {timezone.localdate():%d/%m/%Y}.",
    )
    try:
        with transaction.atomic():
            organisation.save()
    except IntegrityError:  # the same SIRET saved by another request meanwhile
        return Organisation.objects.get(siret=structure.siret), False
    schedule_register_check([organisation.pk])  # its Sirene facts (SIAE, ESS, closure) by the worker
    return organisation, True
