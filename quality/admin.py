"""Read-only admin of quality inspection: every change goes through the services (and is trailed)."""

from django.contrib import admin

from .models import (ChecklistItem, ChecklistVersion, Inspection, InspectionEvent, ItemScore, QualitySettings,
                     SampleDraw, Swap)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (ChecklistItem, ChecklistVersion, Inspection, InspectionEvent, ItemScore, QualitySettings, SampleDraw,
              Swap):
    admin.site.register(model, ReadOnly)
