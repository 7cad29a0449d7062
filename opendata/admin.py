from django.contrib import admin

from .models import OpenDataset


@admin.register(OpenDataset)
class OpenDatasetAdmin(admin.ModelAdmin):
    list_display = ["year", "status", "row_count", "built_at"]
    readonly_fields = ["status", "progress", "error", "file", "row_count", "built_at"]
