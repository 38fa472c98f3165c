from dataclasses import dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import OrgRequest
from candidates.access import get_interview, interviewers_scorecards, manages_loop
from candidates.models import Interview
from config.ids import link_for_each
from exercises.access import exercises_up_to
from guides.models import Criterion, Question, Recommendation, Stage
from insights.reports import calibration
from scorecards import submission
from scorecards.access import get_guide_stage, get_my_scorecard, get_stage, stage_fields
from scorecards.autosave import Versioned, Words, autosave, redisplay, refused
from scorecards.forms import AmendForm, ScorecardForm
from scorecards.models import QuestionNote, Rating, Scorecard, same, shown
from scorecards.visibility import (
    debrief_phase,
    handoff_notes,
    loop_feedback,
    readable_in_loop,
    readable_scorecards,
    seal,
    sealed,
    with_contents,
)

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
    # Only what the page shows: its 100 or so rows are five objects each.
    mine = mine.only(
        "interview_id",
        "status",
        "seat",
        "due_at",
        "submitted_at",
        "interview__starts_at",
        "interview__ends_at",
        "interview__video_link",
        "interview__location",
        "interview__stage__name",
        "interview__loop__candidate__name",
        "interview__loop__job__title",
    )
    upcoming = mine.filter(interview__ends_at__gt=now).order_by("interview__starts_at")
    owed = mine.filter(status=Scorecard.Status.DRAFT, interview__ends_at__lte=now).order_by(
        "due_at"
    )
    submitted = mine.filter(status=Scorecard.Status.SUBMITTED).order_by(
        F("submitted_at").desc(nulls_last=True)
    )[:SUBMITTED_SHOWN]
    upcoming, owed, submitted = list(upcoming), list(owed), list(submitted)
    kit = link_for_each("scorecards:kit", org_slug)
    calendar = link_for_each("candidates:interview-calendar", org_slug)
    debrief = link_for_each("debriefs:debrief", org_slug)
    for card in [*upcoming, *owed, *submitted]:
        card.kit_link = kit(card.interview_id)
        card.calendar_link = calendar(card.interview_id)
        card.debrief_link = debrief(card.interview.loop_id)
    context = {
        "upcoming": upcoming,
        "owed": owed,
        "submitted": submitted,
        "now": now,
        "calibration": calibration(request.membership),
    }
    return render(request, "scorecards/my_interviews.html", context)


def _fields_of(stage: Stage) -> dict:
    """What a scorecard of the stage holds, from the stage as `_stage` loads it."""
    return {
        "criteria": [criterion.pk for criterion in stage.criteria.all()],
        "questions": [question.pk for question in stage.questions.all()],
    }


# What the templates show


@dataclass
class CriterionRow:
    criterion: Criterion
    score: str  # the chosen score as the form holds it, "" for none
    note: str
    errors: list[str]
    autosave: str = ""  # the autosave address of the kit, "" where the form does not autosave

    def radios(self) -> SafeString:
        """The criterion's scores as radio buttons, each with its anchor text: built here
        rather than in the template, where 5 anchors × 10 criteria were most of the kit's
        template nodes."""
        pk = self.criterion.pk
        attributes = f' aria-describedby="criterion-{pk}-errors"' if self.errors else ""
        if self.autosave:
            attributes += (
                f' hx-post="{escape(self.autosave)}" hx-params="score-{pk},revision"'
                ' hx-trigger="change, retry" hx-swap="none"'
            )
        return mark_safe(  # noqa: S308 - the anchor texts and the address went through escape()
            "".join(
                f'<label class="anchor"><input type="radio" name="score-{pk}" value="{score}"'
                f"{' checked' if self.score == str(score) else ''}{attributes}>"
                f'<span class="digit" aria-hidden="true">{score}</span>'
                f'<span class="anchor-text">{escape(text)}</span></label>'
                for score, text in self.criterion.anchors()
            )
        )


@dataclass
class QuestionRow:
    question: Question
    note: str
    errors: list[str]


def _value(form: ScorecardForm, name: str) -> str:
    value = form[name].value()
    return "" if value is None else str(value)


