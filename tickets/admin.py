from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import (Call, CallEvent, CallRevisit, CallRevisitEvent, Customer, CustomerPhone, Holiday, IntakeSettings,
                     RevisitSettings, Script)


class ReadOnlyDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False  # nothing is hard-deleted


# Moved only by the services (intake, hand-over, transfer, close, void, "received at" by a supervisor), each
# leaving its CallEvent: the admin shows them and never writes them.
CALL_WORKFLOW_FIELDS = ("number", "status", "received_at", "agent", "owner", "outcome", "department", "void_reason",
                        "closed_at", "valid", "valid_checked_at", "repair_on_site_at", "repair_finished_at",
                        "repair_callback_reminded_at")


@admin.register(Call)
class CallAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("number", "received_at", "caller_phone", "category", "outcome", "status", "owner")
    list_filter = ("status", "category", "channel", "outcome")
    search_fields = ("number", "caller_phone", "caller_name")
    raw_id_fields = ("customer",)
    readonly_fields = CALL_WORKFLOW_FIELDS

    def has_add_permission(self, request):
        return False  # calls are logged on the intake page (numbering, customer, token, events)

    def revert_disabled(self, request, obj=None):
        return True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # Reverting saves the whole old version, workflow fields included: view only.
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


@admin.register(CallEvent)
class CallEventAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    """The workflow trail: never added, edited or deleted by hand."""

    list_display = ("call", "kind", "by", "at")
    list_select_related = ("call", "by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Customer)
class CustomerAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("id", "name", "organisation", "merged_into")
    search_fields = ("name", "organisation", "phones__number")


@admin.register(CustomerPhone)
class CustomerPhoneAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("number", "customer")
    search_fields = ("number",)


@admin.register(Script)
class ScriptAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("kind", "order", "active")


@admin.register(Holiday)
class HolidayAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("name", "start_date", "end_date", "active")


@admin.register(IntakeSettings)
class IntakeSettingsAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("phone_reply_hours", "email_reply_hours", "remind_before_minutes")


@admin.register(RevisitSettings)
class RevisitSettingsAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("due_days", "due_unit", "categories")


@admin.register(CallRevisit)
class CallRevisitAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    """Moved only by the services (``tickets.revisits``), each move leaving its event: shown, never written."""

    list_display = ("call", "state", "due_at", "satisfaction", "by", "revisited_at")
    list_filter = ("state",)
    list_select_related = ("call", "by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CallRevisitEvent)
class CallRevisitEventAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("revisit", "action", "by", "at")
    list_select_related = ("revisit__call", "by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
