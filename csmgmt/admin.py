"""Monthly workbooks and background imports in the Django admin: for administrators to look things up
(a stuck generation, an import's bad rows). Read-only: they are written only by their services (the
reports page, the import pages and their workers)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ImportJob, MonthlyReport


class ReadOnlyAdmin(admin.ModelAdmin):
    # The stored file is shown by name, never as a link: files are not public (downloads go through views
    # that check the user).
    exclude = ("file",)
    readonly_fields = ("stored_as",)

    @admin.display(description=_("stored as"))
    def stored_as(self, obj):
        return obj.file.name or "—"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("month", "language", "status", "progress", "stage", "requested_by", "created_at", "started_at",
                    "updated_at", "finished_at", "size")
    list_filter = ("status", "language")
    list_select_related = ("requested_by",)
    date_hierarchy = "month"
    search_fields = ("error",)


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ("kind", "original_name", "status", "requested_by", "created_at", "started_at", "finished_at",
                    "summary")
    list_filter = ("status", "kind")
    list_select_related = ("requested_by",)
    search_fields = ("original_name", "summary")
