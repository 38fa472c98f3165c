"""Lookups of guides and their versions, each starting from the request's organization."""

from django.shortcuts import get_object_or_404

from accounts.access import OrgRequest
from guides import versions
from guides.models import Guide, GuideVersion


def get_guide(request: OrgRequest, pk: int) -> Guide:
    return get_object_or_404(Guide, organization=request.organization, pk=pk)


def get_version(request: OrgRequest, pk: int, number: int) -> GuideVersion:
    guide = get_guide(request, pk)
    return get_object_or_404(versions.version_with_parts(guide.versions.all()), number=number)


def get_draft(request: OrgRequest, pk: int, *, lock: bool = False) -> GuideVersion:
    """The guide's draft; 404 when the guide is not ours or has no draft to change.

    A change locks it (in a transaction), so that it cannot be published half-way through
    and no change lands in a version that was published meanwhile.
    """
    guide = get_guide(request, pk)
    drafts = guide.versions.select_related("guide").filter(status="draft")
    return get_object_or_404(drafts.select_for_update(of=("self",)) if lock else drafts)
