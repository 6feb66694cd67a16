"""Attendance in the Django admin (registered from ``hooks.ready()``): for administrators to look
things up. Nothing is deleted here; punches and day statuses are read-only (use the pages, which
recompute statuses and leave a trail)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from staff.models import Correction, DayStatus, DutyLogEntry, LeaveRequest, Punch, RosterEntry, Shift


class NoDelete:
    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnly(NoDelete):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ShiftAdmin(NoDelete, SimpleHistoryAdmin):
    list_display = ("code", "name", "start", "end", "crosses_midnight", "grace_minutes", "active")


class RosterEntryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("employee", "date", "shift", "set_by", "updated")
    list_select_related = ("employee", "shift", "set_by")
    date_hierarchy = "date"
    search_fields = ("employee__employee_no", "employee__name")


class PunchAdmin(ReadOnly, admin.ModelAdmin):
    list_display = ("employee", "at", "direction", "source", "address", "recorded_by")
    list_select_related = ("employee", "recorded_by")
    list_filter = ("source", "direction")
    search_fields = ("employee__employee_no", "employee__name")


class DayStatusAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("employee", "date", "shift", "code", "computed_code", "late_minutes", "early_minutes", "source")
    list_select_related = ("employee", "shift")
    list_filter = ("code", "source")
    date_hierarchy = "date"
    search_fields = ("employee__employee_no", "employee__name")


class LeaveRequestAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("employee", "kind", "start_date", "end_date", "part", "state")
    list_select_related = ("employee",)
    list_filter = ("kind", "state")


class CorrectionAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("employee", "date", "kind", "state", "decided_by")
    list_select_related = ("employee", "decided_by")
    list_filter = ("kind", "state")


class DutyLogEntryAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ("date", "shift", "state", "outgoing", "incoming", "outgoing_signed_at", "incoming_signed_at")
    list_select_related = ("shift", "outgoing", "incoming")


def register():
    for model, model_admin in ((Shift, ShiftAdmin), (RosterEntry, RosterEntryAdmin), (Punch, PunchAdmin),
                               (DayStatus, DayStatusAdmin), (LeaveRequest, LeaveRequestAdmin),
                               (Correction, CorrectionAdmin), (DutyLogEntry, DutyLogEntryAdmin)):
        if not admin.site.is_registered(model):
            admin.site.register(model, model_admin)
