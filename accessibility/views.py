"""The accessibility statement (déclaration d'accessibilité, RGAA model), public."""

import datetime
import functools
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils import timezone

from . import results


def results_file():
    return Path(settings.CLAUSIER["ACCESSIBILITY_RESULTS_FILE"])


@functools.lru_cache(maxsize=4)
def _figures(path, modified):
    return results.statement_figures(results.load(path))


def current_figures():
    """The figures of the recorded axe-core run (read once per process and file version), or None."""
    path = results_file()
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    return _figures(str(path), modified)


def level():
    return results.compliance_level(settings.CLAUSIER.get("ACCESSIBILITY_RGAA_RATE"))


def plan_years(start):
    """The years of the multi-year plan: the year of the statement and the two that follow."""
    return [start.year, start.year + 1, start.year + 2]


@login_not_required
def statement(request):
    figures = current_figures()
    run_date = datetime.date.fromisoformat(figures["run_date"]) if figures else None
    rate = settings.CLAUSIER.get("ACCESSIBILITY_RGAA_RATE")
    return render(
        request,
        "accessibility/statement.html",
        {
            "figures": figures,
            "run_date": run_date,
            "level": level(),
            "rate": rate,
            "contact": settings.CLAUSIER.get("ACCESSIBILITY_CONTACT", ""),
            "years": plan_years(run_date or timezone.localdate()),
        },
    )
