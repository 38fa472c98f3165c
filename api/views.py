from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.access import Action, OrgRequest, requires
from api import keys
from api.access import get_key
from api.forms import KeyForm
from api.models import ApiKey

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
