from django.urls import path

from . import telephony_views as views

app_name = "telephony"
urlpatterns = [
    path("to-log/", views.calls_to_log, name="to_log"),
    path("missed/", views.missed_calls, name="missed"),
    path("<int:pk>/take/", views.missed_call_take, name="take"),
    path("<int:pk>/link/", views.exchange_call_link, name="link"),
    path("ringing/", views.ringing, name="ringing"),
    path("dial/", views.dial, name="dial"),
]