def _sheet(form: ScorecardForm, stage: Stage, autosave: str = "") -> dict:
    """The form's fields in the stage's order, for the kit (which autosaves to `autosave`) and
    the amend page."""
    criteria = [
        CriterionRow(
            criterion,
            score=_value(form, f"score-{criterion.pk}"),
            note=_value(form, f"note-{criterion.pk}"),
            errors=[
                *form.errors.get(f"score-{criterion.pk}", []),
                *form.errors.get(f"note-{criterion.pk}", []),
            ],
            autosave=autosave,
        )
        for criterion in stage.criteria.all()
    ]
    questions = [
        QuestionRow(
            question,
            note=_value(form, f"question-{question.pk}"),
            errors=form.errors.get(f"question-{question.pk}", []),
        )
        for question in stage.questions.all()
    ]
    return {
        "form": form,
        "criteria_rows": criteria,
        "question_rows": questions,
        "recommendation": _value(form, "recommendation"),
        "recommendations": Recommendation.choices,
        "summary": _value(form, "summary"),
        "next_note": _value(form, "next_note"),
    }


# The interview kit


@require_safe
def kit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The interview for its interviewers: the stage's guide, notes per question, the
    scorecard; and, once their own is in, the feedback of the others they may read."""
    interview = get_interview(request, pk)
    return _kit_page(request, interview)


def _kit_page(
    request: OrgRequest,
    interview: Interview,
    form: ScorecardForm | None = None,
    status: int = 200,
    differences: list | None = None,
) -> HttpResponse:
    stage = get_guide_stage(request, interview.stage)
    cards = interviewers_scorecards(interview)
    mine = next(
        (card for card in cards if card.interviewer_id == request.user.pk and not card.archived_at),
        None,
    )
    feedback = loop_feedback(request.membership, interview.loop)
    context = {
        "interview": interview,
        "stage": stage,
        "scorecards": cards,
        "mine": mine,
        "feedback": feedback,
        "manages": manages_loop(request, interview.loop_id),
        "now": timezone.now(),
        "differences": differences,
        "values": interview.loop.placeholder_values(),
    }
    if mine and mine.is_open:
        if form is None:
            prefetch_related_objects([mine], "ratings", "question_notes")
            form = _draft_form(request, mine, _fields_of(stage))
        context["autosave_url"] = reverse(
            "scorecards:scorecard-field", args=[request.organization.slug, mine.pk]
        )
        context |= _sheet(form, stage, autosave=context["autosave_url"])
    else:
        context["question_rows"] = [QuestionRow(q, "", []) for q in stage.questions.all()]
    # The submitted feedback the member may read in this loop, their own included, in one go.
    # While they owe feedback in the loop, the page shows none but their own of this interview.
    shown = not feedback.mine_open or (mine and mine.is_submitted)
    readable = (
        readable_in_loop(request.membership, interview.loop_id, sealed=feedback.sealed)
        if feedback.readable and shown
        else []
    )
    # Later stages read the earlier ones' hand-ins and notes for them (rule 2's exception);
    # a member who owes feedback elsewhere in the loop and has no seat here reads neither.
    if mine or not feedback.mine_open:
        context["handoff_notes"] = handoff_notes(interview)
        context["exercises"] = exercises_up_to(interview)
        context["handoff"] = bool(context["handoff_notes"] or context["exercises"])
    if feedback.mine_open:
        context["owed_elsewhere"] = _owed_elsewhere(request, interview)
    context["my_card"] = next((card for card in readable if mine and card.pk == mine.pk), None)
    context["others"] = [card for card in readable if card is not context["my_card"]]
    if context["my_card"] and mine.is_shadow:
        panel = [c for c in context["others"] if c.interview_id == interview.pk and not c.is_shadow]
        context["comparison"] = _comparison(context["my_card"], panel, stage)
    return render(request, "scorecards/kit.html", context, status=status)


def _refusal_key(card: Scorecard) -> str:
    return f"scorecard-{card.pk}-refused"


def _draft_form(request: OrgRequest, card: Scorecard, fields: dict) -> ScorecardForm:
    """The kit's form holding the saved draft; with why a submit was just refused, if it was
    (kept in the session by `scorecard_submit` for the page it redirects to)."""
    values = {**card.values(), "revision": card.revision}
    refusal = request.session.pop(_refusal_key(card), None)
    if refusal is None:
        return ScorecardForm(initial=values, **fields)
    data = {name: "" if value is None else str(value) for name, value in values.items()}
    form = ScorecardForm(data, **fields)
    form.is_valid()
    return _with_refusal(form, submission.Refused(refusal["message"], errors=refusal["errors"]))


def _owed_elsewhere(request: OrgRequest, interview: Interview) -> list[Scorecard]:
    """The member's open drafts in the interview's loop for its other interviews: what keeps
    the others' feedback hidden from them besides this one."""
    return list(
        Scorecard.objects.filter(
            interview__loop__job__organization=request.organization,
            interview__loop=interview.loop_id,
            interviewer=request.user,
            archived_at__isnull=True,
            status=Scorecard.Status.DRAFT,
        )
        .exclude(interview=interview)
        .select_related("interview__stage")
        .order_by("interview__starts_at", "pk")
    )


