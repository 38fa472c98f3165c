import json
from dataclasses import dataclass
from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Prefetch, prefetch_related_objects
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import OrgRequest
from candidates.access import get_interview, interviewers_scorecards, manages_loop
from candidates.models import Activity, Interview
from guides import placeholders
from guides.models import Criterion, Question, Recommendation, Stage
from scorecards.access import get_my_scorecard, get_stage
from scorecards.forms import AmendForm, ScorecardForm, clean_field
from scorecards.models import Amendment, QuestionNote, Rating, Scorecard, shown
from scorecards.tasks import queue_feedback_in
from scorecards.visibility import (
    debrief_phase,
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


def _fields_of(stage: Stage) -> dict:
    """What a scorecard of the stage holds, from the stage as `_stage` loads it."""
    return {
        "criteria": [criterion.pk for criterion in stage.criteria.all()],
        "questions": [question.pk for question in stage.questions.all()],
    }


def _values(request: OrgRequest, interview: Interview) -> dict:
    """What fills the guide's placeholders for this interview."""
    return placeholders.loop_values(
        request.organization,
        job_title=interview.loop.job.title,
        candidate=interview.loop.candidate.name,
    )


def _fields(request: OrgRequest, stage_id: int) -> dict:
    """The primary keys of a stage's criteria and questions: what its scorecard holds (two
    small queries, for the requests that need no more of the stage)."""
    in_org = {"stage__version__guide__organization": request.organization, "stage": stage_id}
    return {
        "criteria": list(Criterion.objects.filter(**in_org).values_list("pk", flat=True)),
        "questions": list(Question.objects.filter(**in_org).values_list("pk", flat=True)),
    }


# What the templates show


@dataclass
class CriterionRow:
    criterion: Criterion
    score: str  # the chosen score as the form holds it, "" for none
    note: str
    errors: list[str]


@dataclass
class QuestionRow:
    question: Question
    note: str
    errors: list[str]


def _value(form: ScorecardForm, name: str) -> str:
    value = form[name].value()
    return "" if value is None else str(value)


def _sheet(form: ScorecardForm, stage: Stage) -> dict:
    """The form's fields in the stage's order, for the kit and the amend page."""
    criteria = [
        CriterionRow(
            criterion,
            score=_value(form, f"score-{criterion.pk}"),
            note=_value(form, f"note-{criterion.pk}"),
            errors=[
                *form.errors.get(f"score-{criterion.pk}", []),
                *form.errors.get(f"note-{criterion.pk}", []),
            ],
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
    stage = get_stage(request, interview.stage_id)
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
        "values": _values(request, interview),
    }
    if mine and mine.is_open:
        if form is None:
            prefetch_related_objects([mine], "ratings", "question_notes")
            form = ScorecardForm(
                initial={**mine.values(), "revision": mine.revision}, **_fields_of(stage)
            )
        context |= _sheet(form, stage)
        context["autosave_url"] = reverse(
            "scorecards:scorecard-field", args=[request.organization.slug, mine.pk]
        )
    else:
        context["question_rows"] = [QuestionRow(q, "", []) for q in stage.questions.all()]
    # The submitted feedback the member may read in this loop, their own included, in one go.
    readable = (
        readable_in_loop(request.membership, interview.loop_id, sealed=feedback.sealed)
        if feedback.readable
        else []
    )
    context["my_card"] = next((card for card in readable if mine and card.pk == mine.pk), None)
    context["others"] = [card for card in readable if card is not context["my_card"]]
    return render(request, "scorecards/kit.html", context, status=status)


# Saving: one field at a time as the interviewer types, or the whole form to submit


def _same(saved, value) -> bool:
    """Whether two values of a field say the same; a score of 0 is a value, "" is none."""
    return (None if saved == "" else saved) == (None if value == "" else value)


def _stale_differences(card: Scorecard, form: ScorecardForm) -> list[tuple[str, str, str]]:
    """The fields where what this page sent differs from what is saved."""
    prefetch_related_objects(
        [card],
        Prefetch("ratings", queryset=Rating.objects.select_related("criterion")),
        Prefetch("question_notes", queryset=QuestionNote.objects.select_related("question")),
    )
    saved = card.values()
    differences = []
    for name, value in form.scorecard_values().items():
        if not _same(saved.get(name), value):
            differences.append((card.label(name), shown(name, saved.get(name)), shown(name, value)))
    return differences


@require_POST
@transaction.atomic
def scorecard_field(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Autosave: one field of the member's own draft. Answers with the new revision, and
    whether the page had seen every save before this one (no other window saved meanwhile)."""
    card = get_my_scorecard(request, pk, lock=True)
    if not card.is_open:
        return _plain(
            "You have submitted this scorecard, so it no longer saves as you type. "
            "Reload the page; to change it, use Amend.",
            status=409,
        )
    form = ScorecardForm(**_fields(request, card.interview.stage_id))
    return save_one_field(
        request, card, form, prefetch=["ratings", "question_notes"], what="scorecard"
    )


def save_one_field(
    request: OrgRequest, record, form, *, prefetch: list[str], what: str
) -> HttpResponse:
    """Autosave one field of a locked record (a scorecard, a reference call): its `values()`
    and `write()` speak the field names of `form`. See static/js/kit.js for the other side."""
    names = [
        name for name in request.POST if name not in ("revision", "base", "csrfmiddlewaretoken")
    ]
    if len(names) != 1:
        return _plain(f"Send one field of the {what} at a time.", status=400)
    name = names[0]
    try:
        value = clean_field(form, name, request.POST[name])
    except KeyError:
        return _plain(f"This {what} has no field “{name[:60]}”.", status=400)
    except ValidationError as error:
        return _plain(" ".join(error.messages), status=400)
    if "base" in request.POST:
        # The value the page last saved or loaded: if the field holds another now, a second
        # window changed it, and this page's text must not silently replace that.
        try:
            base = clean_field(form, name, request.POST["base"])
        except ValidationError:
            base = request.POST["base"]
        prefetch_related_objects([record], *prefetch)
        if not _same(record.values().get(name), base):
            return _plain(
                "Not saved: this was changed in another window since this page loaded it. "
                "Copy what you typed here, then reload the page to see the other change.",
                status=409,
            )
    in_step = request.POST.get("revision") == str(record.revision)
    record.write({name: value})
    response = HttpResponse(status=200)
    response["HX-Trigger"] = json.dumps(
        {"autosaved": {"revision": record.revision, "inStep": in_step}}
    )
    response["Cache-Control"] = "no-store"
    return response


def _feedback_owed(request: OrgRequest, loop_id: int) -> bool:
    """Whether someone still owes feedback in the loop (an open draft of a scheduled
    interview)."""
    return Scorecard.objects.filter(
        interview__loop__job__organization=request.organization,
        interview__loop=loop_id,
        interview__status=Interview.Status.SCHEDULED,
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
    ).exists()


def _plain(message: str, *, status: int) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_POST
@transaction.atomic
def scorecard_submit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The whole form: saved as a draft, or submitted when complete."""
    card = get_my_scorecard(request, pk, lock=True)
    interview = card.interview
    kit_url = reverse("scorecards:kit", args=[org_slug, interview.pk])
    if not card.is_open:
        messages.info(request, "You had already submitted this scorecard. To change it, amend it.")
        return redirect(kit_url)
    fields = _fields(request, interview.stage_id)
    form = ScorecardForm(request.POST, **fields)
    if not form.is_valid():
        return _kit_page(request, interview, form=form, status=400)
    if form.cleaned_data["revision"] != card.revision:
        differences = _stale_differences(card, form)
        if differences:
            # Shown with what this page sent; submitting again means it, knowing.
            form = ScorecardForm({**request.POST.dict(), "revision": card.revision}, **fields)
            form.is_valid()
            return _kit_page(request, interview, form=form, status=409, differences=differences)
    card.write(form.scorecard_values())
    if request.POST.get("intent") != "submit":
        messages.success(request, "Draft saved.")
        return redirect(kit_url)
    complete = form.require_complete()
    if complete and interview.starts_at > timezone.now():
        form.add_error(None, "The interview has not begun yet: submit your feedback after it.")
        complete = False
    if not complete:
        form.data = form.data.copy()
        form.data["revision"] = card.revision
        return _kit_page(request, interview, form=form, status=400)
    card.status = Scorecard.Status.SUBMITTED
    card.submitted_at = timezone.now()
    card.save(update_fields=["status", "submitted_at", "updated_at"])
    if not _feedback_owed(request, interview.loop_id):
        # The hiring manager hears at once, not at the next periodic run, when this was the
        # last scorecard; queued once committed, and never failing the submit.
        transaction.on_commit(
            partial(
                queue_feedback_in,
                organization_id=request.organization.pk,
                loop_id=interview.loop_id,
            ),
            robust=True,
        )
    Activity.record(
        interview.loop.candidate,
        f"{request.user.display_name} submitted feedback for {interview.stage.name}",
        actor=request.user,
        loop=interview.loop,
    )
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
    if interview.loop.candidate.erased_at:
        erased = "This candidate's data was erased; their feedback cannot change."
        if request.method == "POST":
            return _plain(erased, status=409)
        messages.info(request, erased)
        return redirect("scorecards:kit", org_slug, interview.pk)
    stage = get_stage(request, interview.stage_id)
    fields = _fields_of(stage)
    card = with_contents(readable_scorecards(request.membership).filter(pk=card.pk)).get()
    saved = card.values()
    differences = None
    status = 200
    if request.method == "POST":
        form = AmendForm(request.POST, **fields)
        if not form.is_valid() or not form.require_complete():
            status = 400
        elif form.cleaned_data["revision"] != card.revision:
            status = 409
            differences = _stale_differences(card, form)
            form = AmendForm({**request.POST.dict(), "revision": card.revision}, **fields)
            form.is_valid()
        else:
            after = {
                name: value
                for name, value in form.scorecard_values().items()
                if not _same(saved.get(name), value)
            }
            if not after:
                form.add_error(None, "Nothing is changed: there is nothing to amend.")
                status = 400
            else:
                Amendment.objects.create(
                    scorecard=card,
                    author=request.user,
                    reason=form.cleaned_data["reason"],
                    before={name: saved.get(name) for name in after},
                    after=after,
                )
                card.write(after)
                Activity.record(
                    interview.loop.candidate,
                    f"{request.user.display_name} amended their feedback for "
                    f"{interview.stage.name}",
                    actor=request.user,
                    loop=interview.loop,
                )
                messages.success(request, "Your amendment is saved; readers see what changed.")
                kit_url = reverse("scorecards:kit", args=[org_slug, interview.pk])
                return redirect(kit_url + "#mine-heading")
    else:
        form = AmendForm(initial={**saved, "revision": card.revision}, **fields)
    context = {
        "interview": interview,
        "card": card,
        "differences": differences,
        "values": _values(request, interview),
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
