from django.urls import path

from api import views
from api.v1 import api

app_name = "integrations"

urlpatterns = [
    path("o/<slug:org_slug>/api-keys/", views.key_list, name="keys"),
    path("o/<slug:org_slug>/api-keys/<int:pk>/revoke/", views.key_revoke, name="key-revoke"),
]

api_urlpatterns = [path("api/v1/", api.urls)]
