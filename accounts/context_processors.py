from django.utils.functional import SimpleLazyObject

from accounts.access import Action, may, memberships_of


def organizations(request):
    """The signed-in user's memberships, for the organization switcher: those the organization's
    pages read already (accounts.middleware), else read when shown."""
    if hasattr(request, "memberships"):
        return {"my_memberships": request.memberships}
    return {"my_memberships": SimpleLazyObject(lambda: memberships_of(request.user))}


def capabilities(request):
    """`can.<action>`: what the member's role may do in the request's organization, for
    templates to show only what works (accounts.access)."""
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"can": {}}
    return {"can": {action.value: may(membership, action) for action in Action}}
