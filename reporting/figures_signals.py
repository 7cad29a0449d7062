"""What changes the data versions of ``figures_cache``: any row of the apps the figures read,
saved or deleted (signals), and the hours written in bulk (``placements.signals``).

A write is pinned on the facilitation bodies whose figures it can move, with at most one small
query (``bodies_of``): an operation's own body; a contract's, a lot's, an award's... through the
operation; a placement's lot's body, its person's body and the bodies of the person's other
placements (their first placement decides what counts); a declaration line's, a follow-up's, an
outcome's through the placement; a declaration's through its lines. Every year at once: the
figures of a year read the lots' progress and the people's placements since the beginning.
Anything else (reference data, counting rules, organisations, memberships, a link table), a row
whose parents are gone (a cascade), a row without a body, or a row moved to another parent (an
operation given to another body, a placement to another lot: the former parent is not known any
more) changes the global version: every figure moves.

Inside a transaction, the rows saved most (declaration lines, follow-ups, outcomes, placements,
eligibility criteria, awards, clauses, invoiced amounts, offers) are not looked up one by one:
their placements, lots and people are collected (``_Batch``) and their bodies read when the
transaction commits, in at most four queries whatever the number of rows (validating fifty lines,
importing ten thousand placements). Deletes are looked up at once: their parents may be gone by
the commit."""

import threading
from collections import defaultdict

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from clauses.models import Contract, Lot, Operation
from placements.models import DeclarationLine, JobOffer, Participant, Placement
from placements.signals import declarations_written

from . import figures_cache

APPS = {"clauses", "partners", "placements"}
# Rows that no figure reads: who looked at a file, user accounts (their last login), the history.
IGNORED = {"personaldataaccess", "user"}

BODY = "contract__operation__facilitation_body_id"
# The parents a row is pinned through, for the rows that may be moved to another one.
PARENTS = {
    Operation: ("facilitation_body_id",),
    Contract: ("operation_id",),
    Lot: ("contract_id",),
    Placement: ("lot_id", "participant_id"),
    Participant: ("facilitation_body_id",),
    JobOffer: ("lot_id",),
}
GLOBAL = None


def _moves_figures(sender):
    meta = getattr(sender, "_meta", None)
    return (
        meta is not None
        and meta.app_label in APPS
        and meta.model_name not in IGNORED
        and not meta.model_name.startswith("historical")
    )


def _person(participant_id):
    """The bodies of a person and of every lot they were placed on."""
    return (
        Participant.objects.filter(pk=participant_id)
        .order_by()
        .values_list("facilitation_body_id")
        .union(Lot.objects.filter(placements__participant_id=participant_id).order_by().values_list(BODY))
    )


def _of_lot(lot_id):
    return Lot.objects.filter(pk=lot_id).order_by().values_list(BODY)


def _through_lines(lines):
    return lines.values_list("placement__lot__" + BODY, "placement__participant__facilitation_body_id").distinct()


ROUTES = {
    "clauses.operation": lambda row: [(row.facilitation_body_id,)],
    "clauses.contract": lambda row: (
        Operation.objects.filter(pk=row.operation_id).order_by().values_list("facilitation_body_id")
    ),
    "clauses.lot": lambda row: (
        Contract.objects.filter(pk=row.contract_id)
        .order_by()
        .values_list("operation__facilitation_body_id")
        .union(Participant.objects.filter(placements__lot_id=row.pk).order_by().values_list("facilitation_body_id"))
    ),
    "clauses.lotaward": lambda row: _of_lot(row.lot_id),
    "clauses.clause": lambda row: _of_lot(row.lot_id),
    "clauses.invoicedamount": lambda row: _of_lot(row.lot_id),
    "placements.participant": lambda row: _person(row.pk),
    "placements.eligibilitycriterion": lambda row: _person(row.participant_id),
    "placements.joboffer": lambda row: _of_lot(row.lot_id),
    "placements.candidacy": lambda row: (
        JobOffer.objects.filter(pk=row.offer_id)
        .order_by()
        .values_list("lot__" + BODY)
        .union(Participant.objects.filter(pk=row.participant_id).order_by().values_list("facilitation_body_id"))
    ),
    "placements.placement": lambda row: _of_lot(row.lot_id).union(_person(row.participant_id)),
    "placements.declarationline": lambda row: _through_placement(row.placement_id),
    "placements.followup": lambda row: _through_placement(row.placement_id),
    "placements.outcome": lambda row: _through_placement(row.placement_id),
    "placements.monthlydeclaration": lambda row: _through_lines(DeclarationLine.objects.filter(declaration_id=row.pk)),
    "placements.declarationproof": lambda row: _through_lines(
        DeclarationLine.objects.filter(declaration_id=row.declaration_id)
    ),
}


