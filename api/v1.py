"""The REST API under /api/v1/ (django-ninja): a key reads as its organization does."""

import base64
import binascii
import hashlib
import json
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from django_scopes import scope
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer
from pydantic import Field

from accounts.access import OrgRequest
from accounts.models import Membership, normalize_email
from api import intake, payloads, schemas
from api.access import reader
from api.keys import authenticate
from api.models import ApiKey, IdempotentResponse
from api.schemas import Text
from candidates import access as candidate_access
from candidates import training
from candidates.models import Candidate, Interview, Job, Loop
from candidates.scheduling import Slot
from debriefs.models import Debrief
from guides import access as guide_access
from guides import versions
from guides.documents import GuideDoc
from guides.models import Guide
from insights import access as insights_access
from insights.reports import insights_for
from references.models import ReferenceCheck


class ApiError(Exception):
    """An answer other than success, in the API's one error shape."""

    def __init__(self, status: int, code: str, message: str, headers=None, fields=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.headers, self.fields = headers or {}, fields or {}


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
    return _error(request, exc.status, exc.code, exc.message, exc.fields, exc.headers)


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

ERRORS = {code: schemas.ErrorBody for code in (401, 404, 422, 429)}
ERRORS_OF_LISTS = {code: schemas.ErrorBody for code in (400, 401, 422, 429)}


class Page[T](Schema):
    data: list[T]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null at the end"
    )


class PageQuery(Schema):
    cursor: str | None = Field(default=None, description="From the previous page's next_cursor")
    limit: int = Field(default=50, ge=1, le=100)
    updated_since: schemas.Moment | None = Field(
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


@api.get("/jobs/{job_id}", response={200: schemas.Job, **ERRORS}, tags=["jobs"])
def get_job(request, job_id: int):
    jobs = payloads.jobs(Job.objects.filter(organization=request.auth.organization))
    return payloads.job(_get(jobs, job_id))


@api.get("/jobs/{job_id}/insights", response={200: schemas.Insights, **ERRORS}, tags=["jobs"])
def get_job_insights(request, job_id: int):
    """Agreement and leniency over the job's submitted scorecards, as its insights page shows."""
    job = _get(insights_access.insight_jobs(_request(request)), job_id)
    figures = insights_for(_request(request).membership, jobs=[job])
    return payloads.insights(figures, request.auth.organization)


@api.get(
    "/qualifications",
    response={200: list[schemas.MemberTraining], **ERRORS},
    tags=["members"],
    description="Each member's training (or the member's of `email`) on each stage of the "
    "guides the open jobs run: shadow and panel seats, and whether they are qualified to sit "
    "on its panel.",
)
def list_qualifications(request, email: Text | None = None):
    organization = request.auth.organization
    members = Membership.objects.filter(organization=organization).select_related("user")
    if email is not None:
        members = members.filter(user__email=normalize_email(email))
    users = [membership.user for membership in members.order_by("user__email")]
    if email is not None and not users:
        raise ApiError(404, "not_found", "No member of this organization has this e-mail.")
    found = training.trainings_of(organization, users)
    return [
        {
            "member": {"name": user.display_name, "email": user.email},
            "stages": [
                {
                    "guide_id": row.guide_id,
                    "guide_title": row.guide_title,
                    "stage": row.name,
                    "shadow_seats": row.standing.shadows,
                    "panel_seats": row.standing.panels,
                    "qualified_by_admin": row.standing.marked,
                    "qualified": row.qualified,
                    "training_asked": row.asked,
                }
                for row in found[user.pk]
            ],
        }
        for user in users
    ]


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
    "/candidates/{candidate_id}",
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


@api.get("/loops/{loop_id}", response={200: schemas.Loop, **ERRORS}, tags=["loops"])
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
    "/scorecards/{scorecard_id}",
    response={200: schemas.Scorecard, **ERRORS},
    tags=["scorecards"],
)
def get_scorecard(request, scorecard_id: int):
    card = _get(payloads.submitted_scorecards(request.membership), scorecard_id)
    return payloads.scorecards([card], request.membership)[0]


@api.get("/loops/{loop_id}/debrief", response={200: schemas.Debrief, **ERRORS}, tags=["loops"])
def get_debrief(request, loop_id: int):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    debrief = Debrief.objects.filter(loop=loop).first()
    if debrief is None:
        raise ApiError(404, "not_found", "This loop has no debrief yet.")
    return payloads.debrief(debrief)


@api.get(
    "/loops/{loop_id}/references",
    response={200: list[schemas.ReferenceCheck], **ERRORS},
    tags=["loops"],
)
def list_references(request, loop_id: int):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    rows = payloads.references(ReferenceCheck.objects.filter(loop=loop).order_by("pk"))
    return [payloads.reference(r) for r in rows]


@api.get(
    "/guides",
    response={200: list[schemas.Guide], 401: schemas.ErrorBody, 429: schemas.ErrorBody},
    tags=["guides"],
)
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


@api.get("/guides/{guide_id}", response={200: schemas.Guide, **ERRORS}, tags=["guides"])
def get_guide(request, guide_id: int):
    guide = guide_access.get_guide(_request(request), guide_id)
    return _guide(guide)


