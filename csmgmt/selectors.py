from staff.models import Notification
from staff.permissions import roles_of


def my_work_summary(user) -> dict:
    """What every home page shows, whatever the role: roles and the latest unread notices."""
    employee = getattr(user, "employee", None)
    latest = []
    if employee is not None:
        latest = list(
            Notification.objects.filter(recipient=employee, read_at__isnull=True).order_by("-created", "-id")[:5]
        )
    return {"employee": employee, "roles": sorted(roles_of(user)), "latest_notices": latest}
