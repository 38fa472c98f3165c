import hashlib
import json
from functools import cache as cache_for_process

from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import (
    Max,
    OuterRef,
    Prefetch,
    ProtectedError,
    Q,
    Subquery,
    prefetch_related_objects,
)
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import pluralize
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import (
    HttpResponseClientRedirect,
    HttpResponseClientRefresh,
    reswap,
    retarget,
    trigger_client_event,
)
from pydantic import ValidationError as DocumentInvalid

from accounts.access import Action, OrgRequest, requires
from accounts.forms import search_query
from candidates.access import jobs_for
from candidates.models import Job, Loop
from config.pdf import render_pdf
from guides import builder, placeholders, versions
from guides.access import get_draft, get_guide, get_version
from guides.documents import GuideDoc
from guides.forms import (
    PARTS,
    BlankAddForms,
    ImportForm,
    MeasuresOptions,
    NewGuideForm,
    Part,
    PlaceholderForm,
    list_id,
    looks_like_json,
    section_form,
)
from guides.importer import NotAGuide, read_guide
from guides.models import Criterion, Guide, GuideVersion, Question, Stage

guide_builders = requires(Action.BUILD_GUIDES)


STALE = (
    "This draft was published or replaced since the page was loaded, so this was not saved. "
    "Reload the page to edit the current draft."
)


def _status(form) -> int:
    """409 for a change from a stale page, 400 for bad input, else 200."""
    if STALE in form.non_field_errors():
        return 409
    return 400 if form.errors else 200


def _is_stale(request: OrgRequest, draft: GuideVersion) -> bool:
    """Whether the page posting was loaded for another draft than the current one."""
    return request.POST.get("draft") != str(draft.number)


def _latest(guide: Guide) -> GuideVersion:
    return versions.version_with_parts(guide.versions.order_by("-number"))[0]


