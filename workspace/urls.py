from django.urls import path

from workspace import views

app_name = "workspace"

urlpatterns = [
    path("o/<slug:org_slug>/", views.home, name="home"),
    path("o/<slug:org_slug>/search/", views.search_page, name="search"),
]
