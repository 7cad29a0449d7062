"""The digest's section « Nouveaux marchés publiés à suivre »: contracts published in the DECP
during the week with a social consideration, that no facilitator has reviewed yet (procurement).

The DECP is public data of the whole territory: every facilitator gets the same list, and the
first one to review a contract takes it off everybody's next digest."""

from datetime import timedelta

from django.urls import reverse
from django.utils.formats import number_format

from common.dates import day_start
from procurement.models import PublishedContract
from procurement.permissions import can_change_decp

from . import digest

# At most this many listed (the section links to the whole review list).
LIMIT = 50
ONE_DAY = timedelta(days=1)


def new_published_contracts(user, on):
    if not can_change_decp(user):
        return []
    contracts = (
        PublishedContract.objects.to_review()
        .with_social_consideration()
        # Seen on a day of the week to ``on`` (local days), as a range the index of the column serves.
        .filter(first_seen_at__gte=day_start(on - digest.WEEK + ONE_DAY), first_seen_at__lt=day_start(on + ONE_DAY))
        .order_by("-notification_date", "pk")
        .only("pk", "buyer_name", "buyer_siret", "subject", "amount", "notification_date", "social_considerations")[
            :LIMIT
        ]
    )
    return [
        {
            "label": f"{contract.buyer_name or contract.buyer_siret} — {contract.subject[:120]}",
            "url": reverse("procurement:review_detail", args=[contract.pk]),
            "detail": (
                f"notifié le {contract.notification_date:%d/%m/%Y}, "
                f"{number_format(contract.amount, decimal_pos=0, use_l10n=True, force_grouping=True)} € HT ; "
                f"{', '.join(contract.considerations)}"
            ),
        }
        for contract in contracts
    ]


def register():
    digest.register_section(digest.NEW_PUBLISHED_CONTRACTS, new_published_contracts)
