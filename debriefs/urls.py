from django.urls import path

from debriefs import views

app_name = "debriefs"

loop = "o/<slug:org_slug>/loops/<id:pk>/debrief/"

urlpatterns = [
    path(loop, views.debrief, name="debrief"),
    path(f"{loop}phase/", views.debrief_phase, name="debrief-phase"),
    path(f"{loop}notes/", views.debrief_notes, name="debrief-notes"),
    path(f"{loop}recommendation/", views.recommendation_change, name="recommendation-change"),
    path(f"{loop}decision/", views.decision, name="decision"),
    path("o/<slug:org_slug>/jobs/<int:pk>/compare/", views.job_compare, name="job-compare"),
]
