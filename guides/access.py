"""Lookups of guides and their versions, each starting from the request's organization."""

from django.db.models import OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts.access import Action, OrgRequest, may
from guides import versions
from guides.models import Guide, GuideVersion


def get_guide(request: OrgRequest, pk: int) -> Guide:
    return get_object_or_404(Guide, organization=request.organization, pk=pk)


def get_version(request: OrgRequest, pk: int, number: int, *, parts: bool = True) -> GuideVersion:
    """The guide's version `number`, with every part prefetched unless `parts` is false."""
    guide = get_guide(request, pk)
    found = versions.version_with_parts(guide.versions.all()) if parts else guide.versions.all()
    return get_object_or_404(found.select_related("guide"), number=number)


def get_draft(request: OrgRequest, pk: int, *, lock: bool = False) -> GuideVersion:
    """The guide's draft; 404 when the guide is not ours or has no draft to change.

    A change locks it (in a transaction), so that it cannot be published half-way through
    and no change lands in a version that was published meanwhile.
    """
    guide = get_guide(request, pk)
    drafts = guide.versions.select_related("guide").filter(status="draft")
    return get_object_or_404(drafts.select_for_update(of=("self",)) if lock else drafts)


def guides_to_open(request: OrgRequest) -> QuerySet[Guide]:
    """The organization's guides, for those who may build them, with `title`: their latest
    version's."""
    latest = GuideVersion.objects.filter(guide=OuterRef("pk")).order_by("-number")
    guides = Guide.objects.filter(organization=request.organization).annotate(
        title=Subquery(latest.values("title")[:1])
    )
    return guides if may(request.membership, Action.BUILD_GUIDES) else guides.none()
