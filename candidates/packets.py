"""The candidate packet: a loop's PDF for the member who asks, its whole life in one place.

Its states: a member requests it (`request_packet`: queued), a worker renders it (`build`:
rendering), and it ends ready, with its file, or failed, with the reason for the requester;
one still working after Packet.GIVEN_UP_AFTER was lost with its worker and may be requested
again. What it holds (`packet_context`, `render_packet`) is read for that member.

It holds every submitted scorecard of the panels or none (a shadow's is never counted): a
member who may not read them all (rule 2: they still owe feedback in the loop) gets no packet
(`check_may_have`). Recommendations stay sealed
until the debrief reveals them, as on the pages (rule 3).
"""

import io
import logging
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

from django.core.files.base import ContentFile
from django.db import OperationalError, transaction
from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from accounts import events
from accounts.models import Membership, Role
from candidates.models import Activity, Interview, Loop, Packet
from config.pdf import render_pdf
from debriefs import matrix
from debriefs.models import Debrief, DebriefNote, RecommendationChange
from exercises.models import Exercise
from guides.models import DebriefQuestion, GuideVersion
from references.models import ReferenceCheck, reference_summary
from scorecards.models import Scorecard
from scorecards.visibility import LoopFeedback, loop_feedback, readable_in_loop

logger = logging.getLogger(__name__)


class PacketRefused(Exception):
    """The member may not have this loop's packet now: the message says why, to them, and
    `status` is what a view answers."""

    def __init__(self, message: str, *, status: int = 403):
        super().__init__(message)
        self.status = status


class StorageFailed(Exception):
    """The storage did not take the file (a full disk, an S3 endpoint that is down…)."""


# What `delay()` raises when Redis, the broker, is down or refuses.
BROKER_DOWN = (KombuOperationalError, OSError)
# Worth another try: the storage or the database was briefly unreachable or full.
TRANSIENT = (StorageFailed, OperationalError)


def check_may_have(feedback: LoopFeedback) -> None:
    """PacketRefused unless the member may read every scorecard of the loop (`feedback` is
    theirs): the packet holds them all, so it waits for their own feedback as the others do."""
    if feedback.mine_open:
        raise PacketRefused(
            "You still owe feedback in this loop. The packet holds everyone's scorecards, "
            "so it waits for yours, as the others' scorecards do."
        )
    if feedback.hidden:
        raise PacketRefused("You may not read every scorecard of this loop.")


def request_packet(*, membership: Membership, loop: Loop) -> Packet:
    """Queue a packet of `loop` for the member. PacketRefused: 403 while they may not have
    one, 409 while one of theirs is on its way, 503 when the task queue cannot be reached
    (then nothing is kept).

    Queued once its row is committed, so that the worker finds it, and here rather than in an
    on-commit hook, so that the member hears at once when the queue is down: call it outside
    any transaction."""
    with transaction.atomic():
        # Locked, so that two clicks at once start one packet.
        Loop.objects.select_for_update(of=("self",)).filter(
            pk=loop.pk, job__organization=membership.organization_id
        ).get()
        check_may_have(loop_feedback(membership, loop))
        on_its_way = Packet.objects.filter(
            loop=loop,
            requested_by=membership.user_id,
            status__in=[Packet.Status.QUEUED, Packet.Status.RENDERING],
            created_at__gt=timezone.now() - Packet.GIVEN_UP_AFTER,
        )
        if on_its_way.exists():
            raise PacketRefused("A packet is already on its way.", status=409)
        packet = Packet.objects.create(loop=loop, requested_by_id=membership.user_id)
    from candidates.tasks import build_packet  # the task calls back into this module

    try:
        build_packet.delay(packet.pk, organization_id=membership.organization_id)
    except BROKER_DOWN:
        logger.warning("Packet %s: the task queue is unreachable", packet.pk, exc_info=True)
        packet.delete()
        raise PacketRefused(
            "The packet could not be started: Rubric's task queue cannot be reached right now. "
            "Nothing was lost; try again in a minute.",
            status=503,
        ) from None
    return packet


