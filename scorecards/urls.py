from django.urls import path

from scorecards import views

app_name = "scorecards"

urlpatterns = [
    path("o/<slug:org_slug>/my-interviews/", views.my_interviews, name="my-interviews"),
]
