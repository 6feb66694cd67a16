from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (CategoryRetention, Claim, FoundItem, FoundItemEvent, HandoverBatch, HandoverBatchEvent,
                     LostfoundSettings, LostReport, LostReportEvent)


class NoDeleteAdmin(SimpleHistoryAdmin):
    """Records are never deleted (void, withdraw or dispose them in the app instead)."""

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FoundItem)
class FoundItemAdmin(NoDeleteAdmin):
    list_display = ("number", "description", "category", "status", "found_at", "valuable")
    list_filter = ("status", "category", "valuable", "source")
    search_fields = ("number", "description", "finder_phone")
    readonly_fields = ("number", "status", "handover_batch")
    raw_id_fields = ("finder_employee", "received_by", "custody_by")


@admin.register(LostReport)
class LostReportAdmin(NoDeleteAdmin):
    list_display = ("number", "description", "category", "status", "lost_at")
    list_filter = ("status", "category")
    search_fields = ("number", "description", "owner_phone")
    readonly_fields = ("number", "status")
    raw_id_fields = ("received_by", "matched_item", "contacted_by")


@admin.register(Claim)
class ClaimAdmin(NoDeleteAdmin):
    list_display = ("item", "claimant_name", "claimed_at")
    exclude = ("id_number",)
    readonly_fields = ("item",)
    raw_id_fields = ("verified_by", "released_by", "lost_report")


@admin.register(HandoverBatch)
class HandoverBatchAdmin(NoDeleteAdmin):
    list_display = ("number", "period", "status", "confirmed_at")
    readonly_fields = ("number", "period", "status")


class TrailAdmin(admin.ModelAdmin):
    """A trail is written by the workflow engine only: never changed, never deleted."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(FoundItemEvent)
class FoundItemEventAdmin(TrailAdmin):
    list_display = ("item", "at", "by", "action", "from_status", "to_status")


@admin.register(LostReportEvent)
class LostReportEventAdmin(TrailAdmin):
    list_display = ("report", "at", "by", "action", "from_state", "to_state")


@admin.register(HandoverBatchEvent)
class HandoverBatchEventAdmin(TrailAdmin):
    list_display = ("batch", "at", "by", "action", "from_state", "to_state")


admin.site.register(LostfoundSettings, SimpleHistoryAdmin)
admin.site.register(CategoryRetention, SimpleHistoryAdmin)
