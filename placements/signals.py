"""Signals of the placements app."""

from django.dispatch import Signal

# Hours written in bulk (saved, submitted or reviewed lines of a monthly declaration): bulk writes
# send no post_save, so whatever depends on the hours (the dashboards' cache) listens to this.
declarations_written = Signal()
