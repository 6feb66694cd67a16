from django.urls import include, path

from . import views

app_name = "staff"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("import/employees/", views.import_employees, name="import_employees"),
    # attendance: names are "staff:<name>" (e.g. staff:my_attendance)
    path("attendance/", include("staff.attendance.urls")),
    # scoring: names are "staff:<name>" (e.g. staff:scorecard)
    path("scores/", include("staff.scoring.urls")),
    # working calendars (REGULATIONS §9): names are "staff:calendar…"
    path("calendars/", include("staff.calendars.urls")),
]
