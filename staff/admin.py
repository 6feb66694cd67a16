from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Employee, Notification


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
