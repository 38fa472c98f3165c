"""The reference calls' pages: load the check, check it, call references.calls, render."""

from django.contrib import messages
from django.db import transaction
from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import OrgRequest
from candidates.models import Loop
from guides.models import Criterion, ReferenceQuestion
from references import calls
from references.access import get_check, get_loop
from references.forms import CallForm, ReferenceForm
from references.models import ReferenceCheck, reference_summary
from scorecards.autosave import Versioned, Words, autosave, redisplay


def _erased(loop: Loop) -> HttpResponse | None:
    """A refusal to write about a candidate whose data was erased."""
    try:
        calls.check_open(loop)
    except calls.Refused as refused:
        return HttpResponse(
            refused.message, status=refused.status, content_type="text/plain; charset=utf-8"
        )
    return None


CHANGED_MEANWHILE = (
    "Not saved: this call was changed in another window since this page loaded it. "
    "Reload to see that change, or save again to keep what is below."
)

# Pages


@require_safe
def reference_list(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The loop's reference calls: the guide's directions, who to call, what they said."""
    loop = get_loop(request, pk)
    context = {
        "loop": loop,
        "references": reference_summary(loop),
        "values": loop.placeholder_values(),
    }
    return render(request, "references/reference_list.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def reference_new(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    loop = get_loop(request, pk)
    if request.method == "POST" and (refusal := _erased(loop)):
        return refusal
    form = ReferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = calls.add(loop=loop, user=request.user, details=form.cleaned_data)
        messages.success(request, f"{check.name} is added: the call's questions are below.")
        return redirect("references:reference-call", org_slug, check.pk)
    context = {"form": form, "loop": loop}
    return render(
        request, "references/reference_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def reference_edit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    # Locked for a change, so that an autosave of the call meanwhile is not written over.
    check = get_check(request, pk, lock=request.method == "POST")
    if request.method == "POST" and (refusal := _erased(check.loop)):
        return refusal
    form = ReferenceForm(request.POST or None, instance=check)
    if request.method == "POST" and form.is_valid():
        calls.edit(check=check, details=form.cleaned_data)
        messages.success(request, f"{check.name}'s details are saved.")
        return redirect("references:reference-call", org_slug, check.pk)
    context = {"form": form, "loop": check.loop, "check": check}
    return render(
        request, "references/reference_form.html", context, status=400 if form.errors else 200
    )


@require_POST
def reference_delete(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    check = get_check(request, pk)
    calls.remove(check=check, user=request.user)
    messages.success(request, f"{check.name} and the notes of that call are removed.")
    return redirect("references:reference-list", org_slug, check.loop_id)


def _parts(check: ReferenceCheck) -> dict:
    """The guide's reference questions and criteria for the check's loop."""
    of_loop = {
        "version": check.loop.guide_version_id,
        "version__guide__organization": check.loop.job.organization_id,
    }
    return {
        "questions": list(ReferenceQuestion.objects.filter(**of_loop)),
        "criteria": list(Criterion.objects.filter(**of_loop, stage__isnull=True)),
    }


def _fields(parts: dict) -> dict:
    return {
        "criteria": [criterion.pk for criterion in parts["criteria"]],
        "questions": [question.pk for question in parts["questions"]],
    }


@require_http_methods(["GET", "HEAD", "POST"])
@transaction.atomic
def reference_call(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The call: each question with its guidance and the answer, the reference scorecard,
    and "would hire again". It saves as one types; "Save" sends the whole form."""
    check = get_check(request, pk, lock=request.method == "POST")
    if request.method == "POST" and (refusal := _erased(check.loop)):
        return refusal
    parts = _parts(check)
    status = 200
    if request.method == "POST":
        form = CallForm(request.POST, **_fields(parts))
        if form.is_valid() and form.cleaned_data["revision"] not in (None, check.revision):
            # Another window saved since this page loaded: shown again, with what this page
            # holds; sending it again means it.
            form = redisplay(
                CallForm, request.POST, check.revision, message=CHANGED_MEANWHILE, **_fields(parts)
            )
            status = 409
        elif form.is_valid():
            calls.save_call(check=check, values=form.call_values())
            messages.success(request, f"The call with {check.name} is saved.")
            return redirect("references:reference-list", org_slug, check.loop_id)
        else:
            status = 400
    else:
        prefetch_related_objects([check], "ratings", "answers")
        initial = {**check.values(), "revision": check.revision}
        form = CallForm(initial=initial, **_fields(parts))
    values = check.loop.placeholder_values()
    context = {
        "check": check,
        "loop": check.loop,
        "form": form,
        "values": values,
        "question_rows": [
            (question, form[f"answer-{question.pk}"]) for question in parts["questions"]
        ],
        "criterion_rows": [
            (criterion, form[f"score-{criterion.pk}"], form[f"note-{criterion.pk}"])
            for criterion in parts["criteria"]
        ],
        "autosave_url": reverse("references:reference-field", args=[org_slug, check.pk]),
    }
    return render(request, "references/reference_call.html", context, status=status)


@require_POST
@transaction.atomic
def reference_field(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Autosave one field of a call, as the kit saves a scorecard's."""
    check = get_check(request, pk, lock=True)
    if refusal := _erased(check.loop):
        return refusal
    form = CallForm(**_fields(_parts(check)))
    store = Versioned(check)
    return autosave(request, store=store, form=form, words=Words.of("call"))
