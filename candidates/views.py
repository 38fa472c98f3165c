import logging
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import (
    Count,
    Prefetch,
    Q,
    prefetch_related_objects,
)
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, OrgRequest, requires
from accounts.forms import search_query
from candidates import erasure, packets, scheduling, services, training
from candidates.access import (
    candidates_for,
    get_candidate,
    get_interview,
    get_interview_to_manage,
    get_job,
    get_loop,
    interviewers_scorecards,
    jobs_for,
    loops_for,
    may_read_resume,
    open_jobs,
)
from candidates.forms import (
    RESUME_TYPES,
    AddToJobForm,
    CandidateForm,
    InterviewForm,
    JobForm,
    LoopStatusForm,
    not_active,
)
from candidates.models import Candidate, Interview, Job, Loop, Packet
from config.ids import link_for_each
from debriefs import matrix
from debriefs.models import Debrief
from exercises import access as exercises
from references.models import reference_summary
from scorecards.models import FeedbackReminder, Rating, Scorecard
from scorecards.visibility import (
    LoopFeedback,
    loop_feedback,
    readable_in_loop,
    readable_scorecards,
)

logger = logging.getLogger(__name__)

managers = requires(Action.MANAGE_JOBS)
PAGE_SIZE = 50


def _partial_or_page(request: OrgRequest, template: str, context: dict) -> HttpResponse:
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, f"{template}#results" if partial else template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# Jobs


@require_safe
@managers
def job_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    status = request.GET.get("status", Job.Status.OPEN)
    jobs = jobs_for(request).select_related("hiring_manager", "recruiter", "guide_version")
    if status in Job.Status.values:
        jobs = jobs.filter(status=status)
    else:
        status = ""
    jobs = jobs.annotate(
        active_loops=Count("loops", filter=Q(loops__status=Loop.Status.ACTIVE)),
        all_loops=Count("loops"),
    )
    jobs = list(jobs)
    context = {
        "jobs": jobs,
        "status": status,
        "statuses": Job.Status.choices,
        "has_jobs": bool(jobs) or jobs_for(request).exists(),
    }
    return _partial_or_page(request, "candidates/job_list.html", context)


