"""Which declaration lines count for a clause, written once (domain.md, how hours are counted):
the current version of a line, validated, inside the person's counting window.

The lines live in ``placements`` (``DeclarationLine``), which ``clauses`` may not import: the rule
is a set of field conditions that both apps read — ``DeclarationLine.objects.counted()`` and the
lots' validated hours (``clauses.models._validated_hours``, through the relation names)."""

from django.db.models import Q

VALIDATED = "validated"  # DeclarationLine.Status.VALIDATED
COUNTED_LINE = {"is_current": True, "status": VALIDATED, "counted": True}


def counted_lines(prefix=""):
    """The rule as a ``Q``, on ``DeclarationLine`` itself or through ``prefix`` (e.g.
    ``"placements__declaration_lines__"`` from a lot)."""
    return Q(**{f"{prefix}{field}": value for field, value in COUNTED_LINE.items()})
