from datetime import datetime, time, timedelta

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from accounts.access import OrgRequest, pending_invitations
from candidates import access as candidate_access
from debriefs import access as debrief_access
from exercises import access as exercise_access
from references import access as reference_access
from scorecards import access as scorecard_access
from workspace import search

HOME_ROWS = 10  # per list on the home page


@require_safe
def home(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The member's day: what they owe, what is coming, and what waits on them by role."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    now = timezone.now()
    lists = {
        "owed": scorecard_access.feedback_owed(request),
        "today": scorecard_access.interviews_between(request, now, start + timedelta(days=1)),
        "week": scorecard_access.interviews_between(
            request, start + timedelta(days=1), start + timedelta(days=7)
        ),
        "hand_ins": exercise_access.hand_ins_to_review(request),
        "debriefs": debrief_access.debriefs_ready(request),
        "decisions": debrief_access.decisions_waiting(request),
        "stuck": candidate_access.loops_stuck(request),
        "to_schedule": candidate_access.loops_to_schedule(request),
        "packets": candidate_access.packets_ready(request),
        "calls": reference_access.calls_to_make(request),
        "invitations": pending_invitations(request),
        "untrained": candidate_access.members_in_training(request),
    }
    # One more than shown, to know whether "see all" has more to show.
    todo = {name: list(rows[: HOME_ROWS + 1]) for name, rows in lists.items()}
    return render(request, "workspace/home.html", {"todo": todo, "shown": HOME_ROWS})


SUGGESTIONS = 5  # of each kind, as the viewer types
PAGE_ROWS = 25  # of each kind, on the results page


@require_safe
def search_page(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The header's search: as the viewer types (htmx, a few of each kind), or a page of
    results grouped by kind that works without JavaScript."""
    status, error, groups = 200, "", []
    try:
        query = search.cleaned(request.GET.get("q", ""))
    except search.QueryRefused as refused:
        query, status, error = "", 400, str(refused)
    if query:
        limit = SUGGESTIONS if request.htmx else PAGE_ROWS
        groups = [group for group in search.search(request, query, limit=limit) if group.hits]
    context = {"query": query, "groups": groups, "error": error}
    template = "workspace/search.html#suggestions" if request.htmx else "workspace/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response
