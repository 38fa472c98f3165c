from django.urls import path

from candidates import views

app_name = "candidates"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}jobs/", views.job_list, name="job-list"),
    path(f"{org}jobs/new/", views.job_new, name="job-new"),
    path(f"{org}jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path(f"{org}jobs/<int:pk>/edit/", views.job_edit, name="job-edit"),
    path(f"{org}candidates/", views.candidate_list, name="candidate-list"),
    path(f"{org}candidates/new/", views.candidate_new, name="candidate-new"),
    path(f"{org}candidates/<int:pk>/", views.candidate_detail, name="candidate-detail"),
    path(f"{org}candidates/<int:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path(f"{org}candidates/<int:pk>/resume/", views.candidate_resume, name="candidate-resume"),
    path(f"{org}candidates/<int:pk>/erase/", views.candidate_erase, name="candidate-erase"),
    path(f"{org}candidates/<int:pk>/loops/new/", views.loop_new, name="loop-new"),
    path(f"{org}loops/<int:pk>/", views.loop_detail, name="loop-detail"),
    path(f"{org}loops/<int:pk>/status/", views.loop_status, name="loop-status"),
    path(f"{org}loops/<int:pk>/packet/", views.loop_packet, name="loop-packet"),
    path(f"{org}packets/<int:pk>/download/", views.packet_download, name="packet-download"),
    path(f"{org}loops/<int:pk>/schedule/", views.interview_new, name="interview-new"),
    path(f"{org}interviews/<int:pk>/edit/", views.interview_edit, name="interview-edit"),
    path(f"{org}interviews/<int:pk>/cancel/", views.interview_cancel, name="interview-cancel"),
    path(
        f"{org}interviews/<int:pk>/calendar.ics",
        views.interview_calendar,
        name="interview-calendar",
    ),
]
