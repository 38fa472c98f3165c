from django.urls import path

from insights import views

app_name = "insights"

urlpatterns = [
    path("o/<slug:org_slug>/insights/", views.organization_insights, name="insights"),
    path("o/<slug:org_slug>/jobs/<id:pk>/insights/", views.job_insights, name="job-insights"),
]
