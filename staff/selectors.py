from csmgmt.core.models import Notification

from .models import Employee


def notifications_for(employee: Employee):
    return Notification.objects.filter(recipient=employee).order_by("-created", "-id")


def active_employees():
    return Employee.objects.filter(active=True).select_related("department", "user")
