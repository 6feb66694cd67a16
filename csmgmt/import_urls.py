from django.urls import path

from . import import_views as views

app_name = "imports"
urlpatterns = [
    path("<int:pk>/", views.import_detail, name="detail"),
    path("<int:pk>/status/", views.import_status, name="status"),
]
