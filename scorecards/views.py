from django.db.models import F
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.access import OrgRequest
from candidates.models import Interview
from scorecards.models import Scorecard

SUBMITTED_SHOWN = 50


@require_safe
def my_interviews(request: OrgRequest, org_slug: str) -> HttpResponse:
    """The member's own interviews: what is coming, what feedback they owe, what they gave."""
    now = timezone.now()
    mine = Scorecard.objects.filter(
        interviewer=request.user,
        archived_at__isnull=True,
        interview__status=Interview.Status.SCHEDULED,
        interview__loop__job__organization=request.organization,
    ).select_related("interview__stage", "interview__loop__candidate", "interview__loop__job")
    upcoming = mine.filter(interview__ends_at__gt=now).order_by("interview__starts_at")
    owed = mine.filter(status=Scorecard.Status.DRAFT, interview__ends_at__lte=now).order_by(
        "due_at"
    )
    submitted = mine.filter(status=Scorecard.Status.SUBMITTED).order_by(
        F("submitted_at").desc(nulls_last=True)
    )[:SUBMITTED_SHOWN]
    context = {
        "upcoming": list(upcoming),
        "owed": list(owed),
        "submitted": list(submitted),
        "now": now,
    }
    return render(request, "scorecards/my_interviews.html", context)
