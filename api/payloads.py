"""What the API answers and webhooks carry, built from rows as a read key may read them: the
API's endpoints and the webhooks' payloads share these, so a webhook never says more."""

from django.db.models import Prefetch, QuerySet

from accounts.models import Membership, Organization
from candidates.models import Candidate, Interview, Job, Loop
from debriefs.models import Debrief
from guides.models import Stage
from insights.reports import Insights
from references.models import ReferenceCheck
from scorecards import visibility
from scorecards.models import Scorecard


def _person(user) -> dict | None:
    return {"name": user.display_name, "email": user.email} if user else None


def _version(version) -> dict:
    return {"guide_id": version.guide_id, "number": version.number, "title": version.title}


def jobs(queryset: QuerySet[Job]) -> QuerySet[Job]:
    return queryset.select_related("guide_version", "hiring_manager", "recruiter")


def job(row: Job) -> dict:
    return {
        "id": row.pk,
        "title": row.title,
        "department": row.department,
        "location": row.location,
        "status": row.status,
        "guide_version": _version(row.guide_version),
        "hiring_manager": _person(row.hiring_manager),
        "recruiter": _person(row.recruiter),
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def candidate(row: Candidate) -> dict:
    return {
        "id": row.pk,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "links": row.link_list(),
        "source": row.source,
        "notes": row.notes,
        "erased": row.erased_at is not None,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def loops(queryset: QuerySet[Loop]) -> QuerySet[Loop]:
    held = Interview.objects.order_by("starts_at", "pk").prefetch_related(
        Prefetch(
            "scorecards",
            queryset=Scorecard.objects.filter(archived_at__isnull=True).select_related(
                "interviewer"
            ),
        )
    )
    return queryset.select_related("guide_version").prefetch_related(
        Prefetch("guide_version__stages", queryset=Stage.objects.order_by("position", "pk")),
        Prefetch("interviews", queryset=held),
    )


def loop(row: Loop) -> dict:
    return {
        "id": row.pk,
        "candidate_id": row.candidate_id,
        "job_id": row.job_id,
        "status": row.status,
        "rejection_reason": row.rejection_reason,
        "guide_version": _version(row.guide_version),
        "stages": [
            {"id": s.pk, "name": s.name, "kind": s.kind, "position": s.position}
            for s in row.guide_version.stages.all()
        ],
        "interviews": [interview(i) for i in row.interviews.all()],
        "created_at": row.created_at,
        "updated_at": row.updated_at,
    }


def interview(row: Interview) -> dict:
    return {
        "id": row.pk,
        "stage_id": row.stage_id,
        "status": row.status,
        "starts_at": row.starts_at,
        "ends_at": row.ends_at,
        "location": row.location,
        "video_link": row.video_link,
        "interviewers": [_person(card.interviewer) for card in row.scorecards.all()],
        "seats": [
            {"interviewer": _person(card.interviewer), "kind": card.seat}
            for card in row.scorecards.all()
        ],
    }


def submitted_scorecards(reader: Membership) -> QuerySet[Scorecard]:
    """The submitted scorecards `reader` may read (rule 2: drafts never), with their contents
    and their loop's debrief phase, for sealing."""
    cards = visibility.readable_scorecards(reader).filter(status=Scorecard.Status.SUBMITTED)
    return visibility.with_contents(cards).select_related(
        "interview__loop__debrief", "interview__loop"
    )


def scorecards(cards: list[Scorecard], reader: Membership) -> list[dict]:
    """The cards as `reader` reads them: recommendations sealed until the reveal (rule 3)."""
    sealed = [
        card
        for card in cards
        if visibility.sealed(card.interview.loop, _phase(card.interview.loop))
    ]
    visibility.seal(sealed, reader)
    return [scorecard(card) for card in cards]


def _phase(row: Loop) -> str | None:
    try:
        return row.debrief.phase
    except Debrief.DoesNotExist:
        return None


def _rating(rating) -> dict:
    return {
        "criterion_id": rating.criterion_id,
        "criterion": rating.criterion.name,
        "score": rating.score,
        "anchor": rating.anchor_text,
        "note": rating.note,
    }


def scorecard(card: Scorecard) -> dict:
    return {
        "id": card.pk,
        "loop_id": card.interview.loop_id,
        "interview_id": card.interview_id,
        "stage": card.interview.stage.name,
        "interviewer": _person(card.interviewer),
        "seat": card.seat,
        "submitted_at": card.submitted_at,
        "updated_at": card.updated_at,
        "ratings": [_rating(r) for r in card.ratings.all()],
        "question_notes": [
            {"question_id": n.question_id, "question": n.question.text, "text": n.text}
            for n in card.question_notes.all()
        ],
        "summary": card.summary,
        "recommendation": card.recommendation,
        "recommendation_sealed": getattr(card, "recommendation_sealed", False),
    }


def debrief(row: Debrief) -> dict:
    return {
        "loop_id": row.loop_id,
        "phase": row.phase,
        "decision": row.decision,
        "to_find_out": row.to_find_out,
        "rationale": row.rationale,
        "next_steps": row.next_steps,
        "revealed_at": row.revealed_at,
        "decided_at": row.decided_at,
        "updated_at": row.updated_at,
    }


def references(queryset: QuerySet[ReferenceCheck]) -> QuerySet[ReferenceCheck]:
    return queryset.prefetch_related("answers__question", "ratings__criterion")


def reference(row: ReferenceCheck) -> dict:
    return {
        "id": row.pk,
        "loop_id": row.loop_id,
        "name": row.name,
        "relationship": row.relationship,
        "company": row.company,
        "contact": row.contact,
        "worked_together": row.worked_together,
        "rehire_score": row.rehire_score,
        "rehire_reason": row.rehire_reason,
        "answers": [
            {"question_id": a.question_id, "question": a.question.text, "text": a.text}
            for a in row.answers.all()
        ],
        "ratings": [_rating(r) for r in row.ratings.all()],
        "updated_at": row.updated_at,
    }


def insights(figures: Insights, organization: Organization) -> dict:
    """A job's insights figures; a leniency only from the organization's minimum of cells, as
    the insights page shows it."""
    return {
        "loops": figures.loops,
        "agreements": [
            {
                "name": row.name,
                "kind": row.kind,
                "alpha": row.alpha,
                "interval": row.interval,
                "loops": row.loops,
                "distribution": row.distribution,
                "zero_share": row.zero_share,
                "separates": row.separates,
            }
            for row in figures.agreements
        ],
        "interviewers": [
            {
                "name": person.name,
                "leniency": {
                    "mean": person.leniency.mean,
                    "interval": (person.leniency.low, person.leniency.high)
                    if person.leniency.low is not None
                    else None,
                    "cells": person.leniency.n,
                }
                if person.leniency and person.leniency.shown(organization.leniency_minimum)
                else None,
                "zero_share": person.zero_share,
            }
            for person in figures.interviewers
        ],
    }
