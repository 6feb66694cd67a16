from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Call, CallEvent, Customer, CustomerPhone, Holiday, IntakeSettings, Script


class ReadOnlyDeleteMixin:
    def has_delete_permission(self, request, obj=None):
        return False  # nothing is hard-deleted


@admin.register(Call)
class CallAdmin(ReadOnlyDeleteMixin, SimpleHistoryAdmin):
    list_display = ("number", "received_at", "caller_phone", "category", "outcome", "status", "owner")
    list_filter = ("status", "category", "channel", "outcome")
    search_fields = ("number", "caller_phone", "caller_name")
    raw_id_fields = ("customer", "agent", "owner", "department")


@admin.register(CallEvent)
class CallEventAdmin(ReadOnlyDeleteMixin, admin.ModelAdmin):
    list_display = ("call", "kind", "by", "at")
    raw_id_fields = ("call", "by", "from_owner", "to_owner")


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
