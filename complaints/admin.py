from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ClockLength, Complaint, ComplaintClock, ComplaintEvent, Evidence


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class EventInline(ReadOnlyInline):
    model = ComplaintEvent


class ClockInline(ReadOnlyInline):
    model = ComplaintClock


@admin.register(Complaint)
class ComplaintAdmin(SimpleHistoryAdmin):
    list_display = ("number", "received_at", "complainant_name", "stage", "severity", "responsible_department")
    list_filter = ("stage", "severity")
    search_fields = ("number", "complainant_name", "complainant_phone")
    readonly_fields = ("stage",)
    raw_id_fields = ("source_call", "customer", "repeat_of", "agent", "responsible_person", "responsible_employee")
    inlines = [EventInline, ClockInline]

    def has_add_permission(self, request):
        return False  # complaints are registered on the site (numbers, clocks, events)

    def has_change_permission(self, request, obj=None):
        return False  # every change goes through the workflow service, which records it

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClockLength)
class ClockLengthAdmin(SimpleHistoryAdmin):
    list_display = ("kind", "severity", "hours")


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ("complaint", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    raw_id_fields = ("complaint", "uploaded_by")

    def has_delete_permission(self, request, obj=None):
        return False
