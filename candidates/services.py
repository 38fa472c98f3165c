"""Workflows of candidates, loops and jobs that span models: each records itself on the
candidate's timeline. And the job's pipeline: where each of its loops stands."""

from collections import Counter

from django.core.paginator import Page, Paginator
from django.db import IntegrityError, transaction
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import format_html

from accounts.models import User
from candidates import scheduling
from candidates.models import Activity, Candidate, Interview, Job, Loop
from candidates.templatetags.schedule import moment
from exercises.models import HandIn
from guides.models import GuideVersion, Stage
from scorecards.models import Scorecard

# A pipeline shows this many loops at a time: what a team reads at once; the filters find others.
PIPELINE_PAGE = 50


class AlreadyInJob(Exception):
    def __init__(self, loop: Loop):
        super().__init__("This candidate is already in this job.")
        self.loop = loop


@transaction.atomic
def add_candidate(*, candidate: Candidate, user: User | None, job: Job | None) -> Loop | None:
    """Save `candidate`, new, and put them in `job` if one is given: their loop, or None.

    IntegrityError when their e-mail was taken meanwhile; the résumé stored for them is then
    removed."""
    candidate.created_by = user
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError:
        if candidate.resume:
            candidate.resume.storage.delete(candidate.resume.name)
        raise
    Activity.record(candidate, "Candidate added", actor=user)
    return start_loop(candidate=candidate, job=job, user=user) if job else None


def update_candidate(*, candidate: Candidate, changed: list[str], old_resume: str, user: User):
    """Record the change of `candidate`'s details just saved (`changed`: their labels); a
    résumé replaced goes from the storage once that is committed."""
    if changed:
        Activity.record(candidate, f"Details changed: {', '.join(changed)}", actor=user)
    if old_resume and old_resume != candidate.resume.name:
        storage = candidate.resume.storage
        transaction.on_commit(lambda: storage.delete(old_resume))


def start_loop(*, candidate: Candidate, job: Job, user: User | None) -> Loop:
    """Put the candidate in the job; the loop runs the job's guide version of today."""
    if candidate.organization_id != job.organization_id:
        raise ValueError("The candidate and the job belong to different organizations.")
    try:
        with transaction.atomic():
            loop = Loop.objects.create(
                candidate=candidate, job=job, guide_version=job.guide_version, created_by=user
            )
    except IntegrityError:
        raise AlreadyInJob(Loop.objects.get(candidate=candidate, job=job)) from None
    Activity.record(candidate, f"Added to {job.title}", actor=user, loop=loop)
    return loop


@transaction.atomic
def set_loop_status(*, loop: Loop, status: str, reason: str, user: User | None) -> int:
    """Set the loop's status. A rejected or withdrawn candidate has no interview to come:
    those are cancelled. Returns how many were."""
    loop.status = status
    loop.rejection_reason = reason if status == Loop.Status.REJECTED else ""
    loop.save(update_fields=["status", "rejection_reason", "updated_at"])
    Activity.record(
        loop.candidate,
        f"{loop.job.title}: marked {loop.get_status_display().lower()}",
        actor=user,
        loop=loop,
    )
    if status not in (Loop.Status.REJECTED, Loop.Status.WITHDRAWN):
        return 0
    upcoming = (
        loop.interviews.filter(status=Interview.Status.SCHEDULED, starts_at__gt=timezone.now())
        .exclude(scorecards__status=Scorecard.Status.SUBMITTED)
        .select_related("stage")
    )
    for interview in upcoming:
        scheduling.cancel(interview=interview, user=user)
    return len(upcoming)


@transaction.atomic
def move_job(*, job: Job, version: GuideVersion, user: User | None) -> int:
    """Move the job to another published version; loops not yet started follow it.

    Returns how many loops moved."""
    if version.status != GuideVersion.Status.PUBLISHED or (
        version.guide.organization_id != job.organization_id
    ):
        raise ValueError("A job runs a published guide of its own organization.")
    job.guide_version = version
    job.save(update_fields=["guide_version"])
    # Locked, so that none is scheduled (and so started) while it moves.
    list(job.loops.select_for_update())
    waiting = job.loops.filter(~Exists(Interview.objects.filter(loop=OuterRef("pk"))))
    moved = list(waiting.select_related("candidate"))
    waiting.update(guide_version=version)
    for loop in moved:
        Activity.record(
            loop.candidate, f"{job.title}: now runs guide v{version.number}", actor=user, loop=loop
        )
    return len(moved)


