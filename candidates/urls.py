from django.urls import path

from candidates import views

app_name = "candidates"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}jobs/", views.job_list, name="job-list"),
    path(f"{org}jobs/new/", views.job_new, name="job-new"),
    path(f"{org}jobs/<id:pk>/", views.job_detail, name="job-detail"),
    path(f"{org}jobs/<id:pk>/edit/", views.job_edit, name="job-edit"),
    path(f"{org}candidates/", views.candidate_list, name="candidate-list"),
    path(f"{org}candidates/new/", views.candidate_new, name="candidate-new"),
    path(f"{org}candidates/<id:pk>/", views.candidate_detail, name="candidate-detail"),
    path(f"{org}candidates/<id:pk>/edit/", views.candidate_edit, name="candidate-edit"),
    path(f"{org}candidates/<id:pk>/resume/", views.candidate_resume, name="candidate-resume"),
    path(f"{org}candidates/<id:pk>/erase/", views.candidate_erase, name="candidate-erase"),
    path(f"{org}candidates/<id:pk>/loops/new/", views.loop_new, name="loop-new"),
    path(f"{org}loops/<id:pk>/", views.loop_detail, name="loop-detail"),
    path(f"{org}loops/<id:pk>/status/", views.loop_status, name="loop-status"),
    path(f"{org}loops/<id:pk>/packet/", views.loop_packet, name="loop-packet"),
    path(f"{org}packets/<id:pk>/download/", views.packet_download, name="packet-download"),
    path(f"{org}loops/<id:pk>/schedule/", views.interview_new, name="interview-new"),
    path(f"{org}interviews/<id:pk>/edit/", views.interview_edit, name="interview-edit"),
    path(f"{org}interviews/<id:pk>/cancel/", views.interview_cancel, name="interview-cancel"),
    path(
        f"{org}interviews/<id:pk>/calendar.ics",
        views.interview_calendar,
        name="interview-calendar",
    ),
]
