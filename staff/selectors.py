from .models import Employee, Notification


def notifications_for(employee: Employee):
    return Notification.objects.filter(recipient=employee).order_by("-created", "-id")


def active_employees():
    return Employee.objects.filter(active=True).select_related("department", "user")
