from django.urls import path

from exercises import views

app_name = "exercises"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}loops/<id:pk>/exercise/", views.exercise_send, name="exercise-send"),
    path(
        f"{org}loops/<id:pk>/confirmations/",
        views.loop_confirmations,
        name="loop-confirmations",
    ),
    path(f"{org}exercises/<id:pk>/resend/", views.exercise_resend, name="exercise-resend"),
    path(f"{org}exercises/<id:pk>/revoke/", views.exercise_revoke, name="exercise-revoke"),
    path(f"{org}exercises/<id:pk>/extend/", views.exercise_extend, name="exercise-extend"),
    path(f"{org}hand-ins/<id:pk>/file/", views.hand_in_file, name="hand-in-file"),
    # The candidate's page: outside any organization, their private link the only key.
    path("exercise/<str:token>/", views.hand_in, name="hand-in"),
]
