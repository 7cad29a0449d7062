"""The digest's section « Titulaires fermés »: the lots still running, in the user's territory,
whose holder, co-contractor or subcontractor the Sirene register says closed (the weekly check,
partners.register_checks). Shown on the facilitator's dashboard and in the weekly e-mail."""

from django.urls import reverse

from clauses.models import LotAward
from partners.models import Organisation

from . import digest
from .permissions import is_facilitator_or_admin, visible_lots

TITLE = "Titulaires fermés"
LIMIT = 50
CLOSED = [Organisation.RegisterStatus.CLOSED_ESTABLISHMENT, Organisation.RegisterStatus.CEASED_COMPANY]


def closed_holders(user, on):
    if not is_facilitator_or_admin(user):
        return []
    awards = (
        LotAward.objects.filter(lot__in=visible_lots(user), lot__end_date__gte=on, company__register_status__in=CLOSED)
        .select_related("lot", "company")
        .order_by("-company__closed_on", "lot__pk")[:LIMIT]
    )
    items = []
    for award in awards:
        company = award.company
        closure = company.get_register_status_display().lower()
        when = f" le {company.closed_on:%d/%m/%Y}" if company.closed_on else ""
        items.append(
            {
                "label": f"{company.name} ({award.get_role_display().lower()}) — {award.lot}",
                "url": reverse("clauses:lot_detail", args=[award.lot_id]),
                "detail": f"{closure}{when} selon le répertoire Sirene ; SIRET {company.siret}",
            }
        )
    return items


def register():
    # Reads lots, awards and organisations only: a register check that closes a holder saves the
    # organisation, which changes the figures' version.
    digest.register_section(TITLE, closed_holders, follows_version=True)
