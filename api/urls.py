from django.urls import path

from api import views
from api.v1 import api

app_name = "integrations"

urlpatterns = [
    path("o/<slug:org_slug>/api-keys/", views.key_list, name="keys"),
    path("o/<slug:org_slug>/api-keys/<id:pk>/revoke/", views.key_revoke, name="key-revoke"),
    path("o/<slug:org_slug>/webhooks/", views.webhook_list, name="webhook-list"),
    path("o/<slug:org_slug>/webhooks/<id:pk>/", views.webhook_detail, name="webhook-detail"),
    path("o/<slug:org_slug>/webhooks/<id:pk>/switch/", views.webhook_switch, name="webhook-switch"),
    path("o/<slug:org_slug>/webhooks/<id:pk>/delete/", views.webhook_delete, name="webhook-delete"),
    path(
        "o/<slug:org_slug>/webhook-deliveries/<id:pk>/resend/",
        views.delivery_resend,
        name="delivery-resend",
    ),
]

api_urlpatterns = [path("api/v1/", api.urls)]
