"""What changes the data version of ``figures_cache``: any row of the apps the figures read,
saved or deleted (signals), and the hours written in bulk (``placements.signals``)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from placements.signals import declarations_written

from . import figures_cache

APPS = {"clauses", "partners", "placements"}
# Rows that no figure reads: who looked at a file, user accounts (their last login), the history.
IGNORED = {"personaldataaccess", "user"}


def _moves_figures(sender):
    meta = getattr(sender, "_meta", None)
    return (
        meta is not None
        and meta.app_label in APPS
        and meta.model_name not in IGNORED
        and not meta.model_name.startswith("historical")
    )


def _on_write(sender, **kwargs):
    if _moves_figures(sender):
        figures_cache.data_changed()


def _on_declarations_written(sender, **kwargs):
    figures_cache.data_changed()


def connect():
    post_save.connect(_on_write, dispatch_uid="figures-post-save")
    post_delete.connect(_on_write, dispatch_uid="figures-post-delete")
    m2m_changed.connect(_on_write, dispatch_uid="figures-m2m")
    declarations_written.connect(_on_declarations_written, dispatch_uid="figures-declarations")
