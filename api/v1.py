"""The REST API under /api/v1/ (django-ninja): a key reads as its organization does."""

import base64
import binascii
from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scope
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from accounts.access import OrgRequest
from api import payloads, schemas
from api.access import reader
from api.keys import authenticate
from api.models import ApiKey
from candidates import access as candidate_access
from candidates.models import Candidate, Job, Loop
from debriefs.models import Debrief
from guides import access as guide_access
from guides import versions
from guides.documents import GuideDoc
from guides.models import Guide
from references.models import ReferenceCheck


class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers or {}


class KeyAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiKey | None:
        key = authenticate(token)
        if key is None:
            return None
        _count(key)
        request.organization = key.organization
        request.membership = reader(key.organization)
        return key


def _count(key: ApiKey) -> None:
    """At most API_RATE_LIMIT requests a minute per key, counted in the cache (Redis)."""
    now = timezone.now()
    bucket = f"api-rate:{key.key_hash[:20]}:{now:%Y%m%d%H%M}"
    cache.add(bucket, 0, timeout=120)
    if cache.incr(bucket) > settings.API_RATE_LIMIT:
        retry = str(60 - now.second)
        raise ApiError(
            429, "rate_limited", "Too many requests for this key.", {"Retry-After": retry}
        )


api = NinjaAPI(
    title="Rubric API",
    version="1",
    description="Jobs, candidates, loops, submitted scorecards, debriefs and references of one "
    "organization, read (and written) with its API key: `Authorization: Bearer <key>`.",
    auth=KeyAuth(),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


def _error(request, status: int, code: str, message: str, fields=None, headers=None):
    body = {"error": {"code": code, "message": message, "fields": fields or {}}}
    response = api.create_response(request, body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


@api.exception_handler(ApiError)
def _api_error(request, exc: ApiError):
    return _error(request, exc.status, exc.code, exc.message, headers=exc.headers)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", "There is no such object.")


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(
        request,
        401,
        "unauthorized",
        "Send a live API key as `Authorization: Bearer <key>`.",
        headers={"WWW-Authenticate": "Bearer"},
    )


@api.exception_handler(ValidationError)
def _invalid(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for error in exc.errors:
        name = ".".join(str(part) for part in error.get("loc", [])[1:]) or "body"
        fields.setdefault(name, []).append(error.get("msg", "is invalid"))
    return _error(request, 422, "invalid", "Some values are invalid.", fields)


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _error(request, exc.status_code, "bad_request", str(exc))


def in_organization(view: Callable) -> Callable:
    """Run the endpoint in its key's organization's scope (django-scopes) and time zone."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        organization = request.auth.organization
        with scope(organization=organization), timezone.override(organization.zone):
            return view(request, *args, **kwargs)

    return wrapper


api.add_decorator(in_organization, mode="operation")

ERRORS = {401: schemas.ErrorBody, 404: schemas.ErrorBody, 422: schemas.ErrorBody}
ERRORS_OF_LISTS = {401: schemas.ErrorBody, 400: schemas.ErrorBody, 422: schemas.ErrorBody}


class Page[T](Schema):
    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class PageQuery(Schema):
    cursor: str | None = Field(default=None, description="From the previous page's next_cursor")
    limit: int = Field(default=50, ge=1, le=100)
    updated_since: datetime | None = Field(
        default=None, description="Only what changed at or after this time (ISO 8601)"
    )


def _page(rows: QuerySet, query: PageQuery, build: Callable[[list], list[dict]]) -> dict:
    """One page of `rows` in the order they were made, after the cursor."""
    if query.updated_since is not None:
        rows = rows.filter(updated_at__gte=query.updated_since)
    if query.cursor is not None:
        rows = rows.filter(pk__gt=_after(query.cursor))
    chunk = list(rows.order_by("pk")[: query.limit + 1])
    more = len(chunk) > query.limit
    chunk = chunk[: query.limit]
    cursor = base64.urlsafe_b64encode(str(chunk[-1].pk).encode()).decode() if more else None
    return {"data": build(chunk), "next_cursor": cursor}


def _after(cursor: str) -> int:
    try:
        return int(base64.urlsafe_b64decode(cursor.encode()).decode())
    except (binascii.Error, ValueError, UnicodeError):
        raise ApiError(400, "bad_cursor", "This cursor is not one the API gave.") from None


def _request(request) -> OrgRequest:
    return request  # KeyAuth set its organization and membership (the reader)


@api.get("/jobs", response={200: Page[schemas.Job], **ERRORS_OF_LISTS}, tags=["jobs"])
def list_jobs(request, query: Query[PageQuery]):
    rows = payloads.jobs(candidate_access.jobs_for(_request(request)))
    return _page(rows, query, lambda chunk: [payloads.job(j) for j in chunk])


@api.get("/jobs/{int:job_id}", response={200: schemas.Job, **ERRORS}, tags=["jobs"])
def get_job(request, job_id: int):
    jobs = payloads.jobs(Job.objects.filter(organization=request.auth.organization))
    return payloads.job(_get(jobs, job_id))


def _get(rows: QuerySet, pk: int):
    row = rows.filter(pk=pk).first()
    if row is None:
        raise Http404
    return row


@api.get(
    "/candidates", response={200: Page[schemas.Candidate], **ERRORS_OF_LISTS}, tags=["candidates"]
)
def list_candidates(request, query: Query[PageQuery]):
    rows = candidate_access.candidates_for(_request(request))
    return _page(rows, query, lambda chunk: [payloads.candidate(c) for c in chunk])


@api.get(
    "/candidates/{int:candidate_id}",
    response={200: schemas.Candidate, **ERRORS},
    tags=["candidates"],
)
def get_candidate(request, candidate_id: int):
    rows = Candidate.objects.filter(organization=request.auth.organization)
    return payloads.candidate(_get(rows, candidate_id))


def _loops(request) -> QuerySet[Loop]:
    return payloads.loops(candidate_access.loops_for(_request(request)))


@api.get("/loops", response={200: Page[schemas.Loop], **ERRORS_OF_LISTS}, tags=["loops"])
def list_loops(request, query: Query[PageQuery]):
    return _page(_loops(request), query, lambda chunk: [payloads.loop(lp) for lp in chunk])


@api.get("/loops/{int:loop_id}", response={200: schemas.Loop, **ERRORS}, tags=["loops"])
def get_loop(request, loop_id: int):
    return payloads.loop(_get(_loops(request), loop_id))


@api.get(
    "/scorecards",
    response={200: Page[schemas.Scorecard], **ERRORS_OF_LISTS},
    tags=["scorecards"],
    description="Submitted scorecards, each score with its anchor text; recommendations stay "
    "sealed (null) until the loop's debrief reveals them. Drafts are never served.",
)
def list_scorecards(request, query: Query[PageQuery], loop_id: int | None = None):
    rows = payloads.submitted_scorecards(request.membership)
    if loop_id is not None:
        rows = rows.filter(interview__loop=loop_id)
    return _page(rows, query, lambda chunk: payloads.scorecards(chunk, request.membership))


@api.get(
    "/scorecards/{int:scorecard_id}",
    response={200: schemas.Scorecard, **ERRORS},
    tags=["scorecards"],
)
def get_scorecard(request, scorecard_id: int):
    card = _get(payloads.submitted_scorecards(request.membership), scorecard_id)
    return payloads.scorecards([card], request.membership)[0]


@api.get("/loops/{int:loop_id}/debrief", response={200: schemas.Debrief, **ERRORS}, tags=["loops"])
def get_debrief(request, loop_id: int):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    debrief = Debrief.objects.filter(loop=loop).first()
    if debrief is None:
        raise ApiError(404, "not_found", "This loop has no debrief yet.")
    return payloads.debrief(debrief)


@api.get(
    "/loops/{int:loop_id}/references",
    response={200: list[schemas.ReferenceCheck], **ERRORS},
    tags=["loops"],
)
def list_references(request, loop_id: int):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    rows = payloads.references(ReferenceCheck.objects.filter(loop=loop).order_by("pk"))
    return [payloads.reference(r) for r in rows]


@api.get("/guides", response={200: list[schemas.Guide], 401: schemas.ErrorBody}, tags=["guides"])
def list_guides(request):
    guides = Guide.objects.filter(organization=request.auth.organization).prefetch_related(
        "versions"
    )
    return [_guide(g) for g in guides.order_by("pk")]


def _guide(guide: Guide) -> dict:
    return {
        "id": guide.pk,
        "edited_at": guide.edited_at,
        "versions": [
            {
                "number": v.number,
                "status": v.status,
                "title": v.title,
                "published_at": v.published_at,
            }
            for v in sorted(guide.versions.all(), key=lambda v: v.number)
        ],
    }


@api.get("/guides/{int:guide_id}", response={200: schemas.Guide, **ERRORS}, tags=["guides"])
def get_guide(request, guide_id: int):
    guide = guide_access.get_guide(_request(request), guide_id)
    return _guide(guide)


@api.get(
    "/guides/{int:guide_id}/versions/{int:number}",
    response={200: GuideDoc, **ERRORS},
    tags=["guides"],
    description="A version in the shape of the guide's JSON export, which import reads back.",
)
def get_guide_version(request, guide_id: int, number: int):
    return versions.dump(guide_access.get_version(_request(request), guide_id, number))
