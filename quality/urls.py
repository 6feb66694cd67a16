from django.urls import path

from . import views

app_name = "quality"

urlpatterns = [
    path("", views.inspection_month, name="month"),
    path("mine/", views.inspection_mine, name="mine"),
    path("draw/", views.inspection_draw, name="draw"),
    path("<int:pk>/", views.inspection_detail, name="detail"),
    path("<int:pk>/score/", views.inspection_score, name="score"),
    path("<int:pk>/swap/", views.inspection_swap, name="swap"),
    path("<int:pk>/appeal/", views.inspection_appeal, name="appeal"),
    path("<int:pk>/decide/", views.inspection_decide, name="decide"),
    path("items/<int:pk>/violation/", views.inspection_violation, name="violation"),
    path("settings/", views.quality_settings, name="settings"),
    path("settings/checklist/", views.quality_checklist, name="checklist"),
]
