from django.urls import path

from . import views

app_name = "knowledge"
urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_create, name="create"),
    path("settings/", views.knowledge_settings, name="settings"),
    path("intake/search/", views.intake_search, name="intake_search"),
    path("intake/mark/", views.intake_mark, name="intake_mark"),
    path("<int:pk>/", views.article_detail, name="detail"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("<int:pk>/act/", views.article_act, name="act"),
    path("<int:pk>/used/", views.article_mark_used, name="mark_used"),
]
