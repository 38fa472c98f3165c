"""Workflows of candidates, loops and jobs that span models: each records itself on the
candidate's timeline."""

from django.db import IntegrityError, transaction
from django.db.models import Case, CharField, Exists, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts.models import User
from candidates import scheduling
from candidates.models import Activity, Candidate, Interview, Job, Loop, Packet
from debriefs.models import Debrief, DebriefNote, DecisionAmendment, RecommendationChange
from guides.models import GuideVersion, Stage
from references.models import ReferenceAnswer, ReferenceCheck, ReferenceRating
from scorecards.models import Amendment, QuestionNote, Rating, Scorecard

ERASED_NAME = "Erased candidate"


class AlreadyInJob(Exception):
    def __init__(self, loop: Loop):
        super().__init__("This candidate is already in this job.")
        self.loop = loop


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
    can be filtered on."""
    now = timezone.now()
    active = Scorecard.objects.filter(
        interview__loop=OuterRef("pk"),
        interview__status=Interview.Status.SCHEDULED,
        archived_at__isnull=True,
    )
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
                Exists(active.filter(status=Scorecard.Status.DRAFT, interview__ends_at__lte=now)),
                then=Value(Loop.Progress.AWAITING_FEEDBACK),
            ),
            When(
                Exists(
                    Interview.objects.filter(
                        loop=OuterRef("pk"),
                        status=Interview.Status.SCHEDULED,
                        ends_at__gt=now,
                    )
                ),
                then=Value(Loop.Progress.SCHEDULED),
            ),
            When(Exists(unscheduled), then=Value(Loop.Progress.NEW)),
            default=Value(Loop.Progress.FEEDBACK_IN),
        )
    )


@transaction.atomic
def erase_candidate(*, candidate: Candidate, user: User | None) -> None:
    """Remove what identifies the candidate and what was written about them; the scores and
    recommendations stay, anonymous, and the timeline keeps an entry saying who erased them."""
    now = timezone.now()
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.erased_at:  # erased by a request that held the lock first
        return
    if candidate.resume:
        # Removed once the erasure is committed: a rolled-back one still has its file.
        storage, name = candidate.resume.storage, candidate.resume.name
        transaction.on_commit(lambda: storage.delete(name))
    candidate.name = f"{ERASED_NAME} #{candidate.pk}"
    candidate.email = candidate.phone = candidate.links = candidate.source = ""
    candidate.notes = candidate.resume_name = ""
    candidate.resume = ""
    candidate.erased_at = now
    candidate.save()
    # Whoever asks to be erased is out of the running: nothing more is scheduled or owed.
    for loop in candidate.loops.filter(status=Loop.Status.ACTIVE).select_related("job"):
        set_loop_status(loop=loop, status=Loop.Status.WITHDRAWN, reason="", user=user)
    candidate.loops.update(rejection_reason="")
    # Meeting links and places may name the candidate.
    Interview.objects.filter(loop__candidate=candidate).update(location="", video_link="")
    _erase_packets(candidate)
    scorecards = Scorecard.objects.filter(interview__loop__candidate=candidate)
    scorecards.filter(status=Scorecard.Status.DRAFT, archived_at__isnull=True).update(
        archived_at=now
    )
    scorecards.update(summary="")
    Rating.objects.filter(scorecard__in=scorecards).update(note="")
    QuestionNote.objects.filter(scorecard__in=scorecards).update(text="")
    for amendment in Amendment.objects.filter(scorecard__in=scorecards):
        amendment.reason = ""
        amendment.before = _without_texts(amendment.before)
        amendment.after = _without_texts(amendment.after)
        amendment.save()
    _erase_debriefs_and_references(candidate)
    Activity.record(
        candidate,
        "Personal data erased on request: name, contacts, résumé and notes; scores kept",
        actor=user,
    )


def _erase_packets(candidate: Candidate) -> None:
    """Packets print everything erased here: they go, files and all. One still rendering
    finds its row gone and deletes the file it made (candidates.tasks.build_packet)."""
    # Locked: a packet that a worker is about to mark ready waits, then finds its row gone.
    packets = Packet.objects.filter(loop__candidate=candidate).select_for_update()
    names = [name for name in packets.values_list("file", flat=True) if name]
    storage = Packet._meta.get_field("file").storage

    def delete_files():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete_files)
    packets.delete()


def _erase_debriefs_and_references(candidate: Candidate) -> None:
    """What was written about the candidate in debriefs and reference calls, and who the
    references are; decisions, recommendations and scores stay."""
    debriefs = Debrief.objects.filter(loop__candidate=candidate)
    debriefs.update(to_find_out="", rationale="", next_steps="")
    DebriefNote.objects.filter(debrief__in=debriefs).update(text="")
    RecommendationChange.objects.filter(debrief__in=debriefs).update(reason="")
    written = {"to_find_out", "rationale", "next_steps"}
    for amendment in DecisionAmendment.objects.filter(debrief__in=debriefs):
        amendment.reason = ""
        for values in (amendment.before, amendment.after):
            values.update((name, "") for name in written & values.keys())
        amendment.save()
    checks = ReferenceCheck.objects.filter(loop__candidate=candidate)
    # The reference's own details go with the candidate's: the candidate gave them.
    checks.update(
        name=Concat(Value("Reference #"), Cast("pk", CharField())),
        relationship="",
        company="",
        contact="",
        worked_together="",
        rehire_reason="",
    )
    ReferenceAnswer.objects.filter(reference__in=checks).update(text="")
    ReferenceRating.objects.filter(reference__in=checks).update(note="")


def _without_texts(values: dict) -> dict:
    """An amendment's values with the written ones blanked: scores and recommendations stay."""
    return {name: "" if isinstance(value, str) else value for name, value in values.items()}