@require_safe
@guide_builders
def guide_list(request: OrgRequest, org_slug: str) -> HttpResponse:
    latest = GuideVersion.objects.filter(guide=OuterRef("pk")).order_by("-number")
    guides = (
        Guide.objects.filter(organization=request.organization)
        .annotate(
            title=Subquery(latest.values("title")[:1]),
            published=Max("versions__number", filter=Q(versions__status="published")),
            draft=Max("versions__number", filter=Q(versions__status="draft")),
        )
        .select_related("edited_by")
        .order_by("-edited_at")
    )
    query = search_query(request)
    status = request.GET.get("status", "")
    if query:
        guides = guides.filter(title__icontains=query)
    if status == "published":
        guides = guides.filter(published__isnull=False)
    elif status == "draft":
        guides = guides.filter(draft__isnull=False)
    page = Paginator(guides, 50).get_page(request.GET.get("page"))
    context = {"page": page, "query": query, "status": status, "starters": versions.starters()}
    partial = request.htmx and not request.htmx.history_restore_request
    template = "guides/guide_list.html#results" if partial else "guides/guide_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def _created(request: OrgRequest, version: GuideVersion, note: str) -> HttpResponse:
    messages.success(request, note)
    namesakes = GuideVersion.objects.filter(
        guide__organization=request.organization, title=version.title
    ).exclude(guide=version.guide_id)
    if namesakes.exists():
        messages.warning(
            request,
            f"Another guide is also called “{version.title}”: rename this one in its overview "
            "to tell them apart.",
        )
    return redirect("guides:guide-edit", request.organization.slug, version.guide_id)


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
def guide_new(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = NewGuideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        version = versions.create_guide(
            organization=request.organization,
            document=GuideDoc(title=form.cleaned_data["title"]),
            user=request.user,
        )
        return _created(request, version, "A blank guide: add its stages below.")
    context = {"form": form, "starters": versions.starters()}
    return render(request, "guides/guide_new.html", context, status=400 if form.errors else 200)


@require_POST
@guide_builders
def guide_from_starter(request: OrgRequest, org_slug: str) -> HttpResponse:
    starter = request.POST.get("starter", "")
    if starter not in versions.starters():
        messages.error(request, "Choose one of the starter guides.")
        context = {"form": NewGuideForm(), "starters": versions.starters()}
        return render(request, "guides/guide_new.html", context, status=400)
    version = versions.create_from_starter(
        organization=request.organization, starter=starter, user=request.user
    )
    return _created(request, version, f"“{version.title}” was copied from the starter library.")


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
def guide_import(request: OrgRequest, org_slug: str) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        content = form.cleaned_data["content"]
        try:
            if looks_like_json(content):
                document, report = GuideDoc.model_validate_json(content), {}
            else:
                imported = read_guide(content)
                document, report = imported.document, versions.import_report(imported)
        except DocumentInvalid as error:
            form.add_error(None, _document_errors(error))
        except NotAGuide as error:
            form.add_error(None, str(error))
        else:
            version = versions.create_guide(
                organization=request.organization,
                document=document,
                user=request.user,
                import_report=report,
            )
            return _created(request, version, f"“{version.title}” was imported as a draft.")
    status = 400 if form.errors else 200
    return render(request, "guides/guide_import.html", {"form": form}, status=status)


def _document_errors(error: DocumentInvalid) -> list[str]:
    lines = ["This is not a Rubric guide export:"]
    for problem in error.errors()[:10]:
        where = " › ".join(str(part) for part in problem["loc"]) or "the guide as a whole"
        lines.append(f"{where}: {problem['msg']}")
    return lines


@require_safe
@guide_builders
def guide_detail(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    return _detail_page(request, get_guide(request, pk))


def _detail_page(request: OrgRequest, guide: Guide, status: int = 200) -> HttpResponse:
    """A guide's versions, with what can be done to it."""
    all_versions = list(guide.versions.select_related("created_by", "published_by"))
    current = next((v.number for v in all_versions if not v.is_draft), None)
    context = {
        "guide": guide,
        "versions": all_versions,
        "latest": all_versions[0],
        "current": current,
    }
    return render(request, "guides/guide_detail.html", context, status=status)


@require_safe
@guide_builders
def guide_version(request: OrgRequest, org_slug: str, pk: int, number: int) -> HttpResponse:
    """The whole version to read or print for the hiring team."""
    version = get_version(request, pk, number, parts=False)
    return render(request, "guides/guide_version.html", _document(request, version))


def _document(request: OrgRequest, version: GuideVersion) -> dict:
    fill = placeholders.organization_values(request.organization)
    context = {
        "version": version,
        "guide": version.guide,
        "organization": request.organization,
        "fill": fill,
        "recommendations": versions.RECOMMENDATIONS,
    }
    return context | {"document": _document_html(context)}


DOCUMENT = "guides/guide_version.html#document"
# A day: a published version's document is read over and over while its jobs run.
DOCUMENT_TIMEOUT = 24 * 60 * 60


@cache_for_process
def _document_markup() -> str:
    """A digest of the templates that make the document: a deploy that changes them makes
    the documents kept before it unused."""
    names = ["guides/guide_version.html", "guides/_measures.html", "guides/_competency_tags.html"]
    sources = (get_template(name).template.source for name in names)
    return hashlib.sha256("\0".join(sources).encode()).hexdigest()[:16]


def _document_html(context: dict) -> SafeString:
    """The version's document, its parts read and rendered. A published version never
    changes: its document is kept, for what fills its placeholders (the organization's
    names), and later reads need none of its parts. A draft's is rendered each time."""
    version = context["version"]
    if version.is_draft:
        prefetch_related_objects([version], *versions.version_parts())
        return mark_safe(render_to_string(DOCUMENT, context))  # noqa: S308 - rendered here
    filled = json.dumps([context["organization"].name, sorted(context["fill"].items())])
    digest = hashlib.sha256(filled.encode()).hexdigest()[:16]
    # The time of publishing tells apart a version restored over another of the same id.
    published = version.published_at.timestamp()
    key = f"guides:document:{version.pk}:{published}:{_document_markup()}:{digest}"
    html = cache.get(key)
    if html is None:
        prefetch_related_objects([version], *versions.version_parts())
        html = render_to_string(DOCUMENT, context)
        cache.set(key, html, DOCUMENT_TIMEOUT)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped as it was rendered


@require_safe
@guide_builders
def guide_pdf(request: OrgRequest, org_slug: str, pk: int, number: int) -> HttpResponse:
    """The version as PDF, rendered here and now: a guide is a few pages, a second's work."""
    version = get_version(request, pk, number, parts=False)
    pdf, _ = render_pdf(
        "guides/guide_pdf.html",
        _document(request, version),
        paper_size=request.organization.paper_size,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(version.title) or 'guide'}-v{version.number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@guide_builders
def guide_export(request: OrgRequest, org_slug: str, pk: int, number: int) -> HttpResponse:
    version = get_version(request, pk, number)
    body = versions.dump(version).model_dump_json(indent=2)
    response = HttpResponse(body, content_type="application/json")
    name = f"{slugify(version.title) or 'guide'}-v{version.number}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@guide_builders
def guide_compare(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    guide = get_guide(request, pk)
    numbers = list(guide.versions.values_list("number", flat=True))
    try:
        old, new = int(request.GET.get("old", "")), int(request.GET.get("new", ""))
    except ValueError:
        old, new = (numbers[1], numbers[0]) if len(numbers) > 1 else (numbers[0], numbers[0])
    if old not in numbers or new not in numbers:
        raise Http404("No such version.")
    pair = {
        v.number: v
        for v in versions.version_with_parts(guide.versions.filter(number__in=[old, new]))
    }
    changes = versions.diff(versions.dump(pair[old]), versions.dump(pair[new]))
    context = {
        "guide": guide,
        "old": pair[old],
        "new": pair[new],
        "numbers": numbers,
        "changes": changes,
    }
    return render(request, "guides/guide_compare.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
def guide_delete(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Delete a guide with all its versions, after a confirmation page."""
    guide = get_guide(request, pk)
    all_versions = list(guide.versions.all())
    # Jobs and loops pin its versions, and their scorecards its criteria.
    running = Job.objects.filter(organization=request.organization, guide_version__guide=guide)
    # A hiring manager is told of other managers' jobs, not what they are.
    jobs = list(running.filter(pk__in=jobs_for(request)).order_by("title"))
    others = running.count() - len(jobs)
    if jobs or others or Loop.objects.filter(guide_version__guide=guide).exists():
        context = {"guide": guide, "latest": all_versions[0], "jobs": jobs, "others": others}
        status = 409 if request.method == "POST" else 200
        return render(request, "guides/guide_delete.html", context, status=status)
    if request.method == "POST":
        try:
            with transaction.atomic():
                # Locked in the order a builder change locks them: no deadlock with one under way.
                list(guide.versions.select_for_update())
                guide.delete()
        except ProtectedError:  # a job started running it since the check above
            context = {"guide": guide, "latest": all_versions[0], "jobs": []}
            return render(request, "guides/guide_delete.html", context, status=409)
        count = len(all_versions)
        messages.success(
            request,
            f"“{all_versions[0].title}” was deleted, with its {count} version{pluralize(count)}.",
        )
        return redirect("guides:guide-list", org_slug)
    context = {"guide": guide, "latest": all_versions[0], "versions": all_versions}
    return render(request, "guides/guide_delete.html", context)


@require_POST
@guide_builders
@transaction.atomic
def draft_discard(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """Throw the draft away; the published version stays as it is."""
    draft = get_draft(request, pk, lock=True)
    if not draft.guide.versions.filter(status=GuideVersion.Status.PUBLISHED).exists():
        messages.error(request, "This draft is all the guide has: delete the guide instead.")
        return _detail_page(request, draft.guide, status=400)
    draft.delete()
    versions.touch(draft.guide, request.user)
    messages.success(request, f"Draft v{draft.number} was discarded.")
    return redirect("guides:guide-detail", org_slug, pk)


@require_POST
@guide_builders
def guide_copy(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    version = versions.copy_guide(version=_latest(get_guide(request, pk)), user=request.user)
    return _created(request, version, f"“{version.title}” is a new guide: rename it below.")


@require_safe
@guide_builders
def stage_preview(request: OrgRequest, org_slug: str, pk: int, stage_pk: int) -> HttpResponse:
    """A stage as its interviewers will see it in the interview kit."""
    guide = get_guide(request, pk)
    stage = get_object_or_404(
        Stage.objects.filter(
            version__guide=guide, version__guide__organization=request.organization
        )
        .select_related("version")
        .prefetch_related(
            "questions__points",
            "questions__competencies",
            Prefetch(
                "criteria",
                Criterion.objects.select_related("measures_competency", "measures_outcome"),
            ),
        ),
        pk=stage_pk,
    )
    context = {
        "guide": guide,
        "stage": stage,
        "definitions": reverse(
            "guides:guide-version", args=[org_slug, guide.pk, stage.version.number]
        ),
        "fill": placeholders.organization_values(request.organization),
        "recommendations": versions.RECOMMENDATIONS,
    }
    return render(request, "guides/stage_preview.html", context)


# The builder: every change to a draft saves on its own.


def _builder_context(request: OrgRequest, version: GuideVersion) -> dict:
    prefetch_related_objects([version], *versions.version_parts())
    return {
        "guide": version.guide,
        "version": version,
        "parts": PARTS,
        "add_forms": BlankAddForms(version),
        "measures_options": MeasuresOptions(version),
        "placeholders": placeholders.find(version, request.organization),
        "kinds": Stage.Kind.choices,
    }


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
def guide_edit(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """The builder of the guide's draft; without one, an offer to start it."""
    guide = get_guide(request, pk)
    draft = guide.versions.filter(status="draft").first()
    if request.method == "POST":
        if not draft:
            versions.start_draft(guide=guide, user=request.user)
            messages.success(request, "A new draft starts from the published version.")
        return redirect("guides:guide-edit", org_slug, guide.pk)
    if not draft:
        context = {"guide": guide, "latest": guide.versions.first()}
        return render(request, "guides/guide_start_draft.html", context)
    return render(request, "guides/builder.html", _builder_context(request, draft))


def _saved(request: OrgRequest, form, prefix: str, status: int = 200) -> HttpResponse:
    """The answer to an autosave: its state, each field's message, and a new heading."""
    if status == 200 and "kind" in form.changed_data:
        return HttpResponseClientRefresh()  # a take-home and an interview show other fields
    renamed = ""
    # Only stages and the guide have their name in a heading, to change with it.
    if status == 200 and prefix.startswith(("stage-", "section-overview")):
        renamed = next(
            (form.cleaned_data[name] for name in ("title", "name") if name in form.changed_data),
            "",
        )
    context = {"form": form, "prefix": prefix, "renamed": renamed}
    response = render(request, "guides/builder.html#save-result", context, status=status)
    # The placeholders panel reloads only when a saved text had or has one.
    texts = [str(form.initial.get(n, "")) + str(form.data.get(n, "")) for n in form.changed_data]
    if status == 200 and any("[" in text for text in texts):
        trigger_client_event(response, "guideChanged")
    return response


def _no_js_result(request: OrgRequest, version: GuideVersion, place: str, form) -> HttpResponse:
    """Without HTMX a change posts the whole form: back to where it was made, or the errors."""
    if form.errors:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else "Form"
            messages.error(request, f"{label}: {' '.join(errors)}")
        return render(
            request, "guides/builder.html", _builder_context(request, version), status=400
        )
    url = reverse("guides:guide-edit", args=[request.organization.slug, version.guide_id])
    return redirect(url + place)


def _place(part: Part, row) -> str:
    """Where the builder shows `row`, relative to the draft's page."""
    element = f"{part.kind}-{row.pk}"
    if part.kind == "stage":
        return f"stages/{row.pk}/"
    if part.kind in ("question", "criterion"):
        return f"stages/{row.stage_id}/#{element}"
    if part.parent == "question":
        return f"stages/{row.question.stage_id}/#{element}"
    return f"#{element}"


@require_safe
@guide_builders
def stage_edit(request: OrgRequest, org_slug: str, pk: int, stage_pk: int) -> HttpResponse:
    """One stage of the draft: its directions, questions and scorecard."""
    draft = get_draft(request, pk)
    questions = Question.objects.prefetch_related("points", "competencies")
    stage = get_object_or_404(
        Stage.objects.filter(
            version=draft, version__guide__organization=request.organization
        ).prefetch_related(Prefetch("questions", questions), "criteria"),
        pk=stage_pk,
    )
    # The other stages' names for the tabs; what questions may probe and criteria measure.
    version = GuideVersion.objects.prefetch_related("competencies", "outcomes", "stages").get(
        pk=draft.pk
    )
    context = {
        "guide": draft.guide,
        "version": version,
        "stage": stage,
        "parts": PARTS,
        "add_forms": BlankAddForms(version),
        "measures_options": MeasuresOptions(version),
        "kinds": Stage.Kind.choices,
    }
    return render(request, "guides/builder.html", context)


@require_POST
@guide_builders
@transaction.atomic
def section_update(request: OrgRequest, org_slug: str, pk: int, section: str) -> HttpResponse:
    version = get_draft(request, pk, lock=True)
    form = section_form(section, request.POST, instance=version)
    # Only the fields sent change, so that one field's autosave cannot blank the others.
    for name in list(form.fields):
        if name not in request.POST:
            del form.fields[name]
    if _is_stale(request, version):
        form.add_error(None, STALE)
    elif not form.fields:
        form.add_error(None, "Nothing to save.")
    elif form.is_valid():
        version = form.save(commit=False)
        version.save(update_fields=list(form.fields))
        versions.touch(version.guide, request.user)
    if not request.htmx:
        return _no_js_result(request, version, f"#section-{section}", form)
    return _saved(request, form, f"section-{section}", _status(form))


def _part_prefix(part: Part, obj) -> str:
    return f"{part.kind}-{obj.pk}"


def part_update(request: OrgRequest, org_slug: str, pk: int, part_pk: int, part: Part):
    version = get_draft(request, pk, lock=True)
    obj = get_object_or_404(part.queryset(version), pk=part_pk)
    form = part.form(request.POST, instance=obj, version=version)
    # Only the fields sent change. A box of checkboxes sends nothing when all are off, so it
    # comes with a "<name>-present" marker.
    for name in list(form.fields):
        if name not in request.POST and f"{name}-present" not in request.POST:
            del form.fields[name]
    if form.is_valid():
        form.save()
        versions.touch(version.guide, request.user)
    if not request.htmx:
        return _no_js_result(request, version, _place(part, obj), form)
    return _saved(request, form, _part_prefix(part, obj), _status(form))


def _parent(part: Part, version: GuideVersion, parent_pk: int | None) -> dict:
    """The fields that place a new row: its version, or its stage or question in the draft."""
    if part.parent == "stage":
        stage = get_object_or_404(PARTS["stage"].queryset(version), pk=parent_pk)
        return (
            {"stage": stage, "version": version} if part.kind == "criterion" else {"stage": stage}
        )
    if part.parent == "question":
        question = get_object_or_404(PARTS["question"].queryset(version), pk=parent_pk)
        return {"question": question, "kind": part.extra_filter["kind"]}
    return {"version": version}


def part_add(request: OrgRequest, org_slug: str, pk: int, part: Part, parent_pk: int | None = None):
    version = get_draft(request, pk, lock=True)
    placement = _parent(part, version, parent_pk)
    form = part.add_form(request.POST, version=version)
    if _is_stale(request, version):
        form.add_error(None, STALE)
    elif form.is_valid():
        obj = form.save(commit=False)
        builder.add_part(
            version=version, part=part, row=obj, placement=placement, user=request.user
        )
        form.save_m2m()
        if not request.htmx:
            return _no_js_result(request, version, _place(part, obj), form)
        # What the new row's partial needs: the draft's competencies for a question's choices.
        version = GuideVersion.objects.prefetch_related("competencies").get(pk=version.pk)
        context = {
            "guide": version.guide,
            "version": version,
            "parts": PARTS,
            "add_forms": BlankAddForms(version),
            "measures_options": MeasuresOptions(version),
            "kinds": Stage.Kind.choices,
            "item": obj,
            "part": part,
        }
        response = render(request, f"guides/builder.html#{part.partial}", context)
        return trigger_client_event(response, "guideChanged")
    if not request.htmx:
        return _no_js_result(request, version, "", form)
    context = {
        "part": part,
        "add_form": form,
        "add_url": request.path,
        "guide": version.guide,
        "version": version,
        "list_id": list_id(part.kind, parent_pk),
        # A stale page keeps posting for its own draft, and is refused again.
        "draft_number": request.POST.get("draft", ""),
    }
    response = render(
        request,
        "guides/builder.html#add-form",
        context,
        status=409 if form.non_field_errors() else 400,
    )
    return reswap(retarget(response, "this"), "outerHTML")


def part_delete(request: OrgRequest, org_slug: str, pk: int, part_pk: int, part: Part):
    version = get_draft(request, pk, lock=True)
    obj = get_object_or_404(part.queryset(version), pk=part_pk)
    builder.delete_part(version=version, row=obj, user=request.user)
    if not request.htmx:
        messages.success(request, f"The {part.label} was deleted.")
        return redirect("guides:guide-edit", org_slug, pk)
    return trigger_client_event(HttpResponse(""), "guideChanged")


def part_reorder(request: OrgRequest, org_slug: str, pk: int, part: Part):
    """Positions for all siblings at once, in the order given as comma-separated ids."""
    version = get_draft(request, pk, lock=True)
    try:
        builder.reorder_parts(
            version=version, part=part, order=request.POST.get("order", ""), user=request.user
        )
    except builder.OrderRefused as refused:
        return HttpResponse(str(refused), status=400, content_type="text/plain")
    return HttpResponse(status=204)


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
def guide_publish(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """GET lists what keeps the draft from being published; POST publishes it."""
    draft = get_draft(request, pk)
    unconfirmed = False
    if request.method == "POST":
        # Placeholders that nothing fills are published only when the count is confirmed.
        remaining = len(placeholders.unfilled(draft, request.organization))
        unconfirmed = remaining and request.POST.get("unfilled") != str(remaining)
        try:
            if unconfirmed:
                raise versions.PublishBlocked([])
            version = versions.publish(version=draft, user=request.user)
        except versions.PublishBlocked as blocked:
            problems = blocked.problems
        else:
            messages.success(request, f"Version {version.number} is published.")
            url = reverse("guides:guide-detail", args=[org_slug, pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
        status = 400
    else:
        status = 200
    version = versions.version_with_parts(GuideVersion.objects).get(pk=draft.pk)
    if status == 200:
        problems = versions.publish_problems(version)
    unfilled = placeholders.unfilled(version, request.organization)
    context = {
        "unconfirmed": unconfirmed,
        "guide": draft.guide,
        "version": draft,
        "problems": problems,
        "unfilled": unfilled,
        "unmeasured": versions.unmeasured_criteria(version),
    }
    template = "guides/guide_publish.html#problems" if request.htmx else "guides/guide_publish.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@guide_builders
@transaction.atomic
def placeholder_fill(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    """GET: the draft's placeholders (the builder's panel); POST: replace one everywhere."""
    draft = get_draft(request, pk, lock=request.method == "POST")
    form = PlaceholderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = f"[{form.cleaned_data['placeholder'].strip('[]')}]"
        if _is_stale(request, draft):
            form.add_error(None, STALE)
        else:
            try:
                changed = placeholders.replace(draft, token, form.cleaned_data["value"])
            except placeholders.FillRefused as error:
                form.add_error("value", str(error))
            else:
                if not changed:
                    form.add_error("placeholder", f"{token} is no longer in this draft.")
                else:
                    versions.touch(draft.guide, request.user)
                    places = f"{changed} place{pluralize(changed)}"
                    messages.success(request, f"{token} was replaced in {places}.")
                    if request.htmx:
                        # Every text box on the page may hold the old text: reload them all.
                        return HttpResponseClientRefresh()
                    return redirect("guides:guide-edit", org_slug, pk)
    status = _status(form)
    if not request.htmx and form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return render(request, "guides/builder.html", _builder_context(request, draft), status=400)
    if not request.htmx:
        return redirect(reverse("guides:guide-edit", args=[org_slug, pk]) + "#placeholders")
    version = versions.version_with_parts(GuideVersion.objects).get(pk=draft.pk)
    context = {
        "guide": draft.guide,
        "version": version,
        "placeholders": placeholders.find(version, request.organization),
        "placeholder_form": form,
    }
    response = render(request, "guides/builder.html#placeholders", context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


def part_view(action, part: Part):
    """The view of one builder action for one kind of part, for the URL configuration."""

    @require_POST
    @guide_builders
    @transaction.atomic
    def view(request, org_slug, pk, **kwargs):
        return action(request, org_slug, pk, part=part, **kwargs)

    view.__name__ = f"{part.kind.replace('-', '_')}_{action.__name__.removeprefix('part_')}"
    return view
