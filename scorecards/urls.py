from django.urls import path

from scorecards import views

app_name = "scorecards"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}my-interviews/", views.my_interviews, name="my-interviews"),
    path(f"{org}interviews/<id:pk>/", views.kit, name="kit"),
    path(f"{org}scorecards/<id:pk>/", views.scorecard_detail, name="scorecard-detail"),
    path(f"{org}scorecards/<id:pk>/field/", views.scorecard_field, name="scorecard-field"),
    path(f"{org}scorecards/<id:pk>/submit/", views.scorecard_submit, name="scorecard-submit"),
    path(f"{org}scorecards/<id:pk>/amend/", views.scorecard_amend, name="scorecard-amend"),
]
