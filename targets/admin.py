from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import MonthFigure, Target


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ("figure", "applies_from", "value", "set_by", "updated_at")
    list_filter = ("figure",)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MonthFigure)
class MonthFigureAdmin(admin.ModelAdmin):
    list_display = ("month", "figure", "numerator", "denominator", "computed_at")
    readonly_fields = ("month", "figure", "numerator", "denominator", "computed_at")

    def has_delete_permission(self, request, obj=None):
        return False
