from django.contrib import admin

from .models import Report


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ("__str__", "status", "progress", "created_by", "created_at", "finished_at")
    list_filter = ("kind", "status", "scope_kind")
    search_fields = ("scope_label",)
    date_hierarchy = "created_at"
    list_select_related = ("created_by",)
    raw_id_fields = ("created_by",)
    readonly_fields = ("created_at", "started_at", "finished_at")
