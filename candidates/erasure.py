"""Erasing a candidate on request (`erase_candidate`): what identifies them and what was
written about them goes, everywhere it was kept; scores and recommendations stay, anonymous."""

from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from accounts import events
from accounts.models import User
from candidates.models import Activity, Candidate, Interview, Loop, Packet
from candidates.services import set_loop_status
from debriefs.models import Debrief, DebriefNote, DecisionAmendment, RecommendationChange
from exercises import sending as exercises
from references.models import ReferenceAnswer, ReferenceCheck, ReferenceRating
from scorecards.models import Amendment, QuestionNote, Rating, Scorecard

ERASED_NAME = "Erased candidate"


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
    scorecards.update(summary="", next_note="")
    Rating.objects.filter(scorecard__in=scorecards).update(note="")
    QuestionNote.objects.filter(scorecard__in=scorecards).update(text="")
    for amendment in Amendment.objects.filter(scorecard__in=scorecards):
        amendment.reason = ""
        amendment.before = _without_texts(amendment.before)
        amendment.after = _without_texts(amendment.after)
        amendment.save()
    _erase_debriefs_and_references(candidate)
    exercises.erase(candidate=candidate)
    Activity.record(
        candidate,
        "Personal data erased on request: name, contacts, résumé and notes; scores kept",
        actor=user,
    )
    events.announce(
        "candidate.erased", organization_id=candidate.organization_id, subject_id=candidate.pk
    )


def _erase_packets(candidate: Candidate) -> None:
    """Packets print everything erased here: they go, files and all. One still rendering
    finds its row gone and deletes the file it made (packets.build)."""
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
