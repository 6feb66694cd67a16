from django.urls import path

from . import views

urlpatterns = [
    path("", views.calendars, name="calendars"),
    path("department/<int:pk>/", views.department_calendar, name="calendar_department"),
    path("exception/<int:pk>/void/", views.exception_void, name="calendar_exception_void"),
    path("day/<int:pk>/void/", views.public_day_void, name="calendar_public_day_void"),
    path("greeting/", views.holiday_greeting, name="calendar_holiday_greeting"),
]
