from django.urls import path

from . import views

app_name = "targets"

urlpatterns = [
    path("my/", views.my_month, name="my"),
    path("team/", views.team, name="team"),
    path("department/", views.department, name="department"),
    path("settings/", views.settings_page, name="settings"),
]
