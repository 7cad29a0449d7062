"""Writes that touch several models of clauses, each in one transaction."""

from django.db import transaction


@transaction.atomic
def save_lot_with_clause(lot_form, clause_form):
    """Save a lot and its clause together: both or neither."""
    lot = lot_form.save()
    clause = clause_form.save(commit=False)
    clause.lot = lot
    clause.save()
    return lot
