"""Every URL pattern of the project, read from the URL resolver, and how to fill its parameters.

The sweeps (tests/test_tenancy_sweep.py, tests/test_bad_input_sweep.py) request each pattern.
A pattern whose route takes a parameter besides `org_slug` needs an entry in URL_CASES, or the
sweeps fail: adding a URL means saying here how to make an object it points at.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership, Organization, Role
from tests.factories import InvitationFactory, member

# Namespaces left out of the sweeps, and why.
NOT_SWEPT = {
    "admin": "Django's admin is for superusers, who look across organizations on purpose.",
}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    route: str  # the route as written, e.g. "o/<slug:org_slug>/members/<int:pk>/role/"
    params: tuple[str, ...]

    @property
    def in_organization(self) -> bool:
        return "org_slug" in self.params

    @property
    def object_params(self) -> tuple[str, ...]:
        return tuple(p for p in self.params if p != "org_slug")


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, route, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, route


def all_routes() -> list[Route]:
    routes = []
    for name, route in _walk(get_resolver().url_patterns):
        if name.split(":")[0] in NOT_SWEPT:
            continue
        params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
        routes.append(Route(name=name, route=route, params=params))
    return routes


def _membership(org: Organization) -> dict:
    user = member(org, Role.RECRUITER)
    return {"pk": Membership.objects.get(user=user, organization=org).pk}


def _invitation(org: Organization) -> dict:
    return {"pk": InvitationFactory(organization=org).pk}


def _invitation_token(org: Organization) -> dict:
    return {"token": InvitationFactory(organization=org).token}


def _password_reset(org: Organization) -> dict:
    return {"uidb64": "MQ", "token": "set-password"}


@dataclass(frozen=True)
class Case:
    make: Callable[[Organization], dict]  # creates an object in `org`; returns the URL kwargs
    tenant_object: bool = True  # False: the parameter is not an object of an organization
    why_not: str = ""


# One entry per URL pattern that takes a parameter besides org_slug.
URL_CASES: dict[str, Case] = {
    "accounts:member-role": Case(_membership),
    "accounts:member-remove": Case(_membership),
    "accounts:invitation-revoke": Case(_invitation),
    "accounts:invitation-accept": Case(
        _invitation_token,
        tenant_object=False,
        why_not="The signed link is the invitee's key; see tests/accounts/test_invitations.py.",
    ),
    "password_reset_confirm": Case(
        _password_reset,
        tenant_object=False,
        why_not="Django's own signed reset link for a user, not an organization's object.",
    ),
}


def routes_with_parameters() -> list[Route]:
    return [r for r in all_routes() if r.object_params]


def tenant_object_routes() -> list[Route]:
    return [
        r
        for r in routes_with_parameters()
        if r.name not in URL_CASES or URL_CASES[r.name].tenant_object
    ]


def url_for(route: Route, **kwargs) -> str:
    return reverse(route.name, kwargs=kwargs)


def snapshot() -> dict[str, list[dict]]:
    """Every row of every model of ours, to show that a request changed nothing."""
    rows = {}
    for config in apps.get_app_configs():
        if not config.path.startswith(str(settings.BASE_DIR)):
            continue
        for model in config.get_models():
            rows[model._meta.label] = list(model._base_manager.order_by("pk").values())
    return rows
