from django.utils.functional import SimpleLazyObject

from accounts.access import memberships_of


def organizations(request):
    """The signed-in user's memberships, for the organization switcher (read when shown)."""
    return {"my_memberships": SimpleLazyObject(lambda: memberships_of(request.user))}