@dataclass
class Compared:
    """A criterion of a shadow's scorecard beside the panel's scores for it."""

    criterion: Criterion
    mine: int | None
    panel: list[tuple[str, int | None]]  # (interviewer, score)

    @property
    def panel_mean(self) -> float | None:
        """The mean of the panel's scores; a 0 (not enough information) is no score."""
        scores = [score for _, score in self.panel if score]
        return round(sum(scores) / len(scores), 1) if scores else None


def _comparison(mine: Scorecard, panel: list[Scorecard], stage: Stage) -> dict:
    """A shadow's submitted scores and recommendation beside the panel's of the same
    interview, from the cards as the shadow may read them (sealed recommendations stay so)."""

    def scores(card: Scorecard) -> dict[int, int | None]:
        return {rating.criterion_id: rating.score for rating in card.ratings.all()}

    by_card = {card.pk: scores(card) for card in panel}
    own = scores(mine)
    return {
        "rows": [
            Compared(
                criterion,
                own.get(criterion.pk),
                [(c.interviewer.display_name, by_card[c.pk].get(criterion.pk)) for c in panel],
            )
            for criterion in stage.criteria.all()
        ],
        "panel": panel,
        "recommendation": mine.recommendation,
        "recommendation_label": mine.get_recommendation_display(),
    }


# Saving: one field at a time as the interviewer types, or the whole form to submit


def _stale_differences(card: Scorecard, form: ScorecardForm) -> list[tuple[str, str, str]]:
    """The fields where what this page sent differs from what is saved."""
    prefetch_related_objects(
        [card],
        Prefetch("ratings", queryset=Rating.objects.select_related("criterion")),
        Prefetch("question_notes", queryset=QuestionNote.objects.select_related("question")),
    )
    saved = card.values()
    return [
        (card.label(name), shown(name, saved.get(name)), shown(name, value))
        for name, value in form.scorecard_values().items()
        if not same(saved.get(name), value)
    ]


def _with_refusal(form: ScorecardForm, refusal: submission.Refused) -> ScorecardForm:
    """The form with what the workflow refused, by field and in general."""
    for name, message in refusal.errors.items():
        form.add_error(name, message)
    if refusal.message:
        form.add_error(None, refusal.message)
    return form