def organization_of(packet_id: int) -> int | None:
    """The organization of a packet, None once it is gone."""
    packets = Packet.objects.filter(pk=packet_id)
    return packets.values_list("loop__job__organization", flat=True).first()


def build(*, packet_id: int, organization_id: int, attempt: int, last_attempt: bool) -> None:
    """Render a packet and store it, saying how far it got on its row as it goes: the loop
    page polls that. It ends ready, or failed with the reason for the requester; a transient
    failure (TRANSIENT) before the last attempt leaves it queued and is raised, for another."""
    packet = (
        Packet.objects.select_related("loop__job__organization", "loop__candidate")
        .filter(pk=packet_id, loop__job__organization=organization_id)
        .first()
    )
    if packet is None or not packet.is_working:
        return  # deleted (the candidate erased), or done by an earlier delivery of the task
    try:
        _render_and_store(packet, attempt=attempt)
    except PacketRefused as refused:
        _fail(packet, str(refused))
    except TRANSIENT as exc:
        reason = _reason(exc)
        if not last_attempt:
            with suppress(OperationalError):  # the database may be what failed
                _update(packet, status=Packet.Status.QUEUED, step=f"{reason}. Trying again")
            raise
        _fail(packet, f"{reason}; gave up after {attempt} attempts")
    except Exception:
        logger.exception("Packet %s failed", packet.pk)
        _fail(packet, "Something went wrong while rendering it; the error is logged.")


def _render_and_store(packet: Packet, *, attempt: int) -> None:
    _update(
        packet,
        status=Packet.Status.RENDERING,
        attempts=attempt,
        progress=5,
        step="Reading the loop",
        error="",
    )
    membership = Membership.objects.filter(
        organization=packet.loop.job.organization_id, user=packet.requested_by_id
    ).first()
    if membership is None:
        raise PacketRefused("You are no longer a member of this organization.")
    rendered = render_packet(
        packet.loop, membership, lambda percent, step: _update(packet, progress=percent, step=step)
    )
    _update(packet, progress=90, step="Storing the file")
    try:
        packet.file.save("packet.pdf", ContentFile(rendered.pdf), save=False)
    except Exception as exc:
        raise StorageFailed(getattr(exc, "strerror", None) or type(exc).__name__) from exc
    _ready(packet, rendered)


def _ready(packet: Packet, rendered: "RenderedPacket") -> None:
    """Mark the packet ready with its stored file, which then replaces the member's earlier
    packets of the loop; if its candidate was erased meanwhile, keep nothing of them."""
    try:
        stored = Packet.objects.filter(pk=packet.pk, status=Packet.Status.RENDERING).update(
            status=Packet.Status.READY,
            progress=100,
            step="",
            file=packet.file.name,
            pages=rendered.pages,
            content_as_of=rendered.as_of,
            sealed=rendered.sealed,
            finished_at=timezone.now(),
        )
    except Exception:
        packet.file.delete(save=False)
        raise
    if not stored:
        packet.file.delete(save=False)
        return
    older = Packet.objects.filter(
        loop=packet.loop_id, requested_by=packet.requested_by_id, created_at__lt=packet.created_at
    ).exclude(status__in=[Packet.Status.QUEUED, Packet.Status.RENDERING])
    for name in older.exclude(file="").values_list("file", flat=True):
        packet.file.storage.delete(name)
    older.delete()
    events.announce(
        "packet.ready", organization_id=packet.loop.job.organization_id, subject_id=packet.pk
    )


def _update(packet: Packet, **fields) -> None:
    Packet.objects.filter(pk=packet.pk).update(**fields)


def _fail(packet: Packet, reason: str) -> None:
    """Say why on the packet; should the database itself be down, the packet shows as lost
    once Packet.GIVEN_UP_AFTER has passed."""
    try:
        _update(
            packet,
            status=Packet.Status.FAILED,
            step="",
            error=reason[:500],
            finished_at=timezone.now(),
        )
    except OperationalError:
        logger.exception("Packet %s: could not record its failure (%s)", packet.pk, reason)


