"""The DECP import itself: records read from a file or the API written as ``PublishedContract``s.

- Idempotent on the national key (``uid`` = buyer SIRET + the buyer's id): a contract already known
  is updated when the DECP changed it (amount, duration, holders after modifications), with its
  history (django-simple-history), and left alone otherwise.
- The table has one row per contract × holder: the rows of one contract in one import add up their
  holders.
- A bad row is counted and listed with its reason (``RejectedRow``) and the import goes on; a row is
  written whole or not at all (every batch is one transaction).
- Contracts outside the territory (department setting, or a buyer Clausier knows) and contracts
  notified before ``notified_since`` are passed over, counted.
- Bounded memory: batches of ``BATCH_SIZE`` records, a set of the keys seen in this import.
"""

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from partners.models import Organisation

from .decp_client import DecpUnavailable, TabularClient, contract_filters
from .decp_parsers import FileError, read_file, read_table_rows
from .decp_records import RowError
from .decp_rows import (  # noqa: F401
    FIELDS,
    _add_holders,
    _holder_row,
    _known_buyers,
    _summary,
    _values,
    department_code,
)
from .models import DecpImport, PublishedContract, PublishedHolder, RejectedRow

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_LISTED_REJECTIONS = 5000  # every bad row is counted; the first ones are listed
EXCERPT_LENGTH = 300
UNEXPECTED_ERROR = (
    "L'import s'est arrêté sur une erreur inattendue. Les marchés lus avant ont été enregistrés ; "
    "relancez l'import et, si l'échec se reproduit, prévenez l'administrateur de Clausier."
)


