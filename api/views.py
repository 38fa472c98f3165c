from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, OrgRequest, requires
from api import keys, webhooks
from api.access import get_delivery, get_endpoint, get_key
from api.forms import EndpointForm, KeyForm
from api.models import ApiKey, Event, WebhookEndpoint

integrators = requires(Action.MANAGE_INTEGRATIONS)


@require_http_methods(["GET", "HEAD", "POST"])
@integrators
def key_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The organization's API keys; a new key is shown here once, never again."""
    form = KeyForm(request.POST or None)
    new_key, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            _, new_key = keys.create_key(
                organization=request.organization,
                name=form.cleaned_data["name"],
                can_write=form.cleaned_data["can_write"],
                user=request.user,
            )
            form = KeyForm()
        else:
            status = 400
    rows = ApiKey.objects.filter(organization=request.organization).select_related("created_by")
    context = {"keys": rows, "form": form, "new_key": new_key}
    response = render(request, "api/keys.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # the new key is in it
    return response


@require_POST
@integrators
def key_revoke(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    keys.revoke(key=get_key(request, pk))
    return redirect("integrations:keys", org_slug)


@require_http_methods(["GET", "HEAD", "POST"])
@integrators
def webhook_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The organization's webhook endpoints; a new one's secret is shown here once."""
    form = EndpointForm(request.POST or None)
    created, status = None, 200
    if request.method == "POST":
        if form.is_valid():
            created = webhooks.create_endpoint(
                organization=request.organization,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                user=request.user,
            )
            form = EndpointForm()
        else:
            status = 400
    endpoints = WebhookEndpoint.objects.filter(organization=request.organization)
    context = {"endpoints": endpoints, "form": form, "created": created, "events": Event}
    response = render(request, "api/webhooks.html", context, status=status)
    response["Cache-Control"] = "private, no-store"  # the new secret is in it
    return response


@require_safe
@integrators
def webhook_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    endpoint = get_endpoint(request, pk)
    deliveries = endpoint.deliveries.all()[:50]
    context = {"endpoint": endpoint, "deliveries": deliveries, "events": Event}
    return render(request, "api/webhook_detail.html", context)


@require_POST
@integrators
def webhook_switch(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    webhooks.switch(endpoint=get_endpoint(request, pk), on=request.POST.get("on") == "1")
    return redirect("integrations:webhook-detail", org_slug, pk)


@require_POST
@integrators
def webhook_delete(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    get_endpoint(request, pk).delete()
    return redirect("integrations:webhook-list", org_slug)


@require_POST
@integrators
def delivery_resend(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    delivery = get_delivery(request, pk)
    webhooks.resend(delivery=delivery)
    return redirect("integrations:webhook-detail", org_slug, delivery.endpoint_id)