def _reason(exc: Exception) -> str:
    """A transient failure in words, never a path or a connection string."""
    if isinstance(exc, StorageFailed):
        return f"The file could not be stored ({exc})"
    return "The database could not be reached"


# What the packet holds.


def as_organization(loop: Loop) -> Membership:
    """Who `manage.py build_packet` reads as: an admin who is no one, so that it holds every
    submitted scorecard and, until the reveal, no recommendation (everyone's is sealed)."""
    return Membership(organization=loop.job.organization, role=Role.ADMIN)


@dataclass
class SummaryRow:
    interview: Interview
    interviewer: object  # User
    card: Scorecard | None  # the submitted card as read, or None while it is outstanding


def latest_change(loop: Loop) -> datetime:
    """When anything a packet shows last changed: the loop, its candidate and job, a scorecard
    assigned or submitted, its debrief and notes, its references, its timeline. One query.

    Some of it errs towards "changed": a candidate's phone number, which the packet does not
    print, counts; and some does not count: a member renaming themselves."""

    def newest(rows, field: str):
        return Coalesce(Subquery(rows.order_by(f"-{field}").values(field)[:1]), F("updated_at"))

    org = loop.job.organization_id
    scorecards = Scorecard.objects.filter(
        interview__loop=OuterRef("pk"), interview__loop__job__organization=org
    )
    in_loop = {"loop": OuterRef("pk"), "loop__job__organization": org}
    in_debrief = {"debrief__loop": OuterRef("pk"), "debrief__loop__job__organization": org}
    return (
        Loop.objects.filter(pk=loop.pk, job__organization=org)
        .annotate(
            latest=Greatest(
                F("updated_at"),
                F("candidate__updated_at"),
                F("job__updated_at"),
                newest(scorecards, "created_at"),
                newest(scorecards.filter(status=Scorecard.Status.SUBMITTED), "updated_at"),
                newest(Debrief.objects.filter(**in_loop), "updated_at"),
                newest(DebriefNote.objects.filter(**in_debrief), "updated_at"),
                newest(RecommendationChange.objects.filter(**in_debrief), "created_at"),
                newest(ReferenceCheck.objects.filter(**in_loop), "updated_at"),
                # The timeline tells of what leaves no row behind: a reference removed, say.
                newest(
                    Activity.objects.filter(loop=OuterRef("pk"), organization=org), "created_at"
                ),
            )
        )
        .values_list("latest", flat=True)
        .get()
    )


def packet_context(loop: Loop, membership: Membership) -> dict:
    """Everything the packet's template shows, or PacketRefused."""
    feedback = loop_feedback(membership, loop)
    check_may_have(feedback)
    org = loop.job.organization
    # The panels' feedback: a shadow's (in training) has no place in the hiring record.
    cards = [
        card
        for card in readable_in_loop(membership, loop.pk, sealed=feedback.sealed)
        if not card.is_shadow
    ]
    as_read = {card.pk: card for card in cards}
    interviews = (
        loop.interviews.filter(cancelled_at__isnull=True)
        .select_related("stage")
        .prefetch_related(
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.filter(
                    archived_at__isnull=True, seat=Scorecard.Seat.PANEL
                ).select_related("interviewer"),
            )
        )
        .order_by("starts_at", "pk")
    )
    summary = [
        SummaryRow(interview, card.interviewer, as_read.get(card.pk))
        for interview in interviews
        for card in interview.scorecards.all()
    ]
    debrief = (
        Debrief.objects.filter(loop=loop, loop__job__organization=org)
        .select_related("decided_by")
        .prefetch_related(
            "other_jobs",
            Prefetch(
                "recommendation_changes",
                queryset=RecommendationChange.objects.select_related("author"),
            ),
            Prefetch("amendments__author"),
        )
        .first()
    )
    version = (
        GuideVersion.objects.filter(pk=loop.guide_version_id, guide__organization=org)
        .prefetch_related("competencies", "outcomes", "stages")
        .get()
    )
    # What the candidate handed in for each take-home, each hand-in kept.
    hand_ins = {
        exercise.interview.stage_id: list(exercise.hand_ins.all())
        for exercise in Exercise.objects.filter(
            interview__loop=loop,
            interview__loop__job__organization=org,
            interview__status=Interview.Status.SCHEDULED,
        )
        .select_related("interview")
        .prefetch_related("hand_ins")
    }
    take_homes = [
        (stage, hand_ins.get(stage.pk, []))
        for stage in version.stages.all()
        if stage.is_take_home and (stage.exercise or stage.pk in hand_ins)
    ]
    references = reference_summary(loop)
    for i, check in enumerate(references.checks):
        # Every reference criterion, rated or not: one nobody rated says so.
        check.criteria_ratings = [(row.criterion, row.ratings[i]) for row in references.rows]
    return {
        "organization": org,
        "loop": loop,
        "version": version,
        "grouped": matrix.grouped(cards, version) if cards else None,
        "take_homes": take_homes,
        "candidate": loop.candidate,
        "job": loop.job,
        "summary": summary,
        "cards": cards,
        "sealed": feedback.sealed,
        "debrief": debrief,
        "debrief_notes": _debrief_notes(debrief) if debrief else [],
        "references": references,
        "resume": _resume(loop.candidate),
        "values": loop.placeholder_values(),
        "outstanding": sum(1 for row in summary if row.card is None),
        "first_interview": summary[0].interview.starts_at if summary else None,
        "last_interview": max((row.interview.ends_at for row in summary), default=None),
        "generated_at": timezone.now(),
    }


