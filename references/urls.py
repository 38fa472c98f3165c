from django.urls import path

from references import views

app_name = "references"

org = "o/<slug:org_slug>/"

urlpatterns = [
    path(f"{org}loops/<int:pk>/references/", views.reference_list, name="reference-list"),
    path(f"{org}loops/<int:pk>/references/new/", views.reference_new, name="reference-new"),
    path(f"{org}references/<int:pk>/", views.reference_call, name="reference-call"),
    path(f"{org}references/<int:pk>/field/", views.reference_field, name="reference-field"),
    path(f"{org}references/<int:pk>/edit/", views.reference_edit, name="reference-edit"),
    path(f"{org}references/<int:pk>/delete/", views.reference_delete, name="reference-delete"),
]
