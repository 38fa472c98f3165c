from django.contrib import admin
from django.urls import include, path, register_converter

from config.ids import IdConverter

# Every id in a URL is `<id:…>`, registered before the apps' URL modules are read.
register_converter(IdConverter, "id")

from accounts import views as account_views  # noqa: E402
from api.urls import api_urlpatterns  # noqa: E402

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password_change/",
        account_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
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
