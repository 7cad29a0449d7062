"""The PDF of a report: the indicators laid out in an HTML template, printed by WeasyPrint.

``build_context`` gathers what the template shows (the figures of ``indicators.compute``, the
charts of ``charts``, and for a buyer the progress of each lot); ``render_pdf`` prints it. Only
counts and sums reach the template: no person's name.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string

from clauses.models import Lot
from placements.outcomes import GROUP_LABELS, NEUTRAL

from . import charts, rules
from .models import Report

TEMPLATES = {
    Report.Kind.IMPACT: "reporting/pdf/impact.html",
    Report.Kind.BUYER: "reporting/pdf/buyer.html",
}
TITLES = {
    Report.Kind.IMPACT: "Bilan d'impact de la clause sociale d'insertion",
    Report.Kind.BUYER: "Bilan de la clause sociale d'insertion",
}
CHART_WIDTH = 640


@dataclass(frozen=True)
class LotLine:
    """One lot of a buyer's report: its hours since the start of the lot, on the day the report
    judges lots (``Indicators.behind_on``: the period's end once it is over, else the build date)."""

    contract: str
    number: str
    title: str
    start_date: date
    end_date: date
    required: Decimal
    done: Decimal
    expected: Decimal
    done_percent: Decimal
    status: str
    status_label: str


@dataclass(frozen=True)
class OutcomeLine:
    label: str
    at_exit: int
    at_six_months: int
    neutral: bool


def lot_lines(figures, lots=None):
    """Progress of each lot with a clause of the scope that touches the period, as it stood on the
    day the report judges lots (one query)."""
    period, on = figures.period, figures.behind_on
    queryset = (
        Lot.objects.filter(pk__in=figures.scope.lots(lots).values("pk"), clause__isnull=False)
        .filter(start_date__lte=period.end, end_date__gte=period.start)
        .with_progress_data(on=on)
        .select_related("contract")
        .order_by("contract__reference", "number", "pk")
    )
    result = []
    for lot in queryset:
        progress = lot.progress(on)
        result.append(
            LotLine(
                contract=lot.contract.reference,
                number=lot.number,
                title=lot.title,
                start_date=lot.start_date,
                end_date=lot.end_date,
                required=progress.required,
                done=progress.done,
                expected=progress.expected,
                done_percent=rules.rate(progress.done, progress.required),
                status=progress.status,
                status_label=progress.status_label,
            )
        )
    return result


def outcome_lines(figures):
    exit, six = figures.exit, figures.six_months
    return [
        OutcomeLine(
            label=label,
            at_exit=exit.by_group.get(label, 0) if exit else 0,
            at_six_months=six.by_group.get(label, 0) if six else 0,
            neutral=group == NEUTRAL,
        )
        for group, label in GROUP_LABELS.items()
    ]


def profile_lines(profile):
    """Rows of the participants' profile: (label, count), in the national network's order."""
    ages = [(rules.AGE_BAND_LABELS[code], profile.age_bands.get(code, 0)) for code in rules.AGE_BAND_LABELS]
    education = [(label, count) for label, count in profile.education.items() if count]
    return {"ages": ages, "education": education}


def build_charts(figures):
    months = figures.by_month
    return {
        "by_month": charts.column_chart(
            [(row.label, row.validated) for row in months],
            title="Heures validées par mois",
            reference=[row.required for row in months],
            series_label="Heures validées",
            reference_label="Heures exigées (au prorata)",
            width=CHART_WIDTH,
        ),
        "by_activity": charts.bar_chart(
            [(row.label, row.validated) for row in figures.by_activity],
            title="Heures validées par secteur d'activité",
            width=CHART_WIDTH,
        ),
        "by_mode": charts.share_chart(
            [(row.label, row.validated) for row in figures.by_mode],
            title="Heures validées par mode de réalisation",
            width=CHART_WIDTH,
            unit="h",
        ),
    }


def period_label(period):
    """« Année 2026 » for a calendar year, « Du 01/01/2026 au 30/06/2026 » otherwise."""
    if period.start == date(period.start.year, 1, 1) and period.end == date(period.start.year, 12, 31):
        return f"Année {period.start.year}"
    return f"Du {period.start:%d/%m/%Y} au {period.end:%d/%m/%Y}"


def build_context(report, figures, built_on, lots=None):
    context = {
        "report": report,
        "title": TITLES[report.kind],
        "figures": figures,
        "period_label": period_label(figures.period),
        "scope_label": report.scope_label or figures.scope.label,
        "built_on": built_on,
        "charts": build_charts(figures),
        "outcomes": outcome_lines(figures),
        "profile": profile_lines(figures.profile),
        "exit": figures.exit,
        "six_months": figures.six_months,
    }
    if report.kind == Report.Kind.BUYER:
        context["lot_lines"] = lot_lines(figures, lots)
    return context


def render_html(report, figures, built_on, lots=None):
    return render_to_string(TEMPLATES[report.kind], build_context(report, figures, built_on, lots))


def render_pdf(report, figures, built_on, lots=None):
    """The PDF of the report, as bytes."""
    from weasyprint import HTML  # heavy import, only where a PDF is built

    html = render_html(report, figures, built_on, lots)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
