"""What the Département must publish each year (integrations.md, « What the Département must
publish »): PNAD and SPASER indicators, the OETH deduction, the AVE return, the accessibility
statement. Sits after reporting in the import arrow: nothing imports compliance."""

from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    name = "compliance"
    verbose_name = "Obligations de publication du Département"

    def ready(self):
        from partners import navigation
        from reporting import report_kinds
        from reporting.models import Report

        from . import access  # noqa: F401 - the access rules of the OETH purchases and TIH suppliers
        from .navigation import navigation as compliance_navigation
        from .pnad_document import build_pdf

        navigation.register(compliance_navigation)
        report_kinds.register(Report.Kind.COMPLIANCE, build_pdf)
