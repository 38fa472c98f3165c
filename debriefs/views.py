"""The debrief's pages: load the member's seat, check it, call debriefs.meeting, render."""

from collections import Counter
from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, OrgRequest, requires
from accounts.models import User
from candidates.models import Job, Loop
from debriefs import comparison, matrix, meeting
from debriefs.access import Seat, get_job_to_compare, get_seat, loops_to_compare
from debriefs.forms import DecisionForm, NoteForm, RecommendationChangeForm, other_jobs
from debriefs.models import Debrief, DebriefNote, DecisionAmendment, RecommendationChange
from guides.models import DebriefQuestion, Recommendation
from insights.reports import with_job_agreement
from references.models import reference_summary
from scorecards.autosave import Words, autosave, redisplay
from scorecards.models import Scorecard
from scorecards.visibility import readable_in_loop


def _facilitator_only(seat: Seat) -> None:
    if not seat.facilitates:
        raise PermissionDenied("Only the job's hiring manager or an admin facilitates the debrief.")


def _refusals(view):
    """Answer the meeting's refusals in plain text. Put outside `transaction.atomic`: a
    refusal leaving the view rolls back whatever the request began (a debrief row)."""

    @wraps(view)
    def answer(request: OrgRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except meeting.Refused as refused:
            return HttpResponse(
                refused.message, status=refused.status, content_type="text/plain; charset=utf-8"
            )

    return answer


def _may_run(seat: Seat) -> None:
    """Refuse unless the member may move the debrief on: its facilitator, knowing the ratings
    (their own feedback in)."""
    _facilitator_only(seat)
    if seat.owes_feedback:
        raise meeting.Refused(
            "Submit your own feedback on this candidate first: you run the debrief once you "
            "may read the others' ratings.",
            status=403,
        )
    meeting.check_open(seat.debrief)


def _may_write_notes(seat: Seat) -> None:
    """Refuse unless the member takes part in a debrief whose notes may still change."""
    if not seat.takes_part:
        if seat.owes_feedback:
            raise meeting.Refused("Submit your own feedback first: then you take part.", status=403)
        raise PermissionDenied("Only the facilitator and the loop's interviewers write notes here.")
    meeting.check_open(seat.debrief)
    if seat.debrief.is_decided:
        raise meeting.Refused("The debrief is decided: its notes no longer change.", status=409)


def _questions(loop: Loop):
    """The guiding questions of the loop's guide."""
    return DebriefQuestion.objects.filter(
        version=loop.guide_version_id, version__guide__organization=loop.job.organization_id
    )


def _debrief_url(request: OrgRequest, loop: Loop, anchor: str = "") -> str:
    url = reverse("debriefs:debrief", args=[request.organization.slug, loop.pk])
    return f"{url}#{anchor}" if anchor else url


# The page


@require_safe
def debrief(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    return _page(request, get_seat(request, pk))


def _current(cards: list[Scorecard], changes: list[RecommendationChange]) -> None:
    """Set each card's `current` recommendation: the last it was changed to in the debrief,
    else the one submitted."""
    latest = {change.scorecard_id: change.after for change in changes}
    for card in cards:
        card.current = latest.get(card.pk, card.recommendation)


def _page(
    request: OrgRequest,
    seat: Seat,
    *,
    decision_form: DecisionForm | None = None,
    change_form: RecommendationChangeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    loop, debrief = seat.loop, seat.debrief
    roster = list(
        Scorecard.objects.filter(
            interview__loop__job__organization=request.organization,
            interview__loop=loop,
            archived_at__isnull=True,
        )
        .select_related("interviewer", "interview__stage")
        .order_by("interview__starts_at", "pk")
    )
    # A shadow's feedback is not waited for: it does not count.
    missing = [card for card in roster if not card.is_submitted and not card.is_shadow]
    questions = list(_questions(loop))
    prefetch_related_objects([loop.guide_version], "competencies", "outcomes")
    context = {
        "loop": loop,
        "debrief": debrief,
        "seat": seat,
        "roster": roster,
        "missing": missing,
        "owed_by": _owed_by(missing),
        "mine_open": [c for c in roster if c.interviewer_id == request.user.pk and c.is_open],
        "questions": questions,
        "values": loop.placeholder_values(),
        "phases": Debrief.Phase.choices,
    }
    if not seat.owes_feedback:
        context |= _what_is_read(request, seat, questions, change_form)
    if seat.facilitates and debrief.is_revealed:
        context["decision_form"] = decision_form or DecisionForm(
            instance=debrief if debrief.is_decided else None,
            initial={"revision": debrief.revision},
            jobs=other_jobs(debrief),
            amending=debrief.is_decided,
        )
    return render(request, "debriefs/debrief.html", context, status=status)


def _owed_by(missing: list[Scorecard]) -> list[tuple[User, list[str]]]:
    """Who still owes feedback, each once, with the stages they owe it for."""
    owed = {}
    for card in missing:
        owed.setdefault(card.interviewer_id, (card.interviewer, []))[1].append(
            card.interview.stage.name
        )
    return list(owed.values())


def _what_is_read(request, seat, questions, change_form) -> dict:
    """What a member whose own feedback is in reads at the debrief."""
    loop, debrief = seat.loop, seat.debrief
    read = readable_in_loop(request.membership, loop.pk, sealed=seat.feedback.sealed)
    # The tallies, tables and recommendations are the panels'; shadows' cards are apart.
    cards = [card for card in read if not card.is_shadow]
    context = {
        "cards": cards,
        "shadow_cards": [card for card in read if card.is_shadow],
        "references": reference_summary(loop),
    }
    notes = list(debrief.notes.select_related("author")) if debrief.pk else []
    mine = {note.question_id: note.text for note in notes if note.author_id == request.user.pk}
    context["note_rows"] = [
        (question, mine.get(question.pk, ""), _others(notes, question, request.user.pk))
        for question in questions
    ]
    context["since"] = _latest(notes)
    # A loop that has ended, whatever ended it, keeps nothing sealed (scorecards.visibility).
    unsealed = not seat.feedback.sealed
    if debrief.phase != Debrief.Phase.COLLECTING or unsealed:
        context["tables"] = matrix.stage_tables(cards)
        context["across"] = matrix.grouped(cards, loop.guide_version) if cards else None
        if context["across"]:
            across = context["across"]
            context["agreement"] = with_job_agreement(across, request.membership, loop.job)
    if unsealed:
        changes = (
            list(
                debrief.recommendation_changes.select_related(
                    "author", "scorecard__interview__stage"
                )
            )
            if debrief.pk
            else []
        )
        _current(cards, changes)
        counts = Counter(card.current for card in cards)
        context["changes"] = changes
        context["distribution"] = [
            (value, label, counts.get(value, 0)) for value, label in Recommendation.choices
        ]
        context["unsealed"] = True
        own = [card for card in cards if card.interviewer_id == request.user.pk]
        if own and debrief.phase == Debrief.Phase.REVEALED:
            context["change_form"] = change_form or RecommendationChangeForm(scorecards=own)
        if debrief.is_decided:
            # Read once: the decision form's other_jobs() reads them again.
            prefetch_related_objects([debrief], "other_jobs")
            context["chosen_jobs"] = list(debrief.other_jobs.all())
            context["amendments"] = _amendments(debrief)
    return context


def _amendments(debrief: Debrief) -> list[tuple[DecisionAmendment, list]]:
    """The decision's amendments with what each changed, in words."""
    amendments = list(debrief.amendments.select_related("author"))
    named = {pk for a in amendments for v in (a.before, a.after) for pk in v.get("other_jobs", [])}
    jobs = (
        dict(
            Job.objects.filter(
                organization=debrief.loop.job.organization_id, pk__in=named
            ).values_list("pk", "title")
        )
        if named
        else {}
    )
    return [(amendment, amendment.changes(jobs)) for amendment in amendments]


def _others(notes: list[DebriefNote], question: DebriefQuestion, user_id: int) -> list:
    return [n for n in notes if n.question_id == question.pk and n.author_id != user_id and n.text]


def _latest(notes: list[DebriefNote]) -> str:
    """When the newest note was written, for the page's poll to ask what came since ("" for
    no note yet: any that comes is new)."""
    return max(note.updated_at for note in notes).isoformat() if notes else ""


# Phases


@require_POST
@_refusals
@transaction.atomic
def debrief_phase(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The facilitator opens the discussion, then reveals the recommendations."""
    seat = get_seat(request, pk, lock=True)
    _may_run(seat)
    target = request.POST.get("to", "")
    if not meeting.move(debrief=seat.debrief, user=request.user, to=target):
        messages.info(request, f"The debrief is already past “{Debrief.Phase(target).label}”.")
    elif target == Debrief.Phase.DISCUSSING:
        messages.success(request, "The discussion is open: the ratings are side by side.")
    else:
        messages.success(request, "The recommendations are revealed.")
    return redirect(_debrief_url(request, seat.loop))


# Notes


@require_http_methods(["GET", "HEAD", "POST"])
@_refusals
@transaction.atomic
def debrief_notes(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """POST: autosave one of the member's notes (the kit's protocol, see static/js/kit.js).
    GET: the others' notes changed since `since`, for the page to show without a reload."""
    if request.method != "POST":
        seat = get_seat(request, pk)
        if not request.htmx:  # the address opened in a browser: the debrief it belongs to
            return redirect("debriefs:debrief", org_slug, pk)
        return _notes_update(request, seat)
    seat = get_seat(request, pk, lock=True)
    _may_write_notes(seat)
    form = NoteForm(questions=list(_questions(seat.loop).values_list("pk", flat=True)))
    store = meeting.Notes(debrief=seat.debrief, author=request.user)
    return autosave(request, store=store, form=form, words=NOTE_WORDS)


NOTE_WORDS = Words(
    "Send one note at a time.",
    "This debrief has no question “{name}”.",
    "Not saved: this note was changed in another window since this page loaded it. "
    "Copy what you typed here, then reload the page.",
)


def _notes_update(request: OrgRequest, seat: Seat) -> HttpResponse:
    """The others' notes, if any changed since the page's `since`, swapped in by htmx; and a
    word when the debrief moved on to another phase meanwhile."""
    try:
        since = parse_datetime(request.GET.get("since", ""))
    except ValueError:
        since = None
    if since is not None and timezone.is_naive(since):
        since = timezone.make_aware(since)
    phase = request.GET.get("phase", "")
    if seat.owes_feedback or not seat.debrief.pk:
        return HttpResponse(status=204)
    notes = list(seat.debrief.notes.select_related("author"))
    changed = any(
        n.author_id != request.user.pk and (since is None or n.updated_at > since) for n in notes
    )
    if not changed and phase == seat.debrief.phase:
        return HttpResponse(status=204)
    questions = list(_questions(seat.loop))
    context = {
        "loop": seat.loop,
        "debrief": seat.debrief,
        "note_rows": [
            (question, "", _others(notes, question, request.user.pk)) for question in questions
        ],
        "since": _latest(notes),
        "moved_on": phase != seat.debrief.phase,
        "phase_at_load": phase,
    }
    response = render(request, "debriefs/debrief.html#notes-update", context)
    response["Cache-Control"] = "no-store"
    return response


# Recommendations, after the reveal


@require_POST
@_refusals
@transaction.atomic
def recommendation_change(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """A participant changes their own recommendation, with the reason, after the reveal."""
    seat = get_seat(request, pk, lock=True)
    meeting.check_recommendations_open(seat.debrief)
    own = list(
        Scorecard.objects.filter(
            interview__loop__job__organization=request.organization,
            interview__loop=seat.loop,
            interviewer=request.user,
            archived_at__isnull=True,
            status=Scorecard.Status.SUBMITTED,
            seat=Scorecard.Seat.PANEL,  # a shadow's recommendation counts for nothing to change
        ).select_related("interview__stage")
    )
    if not own or seat.owes_feedback:
        raise PermissionDenied("Only an interviewer whose feedback is in changes a recommendation.")
    form = RecommendationChangeForm(request.POST, scorecards=own)
    if not form.is_valid():
        return _page_refused(request, seat, change_form=form, status=400)
    after = form.cleaned_data["recommendation"]
    try:
        meeting.change_recommendation(
            debrief=seat.debrief,
            scorecard=next(card for card in own if card.pk == form.cleaned_data["scorecard"]),
            user=request.user,
            recommendation=after,
            reason=form.cleaned_data["reason"],
        )
    except meeting.Refused as refused:
        form.add_error("recommendation", refused.message)
        return _page_refused(request, seat, change_form=form, status=refused.status)
    messages.success(
        request, f"Your recommendation is now {Recommendation(after).label}, with your reason."
    )
    return redirect(_debrief_url(request, seat.loop, "recommendations"))


# The decision

DECIDED_MEANWHILE = (
    "The decision was changed by someone else since this page loaded it: it is shown above. "
    "What you typed is below; send it again to change the decision, with a reason."
)


@require_POST
@_refusals
@transaction.atomic
def decision(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The facilitator records the decision; once decided, a change is an amendment with a
    reason, kept with what it changed. The loop's status follows the decision."""
    seat = get_seat(request, pk, lock=True)
    _may_run(seat)
    debrief = seat.debrief
    meeting.check_decidable(debrief)
    amending = debrief.is_decided
    jobs = other_jobs(debrief)
    sent = request.POST.get("revision", "")
    if sent.isdigit() and int(sent) != debrief.revision:
        # Decided or amended by someone else since this page loaded.
        form = redisplay(
            DecisionForm,
            request.POST,
            debrief.revision,
            message=DECIDED_MEANWHILE,
            instance=debrief,
            jobs=jobs,
            amending=amending,
        )
        return _page_refused(request, seat, decision_form=form, status=409)
    # No instance: the debrief keeps what was decided until meeting.decide compares.
    form = DecisionForm(request.POST, jobs=jobs, amending=amending)
    if not form.is_valid():
        return _page_refused(request, seat, decision_form=form, status=400)
    try:
        follow = meeting.decide(
            debrief=debrief,
            user=request.user,
            values=form.decision_values(),
            reason=form.cleaned_data.get("reason", ""),
        )
    except meeting.Refused as refused:
        form.add_error(None, refused.message)
        return _page_refused(request, seat, decision_form=form, status=refused.status)
    note = f"Decided: {debrief.get_decision_display()}."
    messages.success(request, f"{note} {follow}" if follow else note)
    return redirect(_debrief_url(request, seat.loop, "decision"))


def _page_refused(request: OrgRequest, seat: Seat, *, status: int, **forms) -> HttpResponse:
    """The debrief as saved, with the refused form as it was sent (`decision_form` or
    `change_form`); nothing the request began, a debrief row say, is kept."""
    seat.debrief.refresh_from_db()  # a decision form wrote its values onto it
    seat.debrief.loop = seat.loop
    response = _page(request, seat, status=status, **forms)
    transaction.set_rollback(True)
    return response


# A job's candidates side by side


@require_safe
@requires(Action.COMPARE_CANDIDATES)
def job_compare(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Pick up to five of the job's candidates; see them side by side."""
    job = get_job_to_compare(request, pk)
    loops = list(loops_to_compare(job))
    context = {"job": job, "loops": loops, "most": comparison.MOST, "picked": []}
    try:
        picked = comparison.chosen(request.GET.getlist("loop"))
    except comparison.CompareRefused as refused:
        context["error"] = str(refused)
        return render(request, "debriefs/compare.html", context, status=400)
    by_pk = {loop.pk: loop for loop in loops}
    if any(loop_id not in by_pk for loop_id in picked):
        raise Http404("No such loop in this job.")
    context["picked"] = picked
    if picked:
        columns, lines = comparison.compare(
            request.membership, [by_pk[loop_id] for loop_id in picked]
        )
        context |= {"columns": columns, "lines": lines}
    return render(request, "debriefs/compare.html", context)
