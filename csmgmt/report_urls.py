from django.urls import path

from . import report_views as views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.report_regenerate, name="regenerate"),
    path("<int:pk>/row/", views.report_row, name="row"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("team/", views.team_download, name="team"),
    path("jobs/", views.job_list, name="jobs"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
