"""Who a key reads as, and the lookups of the admin pages: each starts from the organization
of the request and answers 404 alike for a missing row and another organization's."""

from django.shortcuts import get_object_or_404

from accounts.access import OrgRequest
from accounts.models import Membership, Organization, Role
from api.models import ApiKey, Delivery, WebhookEndpoint


def reader(organization: Organization) -> Membership:
    """An admin who is no one and interviews in no loop (DESIGN.md): what a key, or a webhook's
    payload, may read. `scorecards.visibility` decides for it as for any member: every submitted
    scorecard, no draft, and no recommendation until the debrief reveals them (rule 3)."""
    return Membership(organization=organization, role=Role.ADMIN)


def get_key(request: OrgRequest, pk: int) -> ApiKey:
    return get_object_or_404(ApiKey, organization=request.organization, pk=pk)


def get_endpoint(request: OrgRequest, pk: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, organization=request.organization, pk=pk)


def get_delivery(request: OrgRequest, pk: int) -> Delivery:
    return get_object_or_404(
        Delivery.objects.select_related("endpoint"),
        endpoint__organization=request.organization,
        pk=pk,
    )
