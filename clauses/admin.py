from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

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


@admin.register(Lot)
class LotAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "contract", "sector", "amount_excl_tax", "start_date", "end_date"]
    list_filter = ["sector"]
    search_fields = ["title", "contract__reference"]
    inlines = [AwardInline]


@admin.register(Clause)
class ClauseAdmin(SimpleHistoryAdmin):
    list_display = ["lot", "legal_basis", "method", "computed_hours", "contractual_hours"]
    list_filter = ["legal_basis", "method"]


@admin.register(InvoicedAmount)
class InvoicedAmountAdmin(admin.ModelAdmin):
    list_display = ["lot", "period_start", "period_end", "amount"]
