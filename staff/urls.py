from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notification_read, name="notifications_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("import/employees/", views.import_employees, name="import_employees"),
]