# Saves looked up at commit: what each one is pinned through ("placement", "lot" or "person" ids).
BATCHED = {
    "placements.declarationline": lambda row: [("placement", row.placement_id)],
    "placements.followup": lambda row: [("placement", row.placement_id)],
    "placements.outcome": lambda row: [("placement", row.placement_id)],
    "placements.placement": lambda row: [("lot", row.lot_id), ("person", row.participant_id)],
    "placements.eligibilitycriterion": lambda row: [("person", row.participant_id)],
    "placements.joboffer": lambda row: [("lot", row.lot_id)],
    "clauses.lotaward": lambda row: [("lot", row.lot_id)],
    "clauses.clause": lambda row: [("lot", row.lot_id)],
    "clauses.invoicedamount": lambda row: [("lot", row.lot_id)],
}


def bodies_of_batch(keys):
    """The bodies of the ``(kind, id)`` keys of ``BATCHED`` rows, in one query per kind (the same
    as ``bodies_of`` of each row), or GLOBAL when one is gone or has no body."""
    ids = defaultdict(set)
    for kind, pk in keys:
        ids[kind].add(pk)
    if any(None in found for found in ids.values()):
        return GLOBAL
    rows = []
    for kind, wanted in sorted(ids.items()):
        found, bodies = LOOKUPS[kind](sorted(wanted))
        if len(found) < len(wanted):
            return GLOBAL  # deleted since, in the same transaction
        rows += bodies
    return _bodies(rows)


def _placements_bodies(ids):
    """(the placements found, their lots' and people's bodies)."""
    found = list(
        Placement.objects.filter(pk__any_of=ids)
        .order_by()
        .values_list("pk", "lot__" + BODY, "participant__facilitation_body_id")
    )
    return {row[0] for row in found}, [row[1:] for row in found]


def _lots_bodies(ids):
    found = list(Lot.objects.filter(pk__any_of=ids).order_by().values_list("pk", BODY))
    return {row[0] for row in found}, [row[1:] for row in found]


def _people_bodies(ids):
    """(the people found, their bodies and those of every lot they were placed on, as ``_person``)."""
    found = list(Participant.objects.filter(pk__any_of=ids).order_by().values_list("pk", "facilitation_body_id"))
    lots = Lot.objects.filter(placements__participant__any_of=ids).order_by().values_list(BODY).distinct()
    return {row[0] for row in found}, [row[1:] for row in found] + list(lots)


LOOKUPS = {"placement": _placements_bodies, "lot": _lots_bodies, "person": _people_bodies}


class _Batch:
    """The keys of the rows saved in one transaction, looked up when it commits."""

    def __init__(self):
        self.keys = set()
        self.flushed = False
        self.callbacks = self.block = None  # the connection's list of commit callbacks holding
        # ``flush`` and the savepoints of the block that registered it

        def flush():
            self.flushed = True
            figures_cache.data_changed(bodies_of_batch(self.keys))

        self.flush = flush


_local = threading.local()


def _current_batch():
    """The batch of the current atomic block (savepoint): a new one when there is none, when it was
    sent, or when its commit callback is not that of this block (another block, or dropped with a
    savepoint rolled back). One per block, so that a write is never kept in a batch whose callback
    an outer block holds (the tests' ``captureOnCommitCallbacks`` runs only the callbacks added
    inside it).

    Checked in constant time: Django replaces the connection's list of commit callbacks whenever
    it drops some (commit, rollback, savepoint rolled back), so the batch's callback is still
    registered while that list is the same object and the block the same savepoints. Scanning the
    list on every save made an import quadratic when each row also registers a callback."""
    batch = getattr(_local, "batch", None)
    connection = transaction.get_connection()
    block = set(connection.savepoint_ids)
    if batch is None or batch.flushed or batch.callbacks is not connection.run_on_commit or batch.block != block:
        batch = _local.batch = _Batch()
        transaction.on_commit(batch.flush)
        batch.callbacks, batch.block = connection.run_on_commit, block
    return batch