class Intake:
    """One run of one import: counts, rejections and progress are written on the ``DecpImport``."""

    def __init__(self, decp_import, known_buyers):
        self.decp_import = decp_import
        self.department = decp_import.department_code or department_code()
        self.known_buyers = known_buyers
        self.since = decp_import.notified_since
        self.seen = set()
        self.counts = {"created_count": 0, "updated_count": 0, "unchanged_count": 0, "skipped_count": 0}
        self.rejected = 0
        self.listed = 0
        self.rows_read = 0

    # Reading ---------------------------------------------------------------------------------

    def consume(self, items, progress=None):
        """Write every item of ``items`` (``(position, record | RowError | None)``), by batches that
        never cut between two adjacent rows of one contract (its holders). When the file breaks off
        (``FileError``), what was read before it is written, then the error goes up."""
        batch, last_uid = [], None
        try:
            for item in items:
                uid = getattr(item[1], "uid", None)
                if len(batch) >= BATCH_SIZE and (uid is None or uid != last_uid):
                    self._flush(batch, progress)
                    batch = []
                batch.append(item)
                last_uid = uid or last_uid
        finally:
            if batch:
                self._flush(batch, progress)

    def _flush(self, batch, progress):
        self.rows_read += len(batch)
        with transaction.atomic():
            self._write(batch)
            self._save_progress(progress() if progress else None)

    def _write(self, batch):
        records, rejections = {}, []
        for position, item in batch:
            if item is None:
                self.counts["skipped_count"] += 1
            elif isinstance(item, RowError):
                rejections.append(self._rejection(position, item))
            elif not item.in_territory(self.department, self.known_buyers) or (
                self.since and item.notification_date < self.since
            ):
                self.counts["skipped_count"] += 1
            elif item.uid in records:
                _add_holders(records[item.uid], item.holders)
            else:
                records[item.uid] = item
        if rejections:
            RejectedRow.objects.bulk_create([row for row in rejections if row is not None])
        if records:
            self._save_records(records)

    def _rejection(self, position, error):
        self.rejected += 1
        if self.listed >= MAX_LISTED_REJECTIONS:
            return None
        self.listed += 1
        return RejectedRow(
            decp_import=self.decp_import,
            position=position,
            contract_key=(error.key or "")[:120],
            reason=error.reason[:300],
            excerpt=error.excerpt,
        )

    # Writing ---------------------------------------------------------------------------------

    def _save_records(self, records):
        existing = {
            contract.uid: contract
            for contract in PublishedContract.objects.filter(uid__in=list(records)).prefetch_related("holders")
        }
        sirets = {holder.identifier for record in records.values() for holder in record.holders}
        sirets |= {record.buyer_siret for record in records.values()}
        organisations = dict(
            Organisation.objects.filter(siret__in=sirets).order_by("siret", "pk").values_list("siret", "pk")
        )
        to_create, to_update, holders_to_create, contracts_with_new_holders = [], [], [], []
        for uid, record in records.items():
            values = _values(record, organisations)
            contract = existing.get(uid)
            again = uid in self.seen  # a later row of a contract already written by this import
            self.seen.add(uid)
            if contract is None:
                contract = PublishedContract(uid=uid, last_import=self.decp_import, **values)
                contract.holder_ids = _summary(record.holders)
                to_create.append((contract, record.holders))
                self.counts["created_count"] += 1
                continue
            current = {holder.identifier: holder for holder in contract.holders.all()}
            if again:
                # Rows of one contract far apart in the file (in two batches): they add up their holders.
                values = {name: getattr(contract, name) for name in FIELDS}
                holders = list(current.values()) + [h for h in record.holders if h.identifier not in current]
            else:
                holders = record.holders  # the holders now, after the modifications
            values["holder_ids"] = _summary(holders)
            changed = [name for name, value in values.items() if getattr(contract, name) != value]
            if not changed:
                if not again:
                    self.counts["unchanged_count"] += 1
                continue
            for name in changed:
                setattr(contract, name, values[name])
            contract.last_import = self.decp_import
            to_update.append(contract)
            if "holder_ids" in changed:
                contracts_with_new_holders.append(contract.pk)
                holders_to_create += [_holder_row(contract, holder, organisations) for holder in holders]
            if not again:
                self.counts["updated_count"] += 1
        if to_create:
            created = bulk_create_with_history([contract for contract, _ in to_create], PublishedContract)
            keys = {contract.uid: contract.pk for contract in created if contract.pk}
            if len(keys) < len(created):  # databases that do not return the keys of a bulk insert
                keys = dict(PublishedContract.objects.filter(uid__in=[c.uid for c in created]).values_list("uid", "pk"))
            for contract, holders in to_create:
                contract.pk = keys[contract.uid]
                holders_to_create += [_holder_row(contract, holder, organisations) for holder in holders]
        if to_update:
            bulk_update_with_history(to_update, PublishedContract, [*FIELDS, "holder_ids", "last_import", "updated_at"])
        if contracts_with_new_holders:
            PublishedHolder.objects.filter(published_contract_id__in=contracts_with_new_holders).delete()
        if holders_to_create:
            PublishedHolder.objects.bulk_create(holders_to_create)

    def _save_progress(self, progress):
        fields = {**self.counts, "rows_read": self.rows_read, "rejected_count": self.rejected}
        if progress is not None:
            fields["progress"] = max(0, min(99, int(progress)))
        DecpImport.objects.filter(pk=self.decp_import.pk).update(**fields)


# Running an import --------------------------------------------------------------------------------


def _start(decp_import):
    now = timezone.now()
    claimed = DecpImport.objects.filter(
        pk=decp_import.pk, status__in=[DecpImport.Status.QUEUED, DecpImport.Status.FAILED]
    ).update(
        status=DecpImport.Status.RUNNING,
        started_at=now,
        finished_at=None,
        progress=0,
        error="",
        rows_read=0,
        rows_expected=None,
        created_count=0,
        updated_count=0,
        unchanged_count=0,
        skipped_count=0,
        rejected_count=0,
    )
    if claimed:
        RejectedRow.objects.filter(decp_import=decp_import).delete()  # a run again lists its own
    return bool(claimed)


def _finish(decp_import, status, error=""):
    DecpImport.objects.filter(pk=decp_import.pk).update(
        status=status, error=error, finished_at=timezone.now(), **({"progress": 100} if not error else {})
    )