@require_POST
@transaction.atomic
def scorecard_field(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Autosave: one field of the member's own draft (scorecards.autosave)."""
    card = get_my_scorecard(request, pk, lock=True, loop=False)
    if not card.is_open:
        return refused(
            "You have submitted this scorecard, so it no longer saves as you type. "
            "Reload the page; to change it, use Amend.",
            status=409,
        )
    form = ScorecardForm(**stage_fields(request, card.interview.stage))
    store = Versioned(card)
    return autosave(request, store=store, form=form, words=Words.of("scorecard"))


@require_POST
@transaction.atomic
def scorecard_submit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The whole form: saved as a draft, or submitted when complete (scorecards.submission)."""
    card = get_my_scorecard(request, pk, lock=True)
    interview = card.interview
    kit_url = reverse("scorecards:kit", args=[org_slug, interview.pk])
    if not card.is_open:
        messages.info(request, submission.SUBMITTED)
        return redirect(kit_url)
    fields = stage_fields(request, interview.stage)
    form = ScorecardForm(request.POST, **fields)
    if not form.is_valid():
        return _kit_page(request, interview, form=form, status=400)
    if form.cleaned_data["revision"] != card.revision and (
        differences := _stale_differences(card, form)
    ):
        # Shown with what this page sent; submitting again means it, knowing.
        form = redisplay(ScorecardForm, request.POST, card.revision, **fields)
        return _kit_page(request, interview, form=form, status=409, differences=differences)
    values = form.scorecard_values()
    if request.POST.get("intent") != "submit":
        submission.save_draft(scorecard=card, values=values)
        messages.success(request, "Draft saved.")
        return redirect(kit_url)
    try:
        submission.submit(scorecard=card, user=request.user, values=values)
    except submission.Refused as refusal:
        # What was typed is saved as the draft: the kit shows it with why, from its own address,
        # so that reloading it posts nothing again (post/redirect/get).
        request.session[_refusal_key(card)] = {
            "message": refusal.message,
            "errors": refusal.errors,
        }
        return redirect(kit_url + "#form-errors")
    messages.success(request, "Your feedback is submitted.")
    return redirect(kit_url + "#mine-heading")


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def scorecard_amend(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """A change to submitted feedback, kept with who, when, why, before and after."""
    card = get_my_scorecard(request, pk, lock=request.method == "POST")
    interview = card.interview
    if card.is_open:
        return redirect("scorecards:kit", org_slug, interview.pk)
    try:
        submission.may_amend(card)
    except submission.Refused as refusal:
        if request.method == "POST":
            return refused(refusal.message, status=refusal.status)
        messages.info(request, refusal.message)
        return redirect("scorecards:kit", org_slug, interview.pk)
    stage = get_stage(request, interview.stage_id)
    fields = _fields_of(stage)
    card = with_contents(readable_scorecards(request.membership).filter(pk=card.pk))
    card = card.select_related("interview__loop__candidate", "interview__loop__job").get()
    if request.method != "POST":
        form = AmendForm(initial={**card.values(), "revision": card.revision}, **fields)
        return _amend_page(request, card, stage, form)
    form = AmendForm(request.POST, **fields)
    if not form.is_valid() or not form.require_complete():
        return _amend_page(request, card, stage, form, status=400)
    if form.cleaned_data["revision"] != card.revision:
        differences = _stale_differences(card, form)
        form = redisplay(AmendForm, request.POST, card.revision, **fields)
        return _amend_page(request, card, stage, form, status=409, differences=differences)
    try:
        submission.amend(
            scorecard=card,
            user=request.user,
            values=form.scorecard_values(),
            reason=form.cleaned_data["reason"],
        )
    except submission.Refused as refusal:
        return _amend_page(
            request, card, stage, _with_refusal(form, refusal), status=refusal.status
        )
    messages.success(request, "Your amendment is saved; readers see what changed.")
    kit_url = reverse("scorecards:kit", args=[org_slug, interview.pk])
    return redirect(kit_url + "#mine-heading")


def _amend_page(
    request: OrgRequest,
    card: Scorecard,
    stage: Stage,
    form: AmendForm,
    *,
    status: int = 200,
    differences: list | None = None,
) -> HttpResponse:
    context = {
        "interview": card.interview,
        "card": card,
        "differences": differences,
        "values": card.interview.loop.placeholder_values(),
        **_sheet(form, stage),
    }
    return render(request, "scorecards/amend.html", context, status=status)


# Reading


@require_safe
def scorecard_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """A scorecard for those who may read it (scorecards.visibility)."""
    cards = readable_scorecards(request.membership).filter(pk=pk)
    card = get_object_or_404(
        with_contents(cards).select_related("interview__loop__candidate", "interview__loop__job")
    )
    if card.is_open and card.interviewer_id == request.user.pk:
        return HttpResponseRedirect(reverse("scorecards:kit", args=[org_slug, card.interview_id]))
    loop = card.interview.loop
    if sealed(loop, debrief_phase(loop)):
        seal([card], request.membership)
    context = {
        "card": card,
        "loop": loop,
        "manages": manages_loop(request, loop.pk),
    }
    return render(request, "scorecards/scorecard_detail.html", context)
