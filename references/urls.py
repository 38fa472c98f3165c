from django.urls import path

from references import views

app_name = "references"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}loops/<id:pk>/references/", views.reference_list, name="reference-list"),
    path(f"{org}loops/<id:pk>/references/new/", views.reference_new, name="reference-new"),
    path(f"{org}references/<id:pk>/", views.reference_call, name="reference-call"),
    path(f"{org}references/<id:pk>/field/", views.reference_field, name="reference-field"),
    path(f"{org}references/<id:pk>/edit/", views.reference_edit, name="reference-edit"),
    path(f"{org}references/<id:pk>/delete/", views.reference_delete, name="reference-delete"),
]
