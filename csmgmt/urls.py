from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .api import endpoints as api_endpoints

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language, name="set_language"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("staff/", include("staff.urls")),
    path("calls/", include("tickets.urls")),
    path("complaints/", include("complaints.urls")),
    path("lostfound/", include("lostfound.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("targets/", include("targets.urls")),
    path("quality/", include("quality.urls")),
    path("reports/", include("csmgmt.report_urls")),
    path("imports/", include("csmgmt.import_urls")),
    path("integrations/", include("csmgmt.api.urls")),
    path("phone/", include("csmgmt.api.telephony_urls")),
    path("api/", api_endpoints.urls()),
    path("admin/", admin.site.urls),
]

handler403 = "csmgmt.views.error_403"
