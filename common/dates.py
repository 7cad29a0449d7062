"""Days and months the French way, and the application's clock.

``today()`` is the only way Clausier asks for the date (Europe/Paris): tests set the clock with
time-machine (tests/clock.py), and modules import ``today`` by name so that a test may replace it
in one module."""

from datetime import datetime, time

from django.utils import timezone

MONTH_NAMES = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_MONTH_NAMES = ("janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.")


def today():
    return timezone.localdate()


def day_start(day):
    """Midnight at the start of ``day`` in the application's time zone (Europe/Paris), aware: the
    bound of a filter on a date and time column that its index can serve, unlike ``__date``."""
    return timezone.make_aware(datetime.combine(day, time.min))


def month_label(month, short=False):
    """« mars 2026 », or « mars 2026 » / « janv. 2026 » with ``short``."""
    names = SHORT_MONTH_NAMES if short else MONTH_NAMES
    return f"{names[month.month - 1]} {month.year}"


def of_month(month):
    """ "de mars 2026", "d'avril 2026": French elides "de" before a vowel."""
    label = month_label(month)
    return f"d'{label}" if label[0] in "aeiouy" else f"de {label}"
