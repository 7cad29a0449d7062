"""The timeline of a lot: its key dates and the recorded changes, newest first."""

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from common.dates import today

HISTORY_LABELS = {"+": "création", "~": "modification", "-": "suppression"}


@dataclass(frozen=True)
class Event:
    when: date
    label: str
    kind: str  # "date" for a key date, "change" for a recorded change, "today"
    who: str = ""


def _as_date(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).date()
    return value


def lot_timeline(lot, limit=20):
    contract = lot.contract
    events = []
    if contract.notification_date:
        events.append(Event(contract.notification_date, f"Notification du marché {contract.reference}", "date"))
    events.append(Event(lot.start_date, "Début du lot", "date"))
    events.append(Event(lot.end_date, "Fin du lot", "date"))
    events.append(Event(today(), "Aujourd'hui", "today"))
    histories = [("Lot", lot.history.select_related("history_user")[:limit])]
    clause = getattr(lot, "clause", None)
    if clause is not None:
        histories.append(("Clause", clause.history.select_related("history_user")[:limit]))
    for label, records in histories:
        for record in records:
            who = str(record.history_user) if record.history_user else ""
            action = HISTORY_LABELS.get(record.history_type, "modification")
            events.append(Event(_as_date(record.history_date), f"{label} : {action}", "change", who))
    return sorted(events, key=lambda event: (event.when, event.kind != "today"), reverse=True)
