from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django_htmx.http import HttpResponseClientRedirect
from django_scopes import scope

from accounts.access import memberships_of


class OrganizationMiddleware:
    """Resolves /o/<org_slug>/ to the organization and the member's role, once per request.

    An unknown slug and an organization the user is not a member of answer the same 404.
    The view then runs inside the organization's django-scopes scope, so that a query on a
    tenant model that forgot its organization raises instead of reaching another tenant.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        slug = match.kwargs.get("org_slug")
        if slug is None:
            return self.get_response(request)
        if not request.user.is_authenticated:
            if request.htmx:
                # A swap would put the login page inside a table row: load it as a page, and
                # come back to the page the user was on, not to the fragment's address.
                back = request.htmx.current_url_abs_path or "/"
                return HttpResponseClientRedirect(redirect_to_login(back).url)
            return redirect_to_login(request.get_full_path())
        # Every membership of the user's in one query: the page's header lists them to switch
        # organizations (accounts.context_processors), which would otherwise read them again.
        memberships = memberships_of(request.user)
        membership = next((m for m in memberships if m.organization.slug == slug), None)
        if membership is None:
            raise Http404("No such organization.")
        membership.user = request.user
        request.memberships = memberships
        request.membership = membership
        request.organization = membership.organization
        # Times show in the organization's time zone.
        with (
            scope(organization=membership.organization),
            timezone.override(membership.organization.zone),
        ):
            return self.get_response(request)


def method_not_allowed_page(get_response):
    """Gives Django's empty 405 (a form URL opened in the address bar) a page that says why."""

    def middleware(request):
        response = get_response(request)
        if response.status_code == 405 and not response.content:
            page = render(request, "405.html", status=405)
            page["Allow"] = response["Allow"]
            return page
        return response

    return middleware