def _job_form(request: OrgRequest, job: Job | None = None) -> JobForm:
    return JobForm(
        request.POST or None,
        instance=job,
        organization=request.organization,
        user=request.user,
        role=request.membership.role,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@managers
def job_new(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = _job_form(request)
    if request.method == "POST" and form.is_valid():
        job = form.save(commit=False)
        job.organization = request.organization
        job.created_by = request.user
        job.save()
        messages.success(request, f"“{job.title}” is open. Add its candidates below.")
        return redirect("candidates:job-detail", org_slug, job.pk)
    status = 400 if form.errors else 200
    return render(request, "candidates/job_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@managers
def job_edit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    job = get_job(request, pk)
    pinned = job.guide_version
    form = _job_form(request, job)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            job = form.save()
            if job.guide_version != pinned:
                moved = services.move_job(job=job, version=job.guide_version, user=request.user)
                kept = job.loops.exclude(guide_version=job.guide_version).count()
                they = "it" if kept == 1 else "they"
                messages.info(
                    request,
                    f"The job now runs “{job.guide_version.title}” v{job.guide_version.number}: "
                    f"{moved} loop{pluralize(moved)} without interviews moved with it; {kept} "
                    f"started loop{pluralize(kept)} keep{pluralize(kept, 's,')} the guide {they} "
                    "started on.",
                )
        messages.success(request, f"“{job.title}” was saved.")
        return redirect("candidates:job-detail", org_slug, job.pk)
    context = {"form": form, "job": job}
    return render(request, "candidates/job_form.html", context, status=400 if form.errors else 200)


@require_safe
@managers
def job_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The job's pipeline: every loop with its progress through the stages."""
    job = get_job(request, pk)
    progress = request.GET.get("progress", "")
    status = request.GET.get("status", "")
    query = search_query(request)
    rows, counts = services.pipeline(
        job, progress=progress, status=status, query=query, page=request.GET.get("page")
    )
    exercises.mark_states(rows.object_list)
    loop_link = link_for_each("candidates:loop-detail", org_slug)
    for loop, _cells in rows.object_list:
        loop.link = loop_link(loop.pk)
    context = {
        "job": job,
        "rows": rows,
        "progress": progress,
        "status": status,
        "query": query,
        "progress_choices": [(v, label, counts.get(v, 0)) for v, label in Loop.Progress.choices],
        "job_has_loops": bool(counts),
        "status_choices": Loop.Status.choices,
        "now": timezone.now(),
    }
    return _partial_or_page(request, "candidates/job_detail.html", context)


# Candidates


@require_safe
@managers
def candidate_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    query = search_query(request)
    order = "name" if request.GET.get("order") == "name" else "newest"
    candidates = candidates_for(request).prefetch_related(
        Prefetch(
            "loops",
            queryset=loops_for(request)
            .select_related("job")
            .only("status", "candidate_id", "job__title"),
            to_attr="visible_loops",
        )
    )
    if query:
        candidates = candidates.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(source__icontains=query)
        )
    candidates = candidates.order_by(
        *(("name", "pk") if order == "name" else ("-created_at", "-pk"))
    )
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "order": order}
    return _partial_or_page(request, "candidates/candidate_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@managers
def candidate_new(request: OrgRequest, org_slug: str) -> HttpResponse:
    jobs = open_jobs(request)
    form = CandidateForm(
        request.POST or None,
        request.FILES or None,
        organization=request.organization,
        jobs=jobs,
        initial={"job": request.GET.get("job")},
    )
    if request.method == "POST" and form.is_valid():
        candidate, job = form.save(commit=False), form.cleaned_data.get("job")
        candidate.organization = request.organization
        try:
            loop = services.add_candidate(candidate=candidate, user=request.user, job=job)
        except IntegrityError:
            form.add_error("email", "A candidate with this e-mail was added a moment ago.")
            context = {"form": form, "existing": None}
            return render(request, "candidates/candidate_form.html", context, status=409)
        if job:
            messages.success(request, f"{candidate.name} is in “{job.title}”: schedule a stage.")
            return redirect("candidates:loop-detail", org_slug, loop.pk)
        messages.success(request, f"{candidate.name} was added.")
        return redirect("candidates:candidate-detail", org_slug, candidate.pk)
    existing = _visible_duplicate(request, form)
    job = form.cleaned_data.get("job") if hasattr(form, "cleaned_data") else None
    context = {
        "form": form,
        "existing": existing,
        "existing_loop": existing and job and existing.loops.filter(job=job).first(),
    }
    status = 400 if form.errors else 200
    return render(request, "candidates/candidate_form.html", context, status=status)


def _visible_duplicate(request: OrgRequest, form: CandidateForm) -> Candidate | None:
    """The candidate holding the e-mail typed, if the member may see them: a hiring manager
    learns that the address is taken, not whose it is."""
    existing = form.existing
    if existing is not None and candidates_for(request).filter(pk=existing.pk).exists():
        return existing
    return None


@require_safe
@managers
def candidate_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    candidate = get_candidate(request, pk)
    loops = services.with_progress(
        candidate.loops.filter(job__in=jobs_for(request)).select_related("job", "guide_version")
    )
    # What happened in jobs the member does not run is not theirs to read.
    activities = candidate.activities.filter(
        Q(loop__isnull=True) | Q(loop__job__in=jobs_for(request))
    ).select_related("actor", "loop__job")[:200]
    in_jobs = candidate.loops.values("job")
    loops = list(loops)
    _summarise_competencies(request, loops)
    context = {
        "candidate": candidate,
        "loops": loops,
        "activities": activities,
        "add_form": AddToJobForm(jobs=open_jobs(request).exclude(pk__in=in_jobs)),
    }
    return render(request, "candidates/candidate_detail.html", context)


def _summarise_competencies(request: OrgRequest, loops: list[Loop]) -> None:
    """Give each loop `competency_rows`: a line per competency and outcome of its guide, from
    the submitted scores the member may read (scorecards.visibility)."""
    cards = list(
        readable_scorecards(request.membership)
        .filter(
            interview__loop__in=loops,
            status=Scorecard.Status.SUBMITTED,
            seat=Scorecard.Seat.PANEL,  # a shadow's scores say nothing of the candidate
        )
        .select_related("interview")
        .prefetch_related(Prefetch("ratings", Rating.objects.select_related("criterion")))
    )
    prefetch_related_objects([loop.guide_version for loop in loops], "competencies", "outcomes")
    for loop in loops:
        of_loop = [card for card in cards if card.interview.loop_id == loop.pk]
        rows = matrix.grouped(of_loop, loop.guide_version).rows
        loop.competency_rows = [row for row in rows if row.kind != "criterion"] if of_loop else []


@require_http_methods(["GET", "HEAD", "POST"])
@managers
@transaction.atomic
def candidate_edit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    # Locked for a change, so that an erasure under way is not written over.
    candidate = get_candidate(request, pk, lock=request.method == "POST")
    if candidate.erased_at:
        messages.error(request, "This candidate's data was erased; there is nothing to edit.")
        return redirect("candidates:candidate-detail", org_slug, pk)
    old_resume = candidate.resume.name
    form = CandidateForm(
        request.POST or None,
        request.FILES or None,
        instance=candidate,
        organization=request.organization,
        jobs=None,
    )
    if request.method == "POST" and form.is_valid():
        candidate = form.save()
        changed = [str(form[name].label).lower() for name in form.changed_data]
        services.update_candidate(
            candidate=candidate, changed=changed, old_resume=old_resume, user=request.user
        )
        messages.success(request, f"{candidate.name} was saved.")
        return redirect("candidates:candidate-detail", org_slug, pk)
    context = {"form": form, "candidate": candidate, "existing": _visible_duplicate(request, form)}
    status = 400 if form.errors else 200
    return render(request, "candidates/candidate_form.html", context, status=status)


@require_safe
def candidate_resume(request: OrgRequest, org_slug: str, pk: int) -> FileResponse:
    candidate = get_object_or_404(Candidate, organization=request.organization, pk=pk)
    if not may_read_resume(request, candidate.pk) or not candidate.resume:
        raise Http404("No résumé here.")
    kind = candidate.resume.name.rsplit(".", 1)[-1]
    response = FileResponse(
        candidate.resume.open("rb"),
        as_attachment=kind != "pdf",
        filename=candidate.resume_name or f"resume.{kind}",
        content_type=RESUME_TYPES.get(kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    # A PDF opens in the browser's viewer, with nothing of ours around it.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@managers
def loop_new(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    candidate = get_candidate(request, pk)
    form = AddToJobForm(request.POST, jobs=open_jobs(request))
    if candidate.erased_at:
        messages.error(request, "This candidate's data was erased: they cannot join a job.")
        return redirect("candidates:candidate-detail", org_slug, pk)
    if not form.is_valid():
        messages.error(request, form.errors["job"][0])
        return redirect("candidates:candidate-detail", org_slug, pk)
    job = form.cleaned_data["job"]
    try:
        loop = services.start_loop(candidate=candidate, job=job, user=request.user)
    except services.AlreadyInJob as error:
        messages.info(request, f"{candidate.name} is already in “{job.title}”.")
        return redirect("candidates:loop-detail", org_slug, error.loop.pk)
    messages.success(request, f"{candidate.name} is in “{job.title}”: schedule a stage.")
    return redirect("candidates:loop-detail", org_slug, loop.pk)


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.ERASE_CANDIDATES)
def candidate_erase(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    candidate = get_candidate(request, pk)
    if candidate.erased_at:
        messages.info(request, "This candidate's data was already erased.")
        return redirect("candidates:candidate-detail", org_slug, pk)
    if request.method == "POST" and request.POST.get("confirm") == "erase":
        erasure.erase_candidate(candidate=candidate, user=request.user)
        messages.success(request, "The candidate's personal data was erased.")
        return redirect("candidates:candidate-detail", org_slug, pk)
    if request.method == "POST":
        messages.error(request, "Tick the box to confirm the erasure.")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "candidates/candidate_erase.html", {"candidate": candidate}, status=status
    )


# Loops and interviews


@require_safe
@managers
def loop_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    loop = get_loop(request, pk)
    return _loop_page(request, loop)


def _loop_page(request: OrgRequest, loop: Loop, status_form=None, status=200) -> HttpResponse:
    interviews = (
        loop.interviews.select_related("stage", "exercise")
        .prefetch_related(
            "exercise__hand_ins",
            Prefetch(
                "scorecards",
                queryset=Scorecard.objects.filter(archived_at__isnull=True).select_related(
                    "interviewer"
                ),
            ),
        )
        .order_by("starts_at")
    )
    feedback = loop_feedback(request.membership, loop)
    readable = (
        readable_in_loop(request.membership, loop.pk, sealed=feedback.sealed)
        if feedback.readable
        else []
    )
    # The stage list shows what the member may read of each scorecard: the card as read.
    as_read = {card.pk: card for card in readable}
    scheduled = {}
    cancelled = []
    for interview in interviews:
        for card in interview.scorecards.all():
            card.read = as_read.get(card.pk)
        if interview.is_cancelled:
            cancelled.append(interview)
        else:
            scheduled[interview.stage_id] = interview
    stages = [(stage, scheduled.get(stage.pk)) for stage in loop.guide_version.stages.all()]
    context = {
        "loop": loop,
        "stages": stages,
        "cancelled": cancelled,
        "status_form": status_form or LoopStatusForm(instance=loop),
        "now": timezone.now(),
        "newer_version": loop.job.guide_version_id != loop.guide_version_id,
        "feedback": feedback,
        "readable": readable,
        "debrief": Debrief.objects.filter(
            loop=loop, loop__job__organization=request.organization
        ).first(),
        # The reference calls wait for one's own feedback, as the others' does (rule 2).
        "references": None if feedback.mine_open else reference_summary(loop),
        # Who was reminded of overdue feedback, when: not feedback, so no one waits for it.
        "reminders": FeedbackReminder.objects.filter(
            scorecard__interview__loop=loop,
            scorecard__interview__loop__job__organization=request.organization,
        )
        .select_related("scorecard__interviewer", "scorecard__interview__stage")
        .order_by("scorecard__interviewer__full_name", "scorecard_id", "sent_at"),
        **_packet_state(request, loop, feedback),
        "values": loop.placeholder_values(),
    }
    return render(request, "candidates/loop_detail.html", context, status=status)


@require_POST
@managers
@transaction.atomic
def loop_status(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    loop = get_loop(request, pk, lock=True)
    form = LoopStatusForm(request.POST, instance=loop)
    if not form.is_valid():
        loop.refresh_from_db()
        return _loop_page(request, loop, status_form=form, status=400)
    cancelled = services.set_loop_status(
        loop=loop,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["rejection_reason"],
        user=request.user,
    )
    note = f"{loop.candidate.name} is now marked {loop.get_status_display().lower()}"
    if cancelled:
        note += f"; {cancelled} upcoming interview{pluralize(cancelled)} cancelled"
    messages.success(request, note + ".")
    return redirect("candidates:loop-detail", org_slug, pk)


@dataclass
class Warnings:
    """What to confirm before saving a schedule: interviewers or the candidate busy then, a
    time gone by, panel members not yet qualified for the stage (candidates.training), the
    member putting themselves on a panel of a loop whose feedback they read."""

    conflicts: list[Scorecard]
    in_the_past: bool
    candidate_busy: list[Interview] = field(default_factory=list)
    # The others' submitted scorecards that the member reads now and would not until theirs is in.
    hides_feedback: int = 0
    # The loops whose candidate and stage the member may read; other conflicts are unnamed.
    visible_loops: set[int] = field(default_factory=set)
    unqualified: list[tuple] = field(default_factory=list)  # (User, training.Standing)
    shadows_needed: int = 0

    def __bool__(self):
        return bool(
            self.conflicts
            or self.in_the_past
            or self.unqualified
            or self.candidate_busy
            or self.hides_feedback
        )

    @property
    def unqualified_pks(self) -> str:
        return ",".join(str(user.pk) for user, _ in self.unqualified)


def _warnings(request: OrgRequest, form: InterviewForm, loop: Loop, interview=None) -> Warnings:
    if request.POST.get("confirm") == form.fingerprint():
        return Warnings(conflicts=[], in_the_past=False)
    panel = list(form.cleaned_data["interviewers"])
    seats = panel + list(form.cleaned_data["shadows"])
    stage = interview.stage if interview else form.cleaned_data["stage"]
    conflicts = (
        []
        if stage.is_take_home
        else scheduling.conflicts(
            organization=request.organization,
            interviewers=seats,
            slot=form.slot,
            exclude=interview,
        )
    )
    candidate_busy = scheduling.candidate_conflicts(
        loop=loop, stage=stage, slot=form.slot, exclude=interview
    )
    # Logging an interview already held is fine, once the recruiter has seen that it was.
    moved = interview is None or form.slot.starts_at != interview.starts_at
    loops = {card.interview.loop_id for card in conflicts} | {i.loop_id for i in candidate_busy}
    # Those already on this interview's panel were seen when they were put there.
    seated = set() if interview is None else set(_seats(interview)[0])
    return Warnings(
        conflicts,
        in_the_past=moved and form.slot.starts_at < timezone.now(),
        candidate_busy=candidate_busy,
        hides_feedback=_feedback_to_hide(request, loop, seats, interview),
        visible_loops=set(loops_for(request).filter(pk__in=loops).values_list("pk", flat=True)),
        unqualified=training.unqualified(stage, [u for u in panel if u.pk not in seated]),
        shadows_needed=request.organization.shadows_to_qualify,
    )


def _feedback_to_hide(request: OrgRequest, loop: Loop, seats, interview) -> int:
    """How many of the others' submitted scorecards in the loop the member reads now and, once
    seated on this interview (panel or shadow), would no longer read until their own feedback
    is in (rule 2)."""
    if request.user not in seats or (
        interview is not None
        and interview.scorecards.filter(interviewer=request.user, archived_at__isnull=True).exists()
    ):
        return 0
    return (
        readable_scorecards(request.membership)
        .filter(interview__loop=loop, status=Scorecard.Status.SUBMITTED)
        .exclude(interviewer=request.user)
        .count()
    )


def _seats(interview: Interview) -> tuple[list[int], list[int]]:
    """Who sits on the interview's panel, who shadows it (user pks)."""
    cards = interview.scorecards.filter(archived_at__isnull=True)
    panel, shadows = [], []
    for user, seat in cards.values_list("interviewer", "seat"):
        (shadows if seat == Scorecard.Seat.SHADOW else panel).append(user)
    return panel, shadows


def _as_shadows(request: OrgRequest, form: InterviewForm) -> InterviewForm | None:
    """The form as sent with the members named by "as_shadows" moved from the panel to the
    shadows, for the scheduler to look over; None when nothing asks for it."""
    moved = {pk for pk in request.POST.get("as_shadows", "").split(",") if pk.isdigit()}
    if not moved:
        return None
    data = request.POST.copy()
    data.setlist("interviewers", [pk for pk in data.getlist("interviewers") if pk not in moved])
    data.setlist("shadows", sorted(set(data.getlist("shadows")) | moved))
    data.pop("confirm", None)
    return type(form)(data, loop=form.loop, interview=form.interview, initial=form.initial)


@require_http_methods(["GET", "HEAD", "POST"])
@managers
@transaction.atomic
def interview_new(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    # Locked for a change, so that the job does not move the loop to another guide meanwhile
    # and a second click finds the stage scheduled.
    loop = get_loop(request, pk, lock=request.method == "POST")
    if request.method != "POST" and loop.status != Loop.Status.ACTIVE:
        messages.error(request, not_active(loop))
        return redirect("candidates:loop-detail", org_slug, loop.pk)
    stage = loop.guide_version.stages.filter(pk=_int(request.GET.get("stage"))).first()
    # Tomorrow at ten, for as long as the stage takes.
    starts_at = datetime.combine(timezone.localdate() + timedelta(days=1), time(10, 0))
    ends_at = starts_at + timedelta(minutes=(stage.duration_minutes if stage else None) or 60)
    initial = {"stage": stage, "date": starts_at.date(), "start": starts_at.time()}
    initial |= {"end": ends_at.time()}
    if ends_at.date() != starts_at.date():
        initial["end_date"] = ends_at.date()
    form = InterviewForm(request.POST or None, loop=loop, initial=initial)
    return _interview_form_page(request, form, loop=loop)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@require_http_methods(["GET", "HEAD", "POST"])
@managers
def interview_edit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    interview = get_interview_to_manage(request, pk)
    if interview.is_cancelled:
        messages.error(request, "This interview was cancelled: schedule the stage again instead.")
        return redirect("candidates:loop-detail", org_slug, interview.loop_id)
    if request.method != "POST" and interview.loop.status != Loop.Status.ACTIVE:
        messages.error(request, not_active(interview.loop))
        return redirect("candidates:loop-detail", org_slug, interview.loop_id)
    panel, shadows = _seats(interview)
    local_start = timezone.localtime(interview.starts_at)
    local_end = timezone.localtime(interview.ends_at)
    initial = {
        "date": local_start.date(),
        "start": local_start.time(),
        "end": local_end.time(),
        "end_date": local_end.date() if local_end.date() != local_start.date() else None,
        "location": interview.location,
        "video_link": interview.video_link,
        "interviewers": panel,
        "shadows": shadows,
    }
    form = InterviewForm(
        request.POST or None, loop=interview.loop, interview=interview, initial=initial
    )
    return _interview_form_page(request, form, loop=interview.loop, interview=interview)


HIDDEN_FROM_YOU = (
    "You interview in this loop now: the others' feedback in it is hidden from you until you "
    "submit your own, so that yours is your own."
)


def _interview_form_page(
    request: OrgRequest, form: InterviewForm, *, loop: Loop, interview: Interview | None = None
) -> HttpResponse:
    """Schedule (or, given `interview`, reschedule) once the form is valid and no interviewer
    is busy then, or that was confirmed; else the form again, saying why."""
    warnings = None
    if request.method == "POST" and (reseated := _as_shadows(request, form)) is not None:
        # Shown again, the suggestion taken, for the scheduler to look over before saving.
        form = reseated
        if form.is_valid():
            warnings = _warnings(request, form, loop, interview)
    elif request.method == "POST" and form.is_valid():
        people = list(form.cleaned_data["interviewers"])
        shadows = list(form.cleaned_data["shadows"])
        # Asked before the save changes the answer.
        hides = _feedback_to_hide(request, loop, people + shadows, interview)
        warnings = _warnings(request, form, loop, interview)
        if not warnings:
            try:
                if interview is None:
                    saved = scheduling.schedule(
                        loop=loop,
                        stage=form.cleaned_data["stage"],
                        slot=form.slot,
                        interviewers=people,
                        shadows=shadows,
                        user=request.user,
                    )
                else:
                    saved = scheduling.reschedule(
                        interview=interview,
                        slot=form.slot,
                        interviewers=people,
                        shadows=shadows,
                        user=request.user,
                    )
            except scheduling.Refused as error:
                form.add_error(None, str(error))
            else:
                done = "scheduled" if interview is None else "updated"
                messages.success(request, f"{saved.stage.name} is {done}.")
                if hides:
                    messages.info(request, HIDDEN_FROM_YOU)
                return redirect("candidates:loop-detail", request.organization.slug, loop.pk)
    context = {
        "form": form,
        "loop": loop,
        "interview": interview,
        "warnings": warnings,
        "reseated": request.method == "POST" and "as_shadows" in request.POST,
    }
    status = 400 if form.errors else 200
    return render(request, "candidates/interview_form.html", context, status=status)


@require_POST
@managers
def interview_cancel(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    interview = get_interview_to_manage(request, pk)
    try:
        scheduling.cancel(interview=interview, user=request.user)
    except scheduling.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            f"{interview.stage.name} is cancelled; its interviewers' drafts are archived.",
        )
    return redirect("candidates:loop-detail", org_slug, interview.loop_id)


@require_safe
def interview_calendar(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    interview = get_interview(request, pk)
    interviewers = [card.interviewer for card in interviewers_scorecards(interview)]
    response = HttpResponse(
        scheduling.calendar(interview, interviewers=interviewers),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="interview-{interview.pk}.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _packet_state(request: OrgRequest, loop: Loop, feedback: LoopFeedback) -> dict:
    """The loop's packet as the member sees it: their latest export, how far it got, and
    whether the loop changed since."""
    packet = Packet.objects.filter(
        loop=loop, loop__job__organization=request.organization, requested_by=request.user
    ).first()
    ready = packet is not None and packet.status == Packet.Status.READY
    return {
        "packet": packet,
        "owes_feedback": feedback.mine_open,
        "resealed": ready and packet.is_resealed(feedback),
        "stale": ready and packets.latest_change(loop) > packet.content_as_of,
    }


def _packet_card(
    request: OrgRequest,
    loop: Loop,
    *,
    feedback: LoopFeedback | None = None,
    message: str = "",
    status: int = 200,
) -> HttpResponse:
    feedback = feedback or loop_feedback(request.membership, loop)
    context = {"loop": loop, "message": message, **_packet_state(request, loop, feedback)}
    template = "candidates/packet.html#packet" if request.htmx else "candidates/packet.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@requires(Action.EXPORT_PACKETS)
def loop_packet(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """GET: the packet's state (the loop page polls it while it renders); POST: export one."""
    loop = get_loop(request, pk)
    if request.method != "POST":
        return _packet_card(request, loop)
    try:
        packets.request_packet(membership=request.membership, loop=loop)
    except packets.PacketRefused as refused:
        return _packet_card(request, loop, message=str(refused), status=refused.status)
    if not request.htmx:
        return redirect("candidates:loop-packet", org_slug, pk)
    return _packet_card(request, loop)


@require_safe
@requires(Action.EXPORT_PACKETS)
def packet_download(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Only the member who exported it, and only while they may still read all it holds."""
    packet = get_object_or_404(
        Packet.objects.filter(
            loop__in=loops_for(request), requested_by=request.user, status=Packet.Status.READY
        ).select_related("loop__candidate", "loop__job"),
        pk=pk,
    )
    loop = packet.loop
    feedback = loop_feedback(request.membership, loop)
    try:
        packets.check_may_have(feedback)
    except packets.PacketRefused as refused:
        raise PermissionDenied(str(refused)) from None
    if packet.is_resealed(feedback):
        return _packet_card(request, loop, feedback=feedback, status=409)
    try:
        file = packet.file.open("rb")
    except Exception:  # the file system's OSError, or an S3 client's own errors
        logger.warning("Packet %s: its file cannot be read", packet.pk, exc_info=True)
        return _packet_card(
            request,
            loop,
            feedback=feedback,
            message="This packet's file cannot be read from storage. Export a new one.",
            status=410,
        )
    response = FileResponse(
        file,
        as_attachment=True,
        filename=f"{loop.candidate.name} - {loop.job.title}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response
