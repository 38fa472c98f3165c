from django.contrib import admin

from guides.models import GuideVersion


@admin.register(GuideVersion)
class GuideVersionAdmin(admin.ModelAdmin):
    """For operators to look; guides are built and changed in the builder, which keeps
    published versions as they are."""

    list_display = ["title", "number", "status", "organization", "published_at", "created_at"]
    list_filter = ["status"]
    search_fields = ["title", "guide__organization__name"]
    list_select_related = ["guide__organization"]

    @admin.display(ordering="guide__organization__name")
    def organization(self, version):
        return version.guide.organization

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
