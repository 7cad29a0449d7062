"""What a DECP record gives the rows of the intake (``decp_intake``): the fields of ``PublishedContract``,
its holders' rows, and the buyers Clausier follows."""

from django.conf import settings

from partners.models import Organisation

from .models import PublishedHolder

# What a record gives each field of PublishedContract.
FIELDS = (
    "decp_id",
    "buyer_siret",
    "buyer_name",
    "subject",
    "cpv_code",
    "procedure",
    "nature",
    "techniques",
    "execution_terms",
    "place_code",
    "place_code_type",
    "department_code",
    "notification_date",
    "publication_date",
    "duration_months",
    "amount",
    "social_considerations",
    "has_social_consideration",
    "modification_count",
    "buyer_id",
)


def department_code():
    return settings.CLAUSIER["DECP_DEPARTMENT_CODE"]


def _values(record, buyers):
    return {
        "decp_id": record.decp_id,
        "buyer_siret": record.buyer_siret,
        "buyer_name": record.buyer_name,
        "subject": record.subject,
        "cpv_code": record.cpv_code,
        "procedure": record.procedure,
        "nature": record.nature,
        "techniques": record.techniques,
        "execution_terms": record.execution_terms,
        "place_code": record.place_code,
        "place_code_type": record.place_code_type,
        "department_code": record.department_code,
        "notification_date": record.notification_date,
        "publication_date": record.publication_date,
        "duration_months": record.duration_months,
        "amount": record.amount,
        "social_considerations": ";".join(record.considerations),
        "has_social_consideration": record.has_social_consideration,
        "modification_count": record.modification_count,
        "buyer_id": buyers.get(record.buyer_siret),
    }


def _summary(holders):
    """The holders' identifiers in one field of the contract, so that its history shows them."""
    return ";".join(sorted({holder.identifier for holder in holders}))[:500]


def _add_holders(record, holders):
    known = {holder.identifier for holder in record.holders}
    record.holders.extend(holder for holder in holders if holder.identifier not in known)


def _holder_row(contract, holder, organisations):
    return PublishedHolder(
        published_contract=contract,
        identifier=holder.identifier,
        identifier_type=holder.identifier_type,
        name=holder.name,
        organisation_id=organisations.get(holder.identifier) if holder.identifier_type == "SIRET" else None,
    )


def _known_buyers():
    """SIRET of the buyers Clausier follows: their contracts belong to the territory wherever done."""
    return frozenset(Organisation.objects.filter(siret__isnull=False).exclude(siret="").values_list("siret", flat=True))
