"""Build the open dataset of a year: a bounded number of queries whatever the number of lots."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db.models import F, Min, Q, Sum
from django.utils import timezone

from clauses.models import Lot
from placements.eligibility import age_on
from placements.models import DeclarationLine, EligibilityCriterion, Participant
from procurement.models import PublishedContract

from . import rules, schema
from .models import OpenDataset

ZERO = Decimal(0)


def _lots(start, end):
    """Lots with an insertion clause whose execution overlaps the year (one query)."""
    return list(
        Lot.objects.filter(clause__isnull=False, start_date__lte=end, end_date__gte=start)
        .with_required_data(clause_texts=False)
        .annotate(
            buyer_siret=F("contract__operation__buyer__siret"),
            buyer_name=F("contract__operation__buyer__name"),
            contract_title=F("contract__title"),
        )
        .order_by("pk")
    )


def _decp_uids(lots):
    """The DECP national id of each lot: its own published record, else its contract's (one query)."""
    by_lot, by_contract = {}, {}
    records = PublishedContract.objects.followed().filter(
        Q(lot__in=[lot.pk for lot in lots]) | Q(contract__in={lot.contract_id for lot in lots})
    )
    for uid, lot_id, contract_id in records.order_by("uid").values_list("uid", "lot", "contract"):
        if lot_id:
            by_lot.setdefault(lot_id, uid)
        elif contract_id:
            by_contract.setdefault(contract_id, uid)
    return {lot.pk: by_lot.get(lot.pk) or by_contract.get(lot.contract_id, "") for lot in lots}


def _hours_by_lot_and_person(lots, start, end):
    rows = (
        DeclarationLine.objects.counted()
        .filter(placement__lot__in=[lot.pk for lot in lots], declaration__month__gte=start, declaration__month__lte=end)
        .values("placement__lot", "placement__participant")
        .annotate(total=Sum("hours"))
        .order_by()
    )
    found = defaultdict(dict)
    for row in rows:
        found[row["placement__lot"]][row["placement__participant"]] = row["total"]
    return found


def _people_categories(ids):
    """Categories of each person (two queries); no personal datum leaves this function."""
    criteria = defaultdict(set)
    for person, code in EligibilityCriterion.objects.filter(participant__in=ids).values_list(
        "participant", "criterion"
    ):
        criteria[person].add(code)
    people = (
        Participant.objects.filter(pk__in=ids)
        .annotate(first_start=Min("placements__start_date"))
        .values_list("pk", "birth_date", "rsa_at_entry", "first_start")
    )
    return {
        pk: rules.person_categories(age_on(birth, first) if first else None, rsa, criteria[pk])
        for pk, birth, rsa, first in people
    }


def figures(year):
    """The ``rules.LotFigures`` of every lot of the year."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    lots = _lots(start, end)
    uids = _decp_uids(lots)
    hours = _hours_by_lot_and_person(lots, start, end)
    categories = _people_categories({person for people in hours.values() for person in people})
    result = []
    for lot in lots:
        people = hours.get(lot.pk, {})
        counts = {code: sum(code in categories.get(p, ()) for p in people) for code in schema.CATEGORIES}
        result.append(
            rules.LotFigures(
                year=year,
                lot_key=f"CLAUSIER-LOT-{lot.pk}",
                buyer_siret=lot.buyer_siret or "",
                buyer_name=lot.buyer_name,
                decp_uid=uids[lot.pk],
                contract_object=lot.contract_title,
                lot_object=lot.title,
                legal_basis=rules.ARTICLES[lot.clause.legal_basis],
                hours_required=lot.hours_required or ZERO,
                hours_validated=sum(people.values(), ZERO),
                people=len(people),
                categories=counts,
            )
        )
    return result


def csv_text(year):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=schema.COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = [rules.build_row(item) for item in figures(year)]
    writer.writerows(rows)
    return buffer.getvalue(), len(rows)


def _set(dataset, **fields):
    OpenDataset.objects.filter(pk=dataset.pk).update(**fields)
    for name, value in fields.items():
        setattr(dataset, name, value)


def build(dataset):
    """Fill ``dataset`` (running → done, or failed with a French message)."""
    _set(dataset, status=OpenDataset.Status.RUNNING, progress=10, error="")
    try:
        text, count = csv_text(dataset.year)
        _set(dataset, progress=80)
        old = dataset.file.name
        dataset.file.save(dataset.filename, ContentFile(text.encode("utf-8")), save=False)
        if old and old != dataset.file.name:
            dataset.file.storage.delete(old)
        _set(
            dataset,
            file=dataset.file.name,
            row_count=count,
            status=OpenDataset.Status.DONE,
            progress=100,
            built_at=timezone.now(),
        )
    except Exception:
        _set(
            dataset, status=OpenDataset.Status.FAILED, error="La construction du jeu de données a échoué. Relancez-la."
        )
        raise
    return dataset


def queue(year):
    """The year's row, queued (created, or reset for a new build)."""
    dataset, _ = OpenDataset.objects.get_or_create(year=year)
    OpenDataset.objects.filter(pk=dataset.pk).update(status=OpenDataset.Status.QUEUED, progress=0, error="")
    dataset.refresh_from_db()
    return dataset
