from django.urls import path

from . import views

app_name = "complaints"
urlpatterns = [
    path("", views.all_complaints, name="all"),
    path("mine/", views.mine, name="mine"),
    path("approvals/", views.approvals, name="approvals"),
    path("department/", views.department, name="department"),
    path("revisits/", views.revisits, name="revisits"),
    path("overdue/", views.overdue, name="overdue"),
    path("new/", views.create, name="create"),
    path("new/from-call/<int:call_id>/", views.create_from_call, name="create_from_call"),
    path("new/from-revisit/<int:revisit_id>/", views.from_revisit, name="from_revisit"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/xlsx/", views.statistics_xlsx, name="statistics_xlsx"),
    path("revisits/week/", views.revisit_week, name="revisit_week"),
    path("settings/", views.clock_settings, name="settings"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/act/", views.act, name="act"),
    path("<int:pk>/print/", views.print_form, name="print"),
    path("<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<int:pk>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("<int:pk>/evidence/<int:evidence_id>/image/", views.evidence_image, name="evidence_image"),
]
