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
from insights.reports import CACHE_SECONDS, counted


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
    if form.is_bound and not form.is_valid():
        context = {"job": job, "form": form}
        return render(request, "insights/insights.html", context, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    version = filters.get("version")
    asked = counted(
        request.membership,
        jobs=[job] if job else None,
        version_id=version.pk if version else None,
        since=filters.get("since"),
        until=filters.get("until"),
    )
    # Rendering the tables and the filters costs more than working the figures out from the
    # cache: their HTML is kept under the figures' key, and a visit that finds it reads no
    # figures. The tables show leniency from the organization's minimum; the filters, what was
    # typed and the versions of the loops the figures count (the key changes with those loops).
    typed = hashlib.blake2b(request.GET.urlencode().encode(), digest_size=16).hexdigest()
    keys = {
        "tables": f"{asked.key}:tables:{request.organization.leniency_minimum}",
        "filters": f"{asked.key}:filters:{typed}",
    }
    kept = cache.get_many(keys.values())
    context = {"job": job, "form": form}
    if len(kept) < len(keys):
        context["figures"] = asked.figures()
        for part, key in keys.items():
            if key not in kept:
                html = render_to_string(f"insights/insights.html#{part}", context, request)
                kept[key] = html
                cache.set(key, html, CACHE_SECONDS)
    context |= {part: kept[key] for part, key in keys.items()}
    return render(request, "insights/insights.html", context)


@require_safe
@requires(Action.READ_INSIGHTS)
def organization_insights(request: OrgRequest, org_slug: str) -> HttpResponse:
    return _page(request)


@require_safe
@requires(Action.READ_INSIGHTS)
def job_insights(request: OrgRequest, org_slug: str, pk: int) -> HttpResponse:
    return _page(request, get_object_or_404(insight_jobs(request), pk=pk))
