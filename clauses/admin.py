from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import legal_bases
from .models import (
    Clause,
    ClauseSheetTemplate,
    Contract,
    HoursSettings,
    InvoicedAmount,
    Lot,
    LotAward,
    Operation,
    Trade,
)


@admin.register(HoursSettings)
class HoursSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "default_hourly_cost", "minimum_hours", "cleaning_coefficient"]

    def has_add_permission(self, request):
        return not HoursSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Trade)
class TradeAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "labour_share"]
    list_filter = ["sector"]
    list_editable = ["labour_share"]
    search_fields = ["name"]


@admin.register(ClauseSheetTemplate)
class ClauseSheetTemplateAdmin(admin.ModelAdmin):
    list_display = ["legal_basis", "updated_at"]


@admin.register(Operation)
class OperationAdmin(SimpleHistoryAdmin):
    list_display = ["title", "buyer", "commune", "facilitation_body", "start_date"]
    list_filter = ["facilitation_body"]
    search_fields = ["title"]
    autocomplete_fields = ["buyer", "commune", "facilitation_body"]


@admin.register(Contract)
class ContractAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "operation", "start_date", "end_date"]
    search_fields = ["reference", "title"]


class AwardInline(admin.TabularInline):
    model = LotAward
    extra = 0
    autocomplete_fields = ["company"]


class LotAdminForm(forms.ModelForm):
    """The dates of a lot stay within what its clause's legal basis allows (the admin builds the
    form's fields)."""

    def clean(self):
        cleaned = super().clean()
        clause = Clause.objects.filter(lot=self.instance).first() if self.instance.pk else None
        if clause is not None:
            problem = legal_bases.duration_problem(
                clause.legal_basis, cleaned.get("start_date"), cleaned.get("end_date")
            )
            if problem:
                self.add_error("end_date", problem)
        return cleaned


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    form = LotAdminForm
    list_display = ["__str__", "contract", "sector", "amount_excl_tax", "start_date", "end_date"]
    list_filter = ["sector"]
    search_fields = ["title", "contract__reference"]
    inlines = [AwardInline]


class ClauseAdminForm(forms.ModelForm):
    """The legal basis of a clause allows the dates of its lot (the admin builds the form's fields)."""

    def clean(self):
        cleaned = super().clean()
        lot = cleaned.get("lot")
        if lot is not None:
            problem = legal_bases.duration_problem(cleaned.get("legal_basis"), lot.start_date, lot.end_date)
            if problem:
                self.add_error("legal_basis", problem)
        return cleaned


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    form = ClauseAdminForm
    list_display = ["lot", "legal_basis", "method", "computed_hours", "contractual_hours"]
    list_filter = ["legal_basis", "method"]


@admin.register(InvoicedAmount)
class InvoicedAmountAdmin(admin.ModelAdmin):
    list_display = ["lot", "period_start", "period_end", "amount"]
