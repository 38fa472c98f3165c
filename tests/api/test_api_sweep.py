"""Every path of the OpenAPI document, read from the document as the URL sweeps read the URL
resolver: another organization's ids and missing ids answer 404 (rule 1), no key answers 401.

A path whose parameter is not in ID_CASES fails here: a new endpoint says how to make the
object it points at."""

import re
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role
from api.v1 import api as ninja_api
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_job, make_loop, member, reveal, schedule, submit


def _loop(org):
    return {"loop_id": make_loop(org).pk}


def _revealed_loop(org):
    loop = make_loop(org)
    card = schedule(loop, interviewers=[member(org)]).scorecards.get()
    submit(card)
    reveal(loop, by=member(org, Role.HIRING_MANAGER))
    return {"loop_id": loop.pk, "scorecard_id": card.pk}


def _version(org):
    version = make_job(org).guide_version
    return {"guide_id": version.guide_id, "number": version.number}


def _interview_body(org, values):
    from candidates.models import Loop

    loop = Loop.objects.get(pk=values["loop_id"])
    starts = timezone.now() + timedelta(days=1)
    return {
        "stage_id": loop.guide_version.stages.first().pk,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "interviewer_emails": [member(org).email],
    }


# A valid body for each path that takes one, given the URL's values.
BODY_CASES = {
    "/api/v1/loops/{loop_id}/interviews": _interview_body,
    "/api/v1/loops/{loop_id}/withdraw": lambda org, values: {},
    "/api/v1/loops/{loop_id}/reject": lambda org, values: {"reason": "Not now"},
}

ID_CASES = {
    "/api/v1/jobs/{job_id}": lambda org: {"job_id": make_job(org).pk},
    "/api/v1/jobs/{job_id}/insights": lambda org: {"job_id": make_job(org).pk},
    "/api/v1/candidates/{candidate_id}": lambda org: {"candidate_id": make_loop(org).candidate_id},
    "/api/v1/loops/{loop_id}": _loop,
    "/api/v1/loops/{loop_id}/debrief": _revealed_loop,
    "/api/v1/loops/{loop_id}/references": _loop,
    "/api/v1/scorecards/{scorecard_id}": _revealed_loop,
    "/api/v1/guides/{guide_id}": _version,
    "/api/v1/guides/{guide_id}/versions/{number}": _version,
    **{path: _loop for path in BODY_CASES},
}


def _document():
    return ninja_api.get_openapi_schema()


def _paths(with_ids: bool):
    return [
        (path, method)
        for path, operations in _document()["paths"].items()
        for method in operations
        if bool(re.search(r"\{\w+\}", path)) == with_ids
    ]


def _fill(path: str, values: dict) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def test_every_path_with_an_id_has_a_case():
    assert {path for path, _ in _paths(with_ids=True)} == set(ID_CASES)


@pytest.mark.parametrize(("path", "method"), _paths(with_ids=True))
def test_another_organizations_object_is_404_as_a_missing_one(path, method, org, other_org):
    values = ID_CASES[path](org)
    body = BODY_CASES[path](org, values) if method == "post" else {}
    options = {"content_type": "application/json"} if method == "post" else {}

    def request(client, values):
        return getattr(client, method)(_fill(path, values), body, **options)

    outsider = ApiClient(make_key(other_org, can_write=True))
    foreign = request(outsider, values)
    missing = request(outsider, dict.fromkeys(values, 2_000_000_000))
    assert request(ApiClient(make_key(org, can_write=True)), values).status_code < 300
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()


@pytest.mark.sqlite
@pytest.mark.parametrize(("path", "method"), _paths(with_ids=True))
def test_an_id_too_large_for_the_database_is_404_as_a_missing_one(path, method, org):
    """Each id of the path in turn, the others real: past the largest 64-bit integer."""
    values = ID_CASES[path](org)
    body = BODY_CASES[path](org, values) if method == "post" else {}
    options = {"content_type": "application/json"} if method == "post" else {}
    client = ApiClient(make_key(org, can_write=True))
    for name in re.findall(r"\{(\w+)\}", path):
        for too_large in (2**63, 2**64):
            url = _fill(path, values | {name: too_large})
            response = getattr(client, method)(url, body, **options)
            assert response.status_code in (404, 422), (url, response.status_code)


@pytest.mark.parametrize(("path", "method"), _paths(with_ids=True) + _paths(with_ids=False))
def test_every_path_wants_a_key(path, method, org):
    if path.endswith("openapi.json"):
        return
    url = _fill(path, dict.fromkeys(ID_CASES.get(path, lambda org: {})(org), 1))
    response = getattr(ApiClient(), method)(url)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


@override_settings(API_RATE_LIMIT=3)
def test_a_key_past_its_rate_limit_is_told_when_to_retry(org, other_org):
    client = ApiClient(make_key(org))
    assert [client.get("/api/v1/jobs").status_code for _ in range(3)] == [200] * 3
    response = client.get("/api/v1/jobs")
    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    assert response.json()["error"]["code"] == "rate_limited"
    assert ApiClient(make_key(other_org)).get("/api/v1/jobs").status_code == 200


def _recommendations(value):
    if isinstance(value, dict):
        for name, inner in value.items():
            if name == "recommendation":
                yield inner
            yield from _recommendations(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _recommendations(inner)


@pytest.mark.parametrize(
    ("path", "method"),
    [(p, m) for p, m in _paths(with_ids=True) + _paths(with_ids=False) if m == "get"],
)
def test_no_path_serves_a_draft_or_a_sealed_recommendation(path, method, org):
    ada, grace = member(org), member(org)
    loop = make_loop(org)
    cards = {c.interviewer: c for c in schedule(loop, interviewers=[ada, grace]).scorecards.all()}
    submit(cards[ada], recommendation=4, summary="Submitted words")
    cards[grace].summary, cards[grace].recommendation = "Draft words", 1
    cards[grace].save()
    version = loop.guide_version
    values = {
        "loop_id": loop.pk,
        "job_id": loop.job_id,
        "candidate_id": loop.candidate_id,
        "scorecard_id": cards[ada].pk,
        "guide_id": version.guide_id,
        "number": version.number,
    }
    response = getattr(ApiClient(make_key(org)), method)(_fill(path, values))
    assert response.status_code in (200, 404)  # a loop without a debrief has none to show
    assert "Draft words" not in response.content.decode()
    assert set(_recommendations(response.json())) <= {None}
