"""Lookups of the kit: the member's own scorecards and the stage they score, each starting
from the request's organization. Who may read whose scorecard is scorecards.visibility."""

from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.access import OrgRequest
from candidates.models import Interview
from guides.models import Criterion, GuideVersion, Question, Stage
from scorecards.models import Scorecard


def get_my_scorecard(
    request: OrgRequest, pk: int, *, lock: bool = False, loop: bool = True
) -> Scorecard:
    """The member's own scorecard, of an interview still on (a cancelled one's is archived),
    with the interview's stage and its version; with `loop`, the loop's candidate and job (an
    autosave needs neither)."""
    cards = Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interviewer=request.user,
        archived_at__isnull=True,
    ).select_related("interview__stage__version")
    if loop:
        cards = cards.select_related("interview__loop__candidate", "interview__loop__job")
    if lock:
        cards = cards.select_for_update(of=("self",))
    return get_object_or_404(cards, pk=pk)


def get_stage(request: OrgRequest, stage_id: int, *, guide: bool = False) -> Stage:
    """The stage with its questions and criteria; with `guide`, also what the kit shows beside
    them: the competencies questions probe, what criteria measure, the guide panel's parts."""
    stages = Stage.objects.filter(
        version__guide__organization=request.organization, pk=stage_id
    ).prefetch_related(
        "questions__points",
        Prefetch(
            "criteria", Criterion.objects.select_related("measures_competency", "measures_outcome")
        ),
    )
    if guide:
        stages = stages.select_related("version").prefetch_related(
            "questions__competencies",
            "version__competencies",
            "version__outcomes",
            "version__faq",
        )
    return stages.get()


# A day: long enough that a kit rarely reads its guide twice, short enough that entries of
# retired guides leave the cache.
GUIDE_STAGE_SECONDS = 24 * 3600


def _from_published(request: OrgRequest, stage: Stage, what: str, load: Callable[[], Any]):
    """`load()`: what the kit reads of a stage whose version was read with it (its `version`).
    A published version never changes, so that of its stages is cached, keyed on the database,
    the organization and the moment the version was published: a key names one set of rows,
    whichever database or organization another request reads. A draft's is read afresh."""
    version = stage.version
    if version.status != GuideVersion.Status.PUBLISHED:
        return load()
    key = ":".join(
        [
            what,
            connection.settings_dict["NAME"],
            str(request.organization.pk),
            str(version.pk),
            version.published_at.isoformat(),
            str(stage.pk),
        ]
    )
    cached = cache.get(key)
    if cached is None:
        cached = load()
        cache.set(key, cached, timeout=GUIDE_STAGE_SECONDS)
    return cached


def get_guide_stage(request: OrgRequest, stage: Stage) -> Stage:
    """`get_stage(..., guide=True)`, of a published version from the cache."""
    return _from_published(
        request, stage, "guide-stage", lambda: get_stage(request, stage.pk, guide=True)
    )


def stage_fields(request: OrgRequest, stage: Stage) -> dict[str, list[int]]:
    """The primary keys of a stage's criteria and questions: what its scorecard holds (two
    small queries, of a published version from the cache)."""

    def load():
        in_org = {"stage__version__guide__organization": request.organization, "stage": stage}
        return {
            "criteria": list(Criterion.objects.filter(**in_org).values_list("pk", flat=True)),
            "questions": list(Question.objects.filter(**in_org).values_list("pk", flat=True)),
        }

    return _from_published(request, stage, "stage-fields", load)


def my_open_scorecards(request: OrgRequest) -> QuerySet[Scorecard]:
    """The member's scorecards of interviews still on, with what a list of them shows."""
    return Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interviewer=request.user,
        archived_at__isnull=True,
        interview__status=Interview.Status.SCHEDULED,
    ).select_related("interview__stage", "interview__loop__candidate", "interview__loop__job")


def feedback_owed(request: OrgRequest) -> QuerySet[Scorecard]:
    """The member's drafts of interviews that have ended, the longest overdue first."""
    return (
        my_open_scorecards(request)
        .filter(status=Scorecard.Status.DRAFT, interview__ends_at__lte=timezone.now())
        .order_by("due_at", "pk")
    )


def interviews_between(request: OrgRequest, start, end) -> QuerySet[Scorecard]:
    """The member's interviews that end after `start` and begin before `end`, soonest first."""
    return (
        my_open_scorecards(request)
        .filter(interview__ends_at__gt=start, interview__starts_at__lt=end)
        .order_by("interview__starts_at", "pk")
    )
