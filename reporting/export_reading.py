"""What every export of ``exports`` reads the same way: the lots of the scope and period, their labels, the title."""

from decimal import Decimal

from .permissions import visible_lots

ZERO = Decimal(0)


# Shared reading ----------------------------------------------------------------------------


def _lots(user, period, scope):
    """The lots of the scope the user may see whose dates touch the period (a queryset)."""
    return scope.lots(visible_lots(user)).filter(start_date__lte=period.end, end_date__gte=period.start)


def _lot_label(reference, number, title):
    return f"{reference} — lot {number} — {title}"


def _title(subject, period, scope):
    return f"{subject} — {period.label} — {scope.label}"
