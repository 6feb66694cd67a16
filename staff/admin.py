from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from csmgmt.core.models import Notification

from .models import Department, Employee


class NoDeleteMixin:
    """People and departments are deactivated, never deleted."""

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


admin.site.unregister(get_user_model())


@admin.register(get_user_model())
class CsmgmtUserAdmin(NoDeleteMixin, UserAdmin):
    pass


@admin.register(Department)
class DepartmentAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "head", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")


@admin.register(Employee)
class EmployeeAdmin(NoDeleteMixin, SimpleHistoryAdmin):
    list_display = ("employee_no", "name", "department", "team", "supervisor", "active")
    list_filter = ("department", "active")
    search_fields = ("employee_no", "name", "phone")
    list_select_related = ("department", "supervisor")
    raw_id_fields = ("user", "supervisor")


@admin.register(Notification)
class NotificationAdmin(NoDeleteMixin, admin.ModelAdmin):
    list_display = ("recipient", "text", "created", "read_at", "emailed")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)


# --- scoring (read-mostly: writes go through the scoring pages and services) ----------------------------

from .models import Appeal, FundEntry, ManualCategory, ManualEntry, PenaltyRecord, RuleSet, ScoreMonth  # noqa: E402


class _NoDelete(NoDeleteMixin, SimpleHistoryAdmin):
    """Void, withdraw or switch off; never delete."""


@admin.register(RuleSet)
class RuleSetAdmin(_NoDelete):
    list_display = ("name", "code", "active", "base_points")


@admin.register(ManualCategory)
class ManualCategoryAdmin(_NoDelete):
    list_display = ("code", "name", "kind", "active")


@admin.register(ManualEntry)
class ManualEntryAdmin(_NoDelete):
    list_display = ("date", "employee", "category", "recorded_by", "voided")
    list_select_related = ("employee", "category", "recorded_by")
    raw_id_fields = ("employee", "recorded_by")
    readonly_fields = ("created",)


@admin.register(ScoreMonth)
class ScoreMonthAdmin(_NoDelete):
    list_display = ("__str__", "status", "rule_set", "materialised_at")

    def has_change_permission(self, request, obj=None):
        return False  # close and reopen (with a reason) on the scoring page


@admin.register(PenaltyRecord)
class PenaltyRecordAdmin(_NoDelete):
    list_display = ("date", "employee", "rule", "kind", "occurrence", "points", "money", "status")
    list_filter = ("status", "kind")
    list_select_related = ("employee", "rule")
    search_fields = ("employee__name", "employee__employee_no", "source")

    def has_change_permission(self, request, obj=None):
        return False  # computed by the materialiser; voided only through an appeal


@admin.register(Appeal)
class AppealAdmin(_NoDelete):
    list_display = ("created", "employee", "status", "decided_by")
    list_select_related = ("employee", "decided_by")

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FundEntry)
class FundEntryAdmin(_NoDelete):
    list_display = ("score_month", "department", "kind", "amount")
    list_select_related = ("score_month", "department")

    def has_change_permission(self, request, obj=None):
        return False
