from django.contrib import admin
from django.urls import include, path

from accounts import views as account_views
from api.urls import api_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("healthz", account_views.healthz, name="healthz"),
    path("", include("accounts.urls")),
    path("", include("workspace.urls")),
    path("", include("guides.urls")),
    path("", include("candidates.urls")),
    path("", include("scorecards.urls")),
    path("", include("debriefs.urls")),
    path("", include("insights.urls")),
    path("", include("references.urls")),
    path("", include("exercises.urls")),
    path("", include("api.urls")),
    *api_urlpatterns,
]

handler400 = "accounts.views.bad_request"
