"""The candidate packet: what a loop's PDF holds, read for the member who asked for it.

It holds every submitted scorecard or none: a member who may not read them all (rule 2: they
still owe feedback in the loop) gets no packet. Recommendations stay sealed until the
debrief reveals them, as on the pages (rule 3).
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from accounts.models import Membership, Role
from candidates.models import Activity, Interview, Loop
from config.pdf import render_pdf
from debriefs.models import Debrief, DebriefNote, RecommendationChange
from guides import placeholders
from guides.models import DebriefQuestion
from references.models import ReferenceCheck, reference_summary
from scorecards.models import Scorecard
from scorecards.visibility import loop_feedback, readable_in_loop


class PacketRefused(Exception):
    """The member may not have this loop's packet; the message says why, to them."""


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
    if feedback.mine_open:
        raise PacketRefused(
            "You still owe feedback in this loop. The packet holds everyone's scorecards, "
            "so it waits for yours, as the others' scorecards do."
        )
    if feedback.hidden:
        raise PacketRefused("You may not read every scorecard of this loop.")
    org = loop.job.organization
    cards = readable_in_loop(membership, loop.pk, sealed=feedback.sealed)
    as_read = {card.pk: card for card in cards}
    interviews = (
        loop.interviews.filter(cancelled_at__isnull=True)
        .select_related("stage")
        .prefetch_related(
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.filter(archived_at__isnull=True).select_related(
                    "interviewer"
                ),
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
    return {
        "organization": org,
        "loop": loop,
        "candidate": loop.candidate,
        "job": loop.job,
        "summary": summary,
        "cards": cards,
        "sealed": feedback.sealed,
        "debrief": debrief,
        "debrief_notes": _debrief_notes(debrief) if debrief else [],
        "references": reference_summary(loop),
        "values": placeholders.loop_values(
            org, job_title=loop.job.title, candidate=loop.candidate.name
        ),
        "outstanding": sum(1 for row in summary if row.card is None),
        "first_interview": summary[0].interview.starts_at if summary else None,
        "last_interview": max((row.interview.ends_at for row in summary), default=None),
        "generated_at": timezone.now(),
    }


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
    return RenderedPacket(pdf, pages, as_of, context["sealed"])
