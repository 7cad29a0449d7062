"""Bulk insertion helpers: ``bulk_create`` in batches, through tables."""

from .config import BATCH_SIZE


class BulkWriter:
    """Part of ``Generator`` (``build.py``)."""

    # Writing ----------------------------------------------------------------------------------

    def _insert(self, model, records, build, label, keep_pks=True, pks=None):
        """bulk_create in batches; the records get the primary keys of their rows (or ``pks`` does)."""
        total = 0
        for start in range(0, len(records), BATCH_SIZE):
            chunk = records[start : start + BATCH_SIZE]
            objects = [build(record) for record in chunk]
            model.objects.bulk_create(objects, batch_size=BATCH_SIZE)
            if keep_pks:
                for record, obj in zip(chunk, objects, strict=True):
                    record.pk = obj.pk
            if pks is not None:
                pks.extend(obj.pk for obj in objects)
            total += len(objects)
        if label:
            self.say(f"  {label} : {total}")
        return total

    def _through(self, through, rows, label=""):
        return self._insert(through, rows, lambda row: through(**row), label, keep_pks=False)