def with_progress(loops: QuerySet[Loop]) -> QuerySet[Loop]:
    """Annotate each loop's `progress` (a Loop.Progress value), in the database so that it
    can be filtered on. Shadows' feedback is never waited for: it does not count."""
    now = timezone.now()
    active = Scorecard.objects.filter(
        interview__loop=OuterRef("pk"),
        interview__status=Interview.Status.SCHEDULED,
        archived_at__isnull=True,
        seat=Scorecard.Seat.PANEL,
    )

    # A take-home is held once handed in, whatever its due time: its feedback is due then.
    def handed_in(interview: str):
        return HandIn.objects.with_scopes_disabled().filter(exercise__interview=OuterRef(interview))

    # A stage of the loop's guide with no interview (held or to come) in the loop.
    unscheduled = Stage.objects.filter(version=OuterRef("guide_version")).filter(
        ~Exists(
            Interview.objects.filter(
                loop=OuterRef(OuterRef("pk")),
                stage=OuterRef("pk"),
                status=Interview.Status.SCHEDULED,
            )
        )
    )
    return loops.annotate(
        progress=Case(
            When(~Q(status=Loop.Status.ACTIVE), then=Value(Loop.Progress.DECIDED)),
            When(
                Exists(
                    active.filter(status=Scorecard.Status.DRAFT).filter(
                        Q(interview__ends_at__lte=now) | Exists(handed_in("interview"))
                    )
                ),
                then=Value(Loop.Progress.AWAITING_FEEDBACK),
            ),
            When(
                Exists(
                    Interview.objects.filter(
                        loop=OuterRef("pk"),
                        status=Interview.Status.SCHEDULED,
                        ends_at__gt=now,
                    ).exclude(Exists(handed_in("pk")))
                ),
                then=Value(Loop.Progress.SCHEDULED),
            ),
            When(Exists(unscheduled), then=Value(Loop.Progress.NEW)),
            default=Value(Loop.Progress.FEEDBACK_IN),
        )
    )


def pipeline(
    job: Job, *, progress: str, status: str, query: str, page: str | None
) -> tuple[Page, dict[str, int]]:
    """One page of the job's loops (PIPELINE_PAGE of them) with their `progress` (a
    Loop.Progress value, or "" for all), status and candidate's name as asked, each row a loop
    with where it stands at each stage of its guide; and how many of all its loops are at
    each Loop.Progress (those at none left out).

    Where every loop stands is worked out once, in one query of a few columns, which both
    counts and picks the page; then only the page's loops are read in full."""
    standings = with_progress(job.loops.all()).order_by("candidate__name", "pk")
    if query:
        standings = standings.annotate(
            named=ExpressionWrapper(
                Q(candidate__name__icontains=query), output_field=BooleanField()
            )
        )
    else:
        standings = standings.annotate(named=Value(True))
    rows = list(standings.values_list("pk", "progress", "status", "named"))
    counts = dict(Counter(where for _, where, _, _ in rows))
    chosen = [
        (pk, where)
        for pk, where, loop_status, named in rows
        if named
        and (progress not in Loop.Progress.values or where == progress)
        and (status not in Loop.Status.values or loop_status == status)
    ]
    window = Paginator(chosen, PIPELINE_PAGE).get_page(page)
    where_is = dict(window.object_list)
    loops = (
        job.loops.filter(pk__in=where_is)
        .select_related("candidate", "guide_version")
        # Not the guide's texts, 50 times over.
        .only("status", "job", "candidate__name", "guide_version__title", "guide_version__number")
        .prefetch_related(
            Prefetch(
                "guide_version__stages",
                queryset=Stage.objects.only("pk", "name", "version_id", "position", "kind"),
            ),
            Prefetch(
                "interviews",
                queryset=Interview.objects.filter(
                    status=Interview.Status.SCHEDULED
                ).prefetch_related(
                    Prefetch(
                        "scorecards",
                        queryset=Scorecard.objects.filter(
                            archived_at__isnull=True, seat=Scorecard.Seat.PANEL
                        ),
                    )
                ),
            ),
        )
        .in_bulk()
    )
    shown = []
    for pk in where_is:
        loop = loops[pk]
        loop.progress = where_is[pk]
        shown.append((loop, _stage_cells(loop)))
    window.object_list = shown
    return window, counts


def _stage_cells(loop: Loop) -> list[dict]:
    """Each stage of the loop's guide with where it stands, from prefetched rows: its
    `classes` and its `note` ready to print (a page holds 50 rows of a few stages)."""
    now = timezone.now()
    by_stage = {interview.stage_id: interview for interview in loop.interviews.all()}
    cells = []
    for stage in loop.guide_version.stages.all():
        interview = by_stage.get(stage.pk)
        cell = {"stage": stage, "interview": interview, "state": "unscheduled"}
        note = "not scheduled"
        if interview is not None:
            cards = list(interview.scorecards.all())
            submitted = sum(card.is_submitted for card in cards)
            overdue = sum(not card.is_submitted and card.due_at < now for card in cards)
            cell |= {"submitted": submitted, "total": len(cards), "overdue": overdue}
            if interview.ends_at > now:
                cell["state"] = "scheduled"
                note = moment(interview.starts_at, "j M, H:i")
            elif submitted < len(cards):
                cell["state"] = "awaiting"
                note = f"{submitted} of {len(cards)} in"
                if overdue:
                    note = format_html(
                        '{}, <strong class="overdue-mark">{} overdue</strong>', note, overdue
                    )
            else:
                cell["state"] = "done"
                note = "feedback in"
        overdue = " stage-overdue" if cell.get("overdue") else ""
        cell["classes"] = f"stage-{cell['state']}{overdue}"
        cell["note"] = note
        cells.append(cell)
    return cells
