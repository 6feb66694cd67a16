from django.urls import path

from . import views

app_name = "integrations"
urlpatterns = [
    path("", views.integration_list, name="list"),
    path("new/", views.integration_new, name="new"),
    path("<int:pk>/", views.integration_detail, name="detail"),
    path("<int:pk>/revoke/", views.integration_revoke, name="revoke"),
]
