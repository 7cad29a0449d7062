from django.contrib import admin

from .models import AttestationAccess, OethPurchase, OethYear, TihSupplier


@admin.register(OethYear)
class OethYearAdmin(admin.ModelAdmin):
    list_display = ["year", "contribution", "employment_rate", "updated_at"]


@admin.register(TihSupplier)
class TihSupplierAdmin(admin.ModelAdmin):
    list_display = ["name", "siret", "marked_at"]
    search_fields = ["name", "siret"]


@admin.register(OethPurchase)
class OethPurchaseAdmin(admin.ModelAdmin):
    list_display = ["year", "structure", "tih", "amount_invoiced", "labour_share", "attestation_name"]
    list_select_related = ["year", "structure", "tih"]
    exclude = ["attestation"]  # served by the page's download view, which logs each access


@admin.register(AttestationAccess)
class AttestationAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "purchase", "path"]
    list_select_related = ["user", "purchase__year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