def _file_progress(handle, size):
    def progress():
        try:
            return 100 * handle.tell() / size if size else None
        except (OSError, ValueError):
            return None

    return progress


def run(decp_import_id, client_factory=None):
    """Run one queued import; the outcome is on the row (never raised, except to the worker's log)."""
    decp_import = DecpImport.objects.get(pk=decp_import_id)
    if not _start(decp_import):
        return decp_import  # already running or done: a task delivered twice
    intake = Intake(decp_import, _known_buyers())
    try:
        if decp_import.source == DecpImport.Source.FILE:
            _run_file(decp_import, intake)
        else:
            _run_api(decp_import, intake, client_factory or default_client)
    except (FileError, DecpUnavailable) as error:
        _finish(decp_import, DecpImport.Status.FAILED, str(error))
    except Exception:
        logger.exception("DECP import %s failed", decp_import.pk)
        _finish(decp_import, DecpImport.Status.FAILED, UNEXPECTED_ERROR)
        raise
    else:
        _finish(decp_import, DecpImport.Status.DONE)
    decp_import.refresh_from_db()
    return decp_import


def _run_file(decp_import, intake):
    try:
        handle = decp_import.file.open("rb")
    except (FileNotFoundError, OSError, ValueError):
        raise FileError("Le fichier déposé est introuvable : déposez-le à nouveau.") from None
    with handle:
        size = decp_import.file.size
        kind, items = read_file(handle, decp_import.original_name or decp_import.file.name)
        DecpImport.objects.filter(pk=decp_import.pk).update(
            format=DecpImport.Format.JSON if kind == "json" else DecpImport.Format.CSV
        )
        intake.consume(items, _file_progress(handle, size))


def default_client():
    return TabularClient(settings.CLAUSIER["DECP_API_URL"], backoff=settings.CLAUSIER["DECP_API_BACKOFF_SECONDS"])


def _run_api(decp_import, intake, client_factory):
    with client_factory() as client:
        rows = client.rows(contract_filters(intake.department, decp_import.notified_since))

        def progress():
            if client.total:
                DecpImport.objects.filter(pk=decp_import.pk).update(rows_expected=client.total)
                return 100 * intake.rows_read / client.total
            return None

        intake.consume(read_table_rows(rows), progress)


# New import rows (asked for by decp_requests, which sends the job) ---------------------------------


def new_file_import(user, uploaded):
    return DecpImport.objects.create(
        source=DecpImport.Source.FILE,
        format=DecpImport.Format.JSON if uploaded.name.lower().endswith(".json") else DecpImport.Format.CSV,
        file=uploaded,
        original_name=uploaded.name[:250],
        department_code=department_code(),
        created_by=user if user is not None and user.is_authenticated else None,
    )


def last_api_notification_date():
    """The API import asks only for what is new: notified since a month before the newest contract
    an API import has brought (buyers publish late), or everything the first time."""
    newest = (
        PublishedContract.objects.filter(last_import__source=DecpImport.Source.API)
        .order_by("-notification_date")
        .values_list("notification_date", flat=True)
        .first()
    )
    return newest - datetime.timedelta(days=31) if newest else None


def new_api_import(user=None, notified_since=None):
    """(row, created): a new import from the tabular API, or the one already queued or running."""
    pending = DecpImport.objects.filter(
        source=DecpImport.Source.API, status__in=[DecpImport.Status.QUEUED, DecpImport.Status.RUNNING]
    ).first()
    if pending is not None:
        return pending, False
    decp_import = DecpImport.objects.create(
        source=DecpImport.Source.API,
        format=DecpImport.Format.API,
        department_code=department_code(),
        notified_since=notified_since if notified_since is not None else last_api_notification_date(),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return decp_import, True


def requeue(decp_import):
    """A failed import queued again."""
    if decp_import.status != DecpImport.Status.FAILED:
        raise ValueError("Seul un import en échec peut être relancé.")
    DecpImport.objects.filter(pk=decp_import.pk).update(status=DecpImport.Status.QUEUED, progress=0)
