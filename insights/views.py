import hashlib

from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from accounts.access import Action, OrgRequest, requires
from candidates.models import Loop
from guides.models import GuideVersion
from insights.access import insight_jobs
from insights.forms import InsightsFilterForm
from insights.reports import CACHE_SECONDS, insights_for


def _page(request: OrgRequest, job=None) -> HttpResponse:
    jobs = [job] if job else insight_jobs(request)
    versions = (
        GuideVersion.objects.filter(
            guide__organization=request.organization,
            pk__in=Loop.objects.filter(job__in=jobs).values("guide_version"),
        )
        .select_related("guide")
        .order_by("guide_id", "number")
    )
    form = InsightsFilterForm(request.GET or None, versions=versions)
    figures, status = None, 200
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        filters = form.cleaned_data if form.is_bound else {}
        version = filters.get("version")
        figures = insights_for(
            request.membership,
            jobs=[job] if job else None,
            version_id=version.pk if version else None,
            since=filters.get("since"),
            until=filters.get("until"),
        )
    context = {"job": job, "form": form, "figures": figures}
    if figures:
        # Rendering the tables and the filters costs more than working the figures out from the
        # cache: their HTML is kept beside them. The tables show leniency from the
        # organization's minimum; the filters, what was typed and the versions of the loops the
        # figures count (their key changes with those loops).
        minimum = request.organization.leniency_minimum
        context["tables"] = cache.get_or_set(
            f"{figures.key}:tables:{minimum}",
            lambda: render_to_string("insights/insights.html#tables", context, request),
            CACHE_SECONDS,
        )
        typed = hashlib.blake2b(request.GET.urlencode().encode(), digest_size=16).hexdigest()
        context["filters"] = cache.get_or_set(
            f"{figures.key}:filters:{typed}",
            lambda: render_to_string("insights/insights.html#filters", context, request),
            CACHE_SECONDS,
        )
    return render(request, "insights/insights.html", context, status=status)


@require_safe
@requires(Action.READ_INSIGHTS)
def organization_insights(request: OrgRequest, org_slug: str) -> HttpResponse:
    return _page(request)


@require_safe
@requires(Action.READ_INSIGHTS)
def job_insights(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    return _page(request, get_object_or_404(insight_jobs(request), pk=pk))
