from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Department, Employee, Notification


@admin.register(Department)
class DepartmentAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "kind", "head", "active")
    list_filter = ("kind", "active")
    search_fields = ("name", "code")


@admin.register(Employee)
class EmployeeAdmin(SimpleHistoryAdmin):
    list_display = ("employee_no", "name", "department", "team", "supervisor", "active")
    list_filter = ("department", "active")
    search_fields = ("employee_no", "name", "phone")
    list_select_related = ("department", "supervisor")
    raw_id_fields = ("user", "supervisor")

    def has_delete_permission(self, request, obj=None):
        return False  # deactivate, never delete


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("recipient", "text", "created", "read_at", "emailed")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)

    def has_delete_permission(self, request, obj=None):
        return False
