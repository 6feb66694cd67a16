"""The project's URLs plus the complaints URL the intake page links to, as the complaints app will add it."""

from django.http import HttpResponse
from django.urls import include, path

from csmgmt.urls import urlpatterns as project

complaints = ([path("from-call/<int:pk>/", lambda request, pk: HttpResponse("ok"), name="create_from_call")],
              "complaints")
urlpatterns = [p for p in project if getattr(p, "namespace", None) != "complaints"]
urlpatterns.insert(0, path("complaints/", include(complaints)))