@dataclass
class Resume:
    """The candidate's résumé as the packet names it; a readable PDF's pages are appended."""

    name: str
    size: int
    pdf: PdfReader | None = None
    unreadable: bool = False


def _resume(candidate) -> Resume | None:
    if not candidate.resume:
        return None
    name = candidate.resume_name or candidate.resume.name.rsplit("/", 1)[-1]
    try:
        with candidate.resume.open("rb") as file:
            data = file.read()
    except OSError:
        return Resume(name, 0, unreadable=True)
    if not data.startswith(b"%PDF"):
        return Resume(name, len(data))
    try:
        reader = PdfReader(io.BytesIO(data))
        if not reader.pages:
            raise PdfReadError("no pages")
    except (PdfReadError, ValueError, OSError):
        return Resume(name, len(data), unreadable=True)
    return Resume(name, len(data), pdf=reader)


def _with_resume(pdf: bytes, resume: Resume | None) -> tuple[bytes, int]:
    """The packet with a readable PDF résumé appended as pages of its own, bookmarked."""
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    if resume and resume.pdf:
        writer.append(resume.pdf, outline_item="Résumé")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), len(writer.pages)


def _debrief_notes(debrief: Debrief) -> list[tuple[DebriefQuestion, list[DebriefNote]]]:
    """The debrief's written notes under the guiding question each answers, in guide order."""
    notes = (
        DebriefNote.objects.filter(debrief=debrief)
        .exclude(text="")
        .select_related("question", "author")
        .order_by("question__position", "question__pk", "author__full_name")
    )
    grouped: dict[int, tuple[DebriefQuestion, list[DebriefNote]]] = {}
    for note in notes:
        grouped.setdefault(note.question_id, (note.question, []))[1].append(note)
    return list(grouped.values())


@dataclass
class RenderedPacket:
    pdf: bytes
    pages: int
    as_of: datetime  # the loop's latest change that it holds
    sealed: bool  # rendered with the others' recommendations sealed


def render_packet(
    loop: Loop, membership: Membership, progress=lambda percent, step: None
) -> RenderedPacket:
    """The packet's PDF as `membership` may read it, in the organization's time zone and paper
    size, or PacketRefused."""
    org = loop.job.organization
    with timezone.override(org.zone):
        as_of = latest_change(loop)
        context = packet_context(loop, membership)
        pdf, pages = render_pdf(
            "candidates/packet_pdf.html", context, paper_size=org.paper_size, progress=progress
        )
        if context["resume"] and context["resume"].pdf:
            pdf, pages = _with_resume(pdf, context["resume"])
    return RenderedPacket(pdf, pages, as_of, context["sealed"])