@api.get(
    "/guides/{guide_id}/versions/{number}",
    response={200: GuideDoc, **ERRORS},
    tags=["guides"],
    description="A version in the shape of the guide's JSON export, which import reads back.",
)
def get_guide_version(request, guide_id: int, number: int):
    return versions.dump(guide_access.get_version(_request(request), guide_id, number))


# Writing: keys with write scope only; an Idempotency-Key makes a retried POST safe.

WRITE_ERRORS = {code: schemas.ErrorBody for code in (400, 401, 403, 404, 409, 422, 429)}


def writes(view: Callable) -> Callable:
    """Refuse a read-only key; answer a POST sent again with the same Idempotency-Key as the
    first time, without acting twice."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        key: ApiKey = request.auth
        if not key.can_write:
            raise ApiError(403, "read_only_key", "This key may only read.")
        token = request.headers.get("Idempotency-Key", "")
        if not token:
            return view(request, *args, **kwargs)
        if len(token) > 200 or "\x00" in token:
            raise ApiError(
                400,
                "bad_idempotency_key",
                "An Idempotency-Key is 200 characters at most, and text.",
            )
        fingerprint = hashlib.sha256(
            request.method.encode() + request.path.encode() + request.body
        ).hexdigest()
        with transaction.atomic():
            # Locked per key and Idempotency-Key, so that two retries at once act once.
            ApiKey.objects.select_for_update().filter(pk=key.pk).first()
            kept = IdempotentResponse.objects.filter(key=key, idempotency_key=token).first()
            if kept is not None:
                if kept.request_hash != fingerprint:
                    raise ApiError(
                        422,
                        "idempotency_key_reused",
                        "This Idempotency-Key was sent with another request.",
                    )
                return Status(kept.status, kept.body)
            answer = view(request, *args, **kwargs)
            IdempotentResponse.objects.create(
                key=key,
                idempotency_key=token,
                request_hash=fingerprint,
                status=answer.status_code,
                body=json.loads(json.dumps(answer.value, cls=DjangoJSONEncoder)),
            )
            return answer

    return wrapper


def _refused(refused: intake.Refused) -> ApiError:
    return ApiError(refused.status, refused.code, str(refused), fields=refused.fields)


@api.post(
    "/candidates",
    response={200: schemas.Candidate, 201: schemas.Candidate, **WRITE_ERRORS},
    tags=["candidates"],
    description="Create a candidate, or update the one with this e-mail (200).",
)
@writes
def put_candidate(request, body: schemas.CandidateIn):
    try:
        candidate, new = intake.take_candidate(
            organization=request.auth.organization, values=body.model_dump()
        )
    except intake.Refused as refused:
        raise _refused(refused) from None
    return Status(201 if new else 200, payloads.candidate(candidate))


@api.post(
    "/loops",
    response={200: schemas.Loop, 201: schemas.Loop, **WRITE_ERRORS},
    tags=["loops"],
    description="Put a candidate in a job: their loop, new (201) or already there (200).",
)
@writes
def add_to_job(request, body: schemas.LoopIn):
    organization = request.auth.organization
    candidate = _get(Candidate.objects.filter(organization=organization), body.candidate_id)
    job = _get(Job.objects.filter(organization=organization), body.job_id)
    try:
        loop, new = intake.add_to_job(candidate=candidate, job=job)
    except intake.Refused as refused:
        raise _refused(refused) from None
    return Status(201 if new else 200, payloads.loop(_get(_loops(request), loop.pk)))


@api.post(
    "/loops/{loop_id}/interviews",
    response={201: schemas.Interview, **WRITE_ERRORS},
    tags=["loops"],
    description="Schedule one of the loop's stages with interviewers named by e-mail: the "
    "panel, and members in training seated as shadows.",
)
@writes
def schedule_interview(request, loop_id: int, body: schemas.InterviewIn):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    slot = Slot(
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        location=body.location,
        video_link=body.video_link,
    )
    try:
        interview = intake.schedule(
            loop=loop,
            stage_id=body.stage_id,
            slot=slot,
            emails=body.interviewer_emails,
            shadow_emails=body.shadow_emails,
        )
    except intake.Refused as refused:
        raise _refused(refused) from None
    interview = Interview.objects.prefetch_related("scorecards__interviewer").get(pk=interview.pk)
    return Status(201, payloads.interview(interview))


def _end(request, loop_id: int, status: str, reason: str):
    loop = _get(candidate_access.loops_for(_request(request)), loop_id)
    try:
        intake.end_loop(loop=loop, status=status, reason=reason)
    except intake.Refused as refused:
        raise _refused(refused) from None
    return payloads.loop(_get(_loops(request), loop_id))


@api.post(
    "/loops/{loop_id}/withdraw",
    response={200: schemas.Loop, **WRITE_ERRORS},
    tags=["loops"],
    description="The candidate withdrew: interviews to come are cancelled.",
)
@writes
def withdraw(request, loop_id: int, body: schemas.LoopStatusIn):
    return _end(request, loop_id, Loop.Status.WITHDRAWN, "")


@api.post(
    "/loops/{loop_id}/reject",
    response={200: schemas.Loop, **WRITE_ERRORS},
    tags=["loops"],
    description="Reject the candidate, with the reason: interviews to come are cancelled.",
)
@writes
def reject(request, loop_id: int, body: schemas.LoopStatusIn):
    return _end(request, loop_id, Loop.Status.REJECTED, body.reason)