def _write_later(row, created):
    """Keep the row for the commit's lookup; False when it must be looked up now (outside a
    transaction, not a batched kind, or moved to another parent)."""
    keys = BATCHED.get(row._meta.label_lower)
    if keys is None or not transaction.get_connection().in_atomic_block:
        return False
    if not created and _moved(row):
        return False
    _current_batch().keys.update(keys(row))
    return True


def _through_placement(placement_id):
    return (
        Placement.objects.filter(pk=placement_id)
        .order_by()
        .values_list("lot__" + BODY, "participant__facilitation_body_id")
    )


def _bodies(rows):
    """The body ids of the rows found, or GLOBAL when none (parents gone) or one has no body."""
    ids = {pk for row in rows for pk in row}
    if not ids or None in ids:
        return GLOBAL
    return ids


def bodies_of(row, created=False):
    """The facilitation bodies whose figures a write of ``row`` can move, or GLOBAL (None)."""
    route = ROUTES.get(row._meta.label_lower)
    if route is None or (not created and _moved(row)):
        return GLOBAL
    rows = list(route(row))
    if isinstance(row, Participant):
        rows.append((row.facilitation_body_id,))  # the person's own body, a deleted person's too
    return _bodies(rows)


def _parents(row):
    """The row's parent ids as they are in memory (None when one was not read: deferred)."""
    values = row.__dict__
    fields = PARENTS[type(row)]
    return tuple(values[name] for name in fields) if all(name in values for name in fields) else None


def _moved(row):
    """Whether the row has (or is being given) other parents than the stored ones: the former
    ones are then unknown here. ``_note_moves`` says it just before an update; otherwise the
    stored parents are read (one query, on writes only: never when rows are read). A row
    without its parents read is taken for moved."""
    if type(row) not in PARENTS:
        return False
    if _parents(row) is None:
        return True
    moved = row.__dict__.get("_figures_moved")
    return _differs_from_stored(type(row), row) if moved is None else moved


def _differs_from_stored(model, row):
    fields = [name for name in PARENTS[model] if name in row.__dict__]
    if row.pk is None or not fields:
        return False
    stored = model._base_manager.filter(pk=row.pk).values_list(*fields).first()
    return stored is None or tuple(stored) != tuple(row.__dict__[name] for name in fields)


def _note_moves(sender, instance, raw=False, **kwargs):
    """Before a save of a row that can be moved: whether it changes one of its stored parents
    (read now: after the save they are the new ones)."""
    adding = raw or instance._state.adding or instance.pk is None
    instance._figures_moved = False if adding else _differs_from_stored(sender, instance)


def _on_write(sender, instance=None, created=False, **kwargs):
    if not _moves_figures(sender):
        return
    if kwargs.get("signal") is m2m_changed or instance is None:
        figures_cache.data_changed()
        return
    if kwargs.get("signal") is post_delete:
        instance.__dict__.setdefault("_figures_moved", False)  # gone: its parents are those it had
    elif _write_later(instance, created):
        instance.__dict__.pop("_figures_moved", None)
        return
    figures_cache.data_changed(bodies_of(instance, created=created))
    instance.__dict__.pop("_figures_moved", None)  # written: its parents are the stored ones now


def _on_declarations_written(sender, declaration=None, **kwargs):
    if declaration is None:
        figures_cache.data_changed()
    else:
        figures_cache.data_changed(_bodies(_through_lines(declaration.lines.all())))


def connect():
    post_save.connect(_on_write, dispatch_uid="figures-post-save")
    post_delete.connect(_on_write, dispatch_uid="figures-post-delete")
    m2m_changed.connect(_on_write, dispatch_uid="figures-m2m")
    for model in PARENTS:
        pre_save.connect(_note_moves, sender=model, dispatch_uid=f"figures-moves-{model._meta.label_lower}")
    declarations_written.connect(_on_declarations_written, dispatch_uid="figures-declarations")
