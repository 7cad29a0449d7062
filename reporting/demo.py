"""Demo data of the reporting app: nothing of its own; the figures follow the other apps' data."""

from . import figures_cache


def seed(context):
    """The demo rows were partly written in bulk (no signals): dashboards kept ready before them
    are out of date."""
    figures_cache.data_changed()
