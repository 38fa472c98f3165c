from django.contrib import messages
from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import Action, OrgRequest, acting_for, client_ip, requires
from candidates import scheduling
from candidates.access import get_loop
from candidates.forms import not_active
from candidates.models import Loop
from exercises import confirmations, sending
from exercises.access import exercise_by_token, get_exercise_to_manage, get_hand_in
from exercises.forms import HAND_IN_TYPES, HandInForm, SendForm, effort

senders = requires(Action.SEND_EXERCISES)

# The candidate's page: at most this many requests from one address in ten minutes.
PAGE_LIMIT = 120


@require_http_methods(["GET", "HEAD", "POST"])
@senders
@transaction.atomic
def exercise_send(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    loop = get_loop(request, pk, lock=request.method == "POST")
    stage = loop.guide_version.stages.filter(kind="take_home", pk=_int(request.GET.get("stage")))
    stage = stage.first()
    if stage is None or loop.status != Loop.Status.ACTIVE:
        messages.error(request, not_active(loop) if stage else "Choose a take-home stage.")
        return redirect("candidates:loop-detail", org_slug, loop.pk)
    initial = {"due_date": timezone.localdate() + timezone.timedelta(days=7)}
    form = SendForm(request.POST or None, loop=loop, initial=initial)
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        slot = scheduling.Slot(starts_at=now, ends_at=form.cleaned_data["due_at"])
        try:
            interview = scheduling.schedule(
                loop=loop,
                stage=stage,
                slot=slot,
                interviewers=list(form.cleaned_data["reviewers"]),
                user=request.user,
            )
            exercise = interview.exercise
            exercise.grace_hours = form.cleaned_data["grace_hours"]
            exercise.save(update_fields=["grace_hours"])
        except scheduling.Refused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{stage.name} is sent to {loop.candidate.name}.")
            return redirect("candidates:loop-detail", org_slug, loop.pk)
    context = {"form": form, "loop": loop, "stage": stage, "effort": effort(stage)}
    context["values"] = loop.placeholder_values()
    return render(request, "exercises/send.html", context, status=400 if form.errors else 200)


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**63 else None


@require_POST
@senders
def exercise_resend(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    exercise = get_exercise_to_manage(request, pk)
    try:
        sending.resend(exercise=exercise, user=request.user)
    except sending.Refused as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The link is on its way to the candidate again.")
    return redirect("candidates:loop-detail", org_slug, exercise.interview.loop_id)


@require_POST
@requires(Action.MANAGE_JOBS)
@transaction.atomic
def loop_confirmations(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Turn the candidate's interview confirmations on or off for this loop."""
    loop = get_loop(request, pk, lock=True)
    on = request.POST.get("confirmations") == "on"
    confirmations.switch(loop=loop, on=on, user=request.user)
    messages.success(
        request,
        f"{loop.candidate.name} gets an e-mail for each interview scheduled, moved or cancelled."
        if on
        else f"{loop.candidate.name} gets no more interview confirmations from Rubric.",
    )
    return redirect("candidates:loop-detail", org_slug, loop.pk)


@require_POST
@senders
def exercise_revoke(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    exercise = get_exercise_to_manage(request, pk)
    sending.revoke(exercise=exercise, user=request.user)
    messages.success(request, "The candidate's link no longer works. Send it again for a new one.")
    return redirect("candidates:loop-detail", org_slug, exercise.interview.loop_id)


@require_POST
@senders
def exercise_extend(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    exercise = get_exercise_to_manage(request, pk)
    try:
        sending.extend(
            exercise=exercise, hours=_int(request.POST.get("hours")) or 0, user=request.user
        )
    except sending.Refused as error:
        messages.error(request, str(error))
        return redirect("candidates:loop-detail", org_slug, exercise.interview.loop_id)
    messages.success(request, "The candidate's link stays open longer.")
    return redirect("candidates:loop-detail", org_slug, exercise.interview.loop_id)


@require_safe
def hand_in_file(request: OrgRequest, org_slug: str, pk: int) -> FileResponse:
    hand_in = get_hand_in(request, pk)
    if not hand_in.file:
        raise Http404("No file here.")
    kind = hand_in.kind
    response = FileResponse(
        hand_in.file.open("rb"),
        as_attachment=kind != "pdf",
        filename=hand_in.file_name or f"hand-in.{kind}",
        content_type=HAND_IN_TYPES.get(kind, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def _limited(request: HttpRequest) -> bool:
    key = f"exercise-page:{client_ip(request)}"
    cache.add(key, 0, timeout=600)
    try:
        return cache.incr(key) > PAGE_LIMIT
    except ValueError:
        return False


def _private(response: HttpResponse) -> HttpResponse:
    response["X-Robots-Tag"] = "noindex, nofollow"
    # The page's address is the candidate's key: no other site learns it (a repository link).
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "private, no-store"
    return response


# No cookie or session signs the candidate in: the token in the address is the key, so a
# forged post could do nothing its sender cannot do alone. (Under "no-referrer" a browser posts
# the page's own form with "Origin: null", which the CSRF check would refuse.)
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def hand_in(request: HttpRequest, token: str) -> HttpResponse:
    """The candidate's page: no account, their private link is the key."""
    if _limited(request):
        response = render(request, "exercises/too_many.html", status=429)
        return _private(response)
    exercise = exercise_by_token(token)
    with acting_for(exercise.interview.loop.job.organization):
        return _private(_candidates_page(request, exercise))


def _candidates_page(request: HttpRequest, exercise) -> HttpResponse:
    form = HandInForm(request.POST or None, request.FILES or None)
    received = None
    if request.method == "POST" and form.is_valid():
        try:
            received = sending.hand_in(
                exercise=exercise,
                repository_url=form.cleaned_data["repository_url"],
                file=form.cleaned_data["file"],
                note=form.cleaned_data["note"],
            )
        except sending.Refused as error:
            form.add_error(None, str(error))
        else:
            form = HandInForm()
    elif request.method != "POST":
        sending.opened(exercise)
    loop = exercise.interview.loop
    organization = loop.job.organization
    context = {
        "exercise": exercise,
        "stage": exercise.interview.stage,
        "organization": organization,
        "job": loop.job,
        "values": loop.placeholder_values(),
        "hand_ins": list(exercise.hand_ins.order_by("created_at", "pk")),
        "received": received,
        "form": form,
        "now": timezone.now(),
        "zone": str(loop.candidate.zone),
    }
    # Times in the candidate's own zone.
    with timezone.override(loop.candidate.zone):
        return render(
            request, "exercises/hand_in.html", context, status=400 if form.errors else 200
        )
