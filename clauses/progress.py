"""Progress of lots, contracts, operations and buyers from lots loaded once."""

from collections import defaultdict

from common.dates import today

from . import hours


def lot_parts(lots, on=None):
    """What ``hours.combined_progress`` sums, with each lot's own hours expected by ``on``."""
    on = on or today()
    return [(lot.hours_required, lot.hours_done, lot.start_date, lot.end_date, lot.hours_expected(on)) for lot in lots]


def progress_by(lots, key, on=None):
    """Combined progress of the lots grouped by ``key(lot)`` (a contract id, an operation id…)."""
    on = on or today()
    groups = defaultdict(list)
    for lot in lots:
        groups[key(lot)].append(lot)
    return {group: hours.combined_progress(lot_parts(members, on), on) for group, members in groups.items()}


def total_progress(lots, on=None):
    on = on or today()
    return hours.combined_progress(lot_parts(lots, on), on)


def home_summary(user, on=None, lots=None):
    """What a user's home page shows of clauses: their lots with progress, the ones behind first.

    The lots come with their operation's title and buyer's name as plain values
    (``operation_title``, ``buyer_name``): no related objects to build for hundreds of lots.
    ``lots``: the user's lots already read with those values (the dashboard reads them once)."""
    from django.db.models import F

    from .models import Lot

    on = on or today()
    if lots is None:
        lots = list(
            Lot.objects.for_user(user)
            .with_progress_figures()
            .annotate(
                operation_id=F("contract__operation_id"),
                operation_title=F("contract__operation__title"),
                buyer_name=F("contract__operation__buyer__name"),
            )
            .order_by("end_date")
        )
    else:
        lots = sorted(lots, key=lambda lot: (lot.end_date, lot.pk))
    rows = [(lot, lot.progress(on)) for lot in lots]
    behind = [row for row in rows if row[1].status == hours.BEHIND]
    return {
        "lot_count": len(rows),
        "operation_count": len({lot.operation_id for lot in lots}),
        "behind": behind[:8],
        "behind_count": len(behind),
        "lots": rows[:8],
        "total": total_progress(lots, on),
    }
