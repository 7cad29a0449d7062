"""The yearly PNAD/SPASER report in PDF, built by the worker through ``reporting``'s report rows
(registered in ``ComplianceConfig.ready``): the same read model as the page (``pnad_report``)."""

from django.conf import settings
from django.template.loader import render_to_string

from reporting.report_document import CHART_WIDTH, period_label

from . import pnad_report

TEMPLATE = "compliance/pdf/pnad.html"
TITLE = "Achats socialement responsables : bilan PNAD et SPASER"


def build_context(report, pnad, built_on):
    return {
        "report": report,
        "title": TITLE,
        "pnad": pnad,
        "current": pnad.current,
        "chart": pnad.chart(width=CHART_WIDTH),
        "scope_label": pnad.buyer_label,
        "period_label": period_label(report.period),
        "built_on": built_on,
    }


def render_html(report, pnad, built_on):
    return render_to_string(TEMPLATE, build_context(report, pnad, built_on))


def build_pdf(report, on, progress):
    """The PDF of ``report`` (a calendar year, the whole territory), as bytes."""
    from weasyprint import HTML  # heavy import, only where a PDF is built

    pnad = pnad_report.build(year=report.period.start.year).until_year()
    progress(40)
    html = render_html(report, pnad, on)
    progress(60)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
