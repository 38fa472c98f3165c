from django.urls import path

from guides import views
from guides.forms import PARTS, SECTIONS

app_name = "guides"

GUIDE = "o/<slug:org_slug>/guides/<id:pk>/"
EDIT = GUIDE + "edit/"


def _part_urls():
    """Add, change, delete and reorder, for each kind of part of a draft."""
    for kind, part in PARTS.items():
        add = f"{EDIT}{kind}/add/" + ("<id:parent_pk>/" if part.parent else "")
        yield path(add, views.part_view(views.part_add, part), name=f"{kind}-add")
        yield path(
            f"{EDIT}{kind}/<id:part_pk>/",
            views.part_view(views.part_update, part),
            name=f"{kind}-update",
        )
        yield path(
            f"{EDIT}{kind}/<id:part_pk>/delete/",
            views.part_view(views.part_delete, part),
            name=f"{kind}-delete",
        )
        yield path(
            f"{EDIT}{kind}/reorder/",
            views.part_view(views.part_reorder, part),
            name=f"{kind}-reorder",
        )


urlpatterns = [
    path("o/<slug:org_slug>/guides/", views.guide_list, name="guide-list"),
    path("o/<slug:org_slug>/guides/new/", views.guide_new, name="guide-new"),
    path("o/<slug:org_slug>/guides/new/starter/", views.guide_from_starter, name="guide-starter"),
    path("o/<slug:org_slug>/guides/import/", views.guide_import, name="guide-import"),
    path(GUIDE, views.guide_detail, name="guide-detail"),
    path(GUIDE + "v<id:number>/", views.guide_version, name="guide-version"),
    path(GUIDE + "v<id:number>/export/", views.guide_export, name="guide-export"),
    path(GUIDE + "v<id:number>/pdf/", views.guide_pdf, name="guide-pdf"),
    path(GUIDE + "compare/", views.guide_compare, name="guide-compare"),
    path(GUIDE + "copy/", views.guide_copy, name="guide-copy"),
    path(GUIDE + "delete/", views.guide_delete, name="guide-delete"),
    path(GUIDE + "stages/<id:stage_pk>/preview/", views.stage_preview, name="stage-preview"),
    path(EDIT, views.guide_edit, name="guide-edit"),
    path(EDIT + "publish/", views.guide_publish, name="guide-publish"),
    path(EDIT + "discard/", views.draft_discard, name="draft-discard"),
    path(EDIT + "stages/<id:stage_pk>/", views.stage_edit, name="stage-edit"),
    path(EDIT + "placeholders/", views.placeholder_fill, name="placeholder-fill"),
    *(
        path(
            f"{EDIT}{section}/",
            views.section_update,
            {"section": section},
            name=f"{section}-update",
        )
        for section in SECTIONS
    ),
    *_part_urls(),
]
