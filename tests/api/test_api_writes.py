"""Writing through the API: scopes, idempotency on e-mail and on Idempotency-Key, 4xx never 5xx."""

from datetime import timedelta

from django.utils import timezone

from candidates.models import Activity, Candidate, Interview, Loop
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_job, make_loop, member

NINA = {"name": "Nina Candidate", "email": "Nina@Example.test", "links": ["https://git.example/n"]}


def _writer(org):
    return ApiClient(make_key(org, can_write=True))


def test_a_read_key_may_not_write(org, api):
    response = api.post("/api/v1/candidates", NINA, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "read_only_key"
    assert not Candidate.objects.exists()


def test_a_candidate_is_created_then_updated_on_the_same_email(org):
    client = _writer(org)
    first = client.post("/api/v1/candidates", NINA, content_type="application/json")
    assert first.status_code == 201
    again = client.post(
        "/api/v1/candidates",
        {**NINA, "email": "nina@example.test", "phone": "+351 900"},
        content_type="application/json",
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    candidate = Candidate.objects.get()
    assert candidate.phone == "+351 900" and candidate.link_list() == ["https://git.example/n"]


def test_a_retried_post_with_an_idempotency_key_acts_once(org):
    client, job = _writer(org), make_job(org)
    nina = client.post("/api/v1/candidates", NINA, content_type="application/json").json()
    body = {"candidate_id": nina["id"], "job_id": job.pk}
    headers = {"Idempotency-Key": "add-nina-1"}
    first = client.post("/api/v1/loops", body, content_type="application/json", headers=headers)
    second = client.post("/api/v1/loops", body, content_type="application/json", headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert Loop.objects.count() == 1
    assert Activity.objects.filter(text__startswith="Added to").count() == 1
    other = client.post(
        "/api/v1/loops",
        {**body, "job_id": make_job(org).pk},
        content_type="application/json",
        headers=headers,
    )
    assert other.status_code == 422
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_adding_to_a_job_twice_answers_the_same_loop(org):
    client, loop = _writer(org), make_loop(org)
    body = {"candidate_id": loop.candidate_id, "job_id": loop.job_id}
    response = client.post("/api/v1/loops", body, content_type="application/json")
    assert response.status_code == 200 and response.json()["id"] == loop.pk


def test_an_interview_is_scheduled_with_members_by_email(org):
    client, loop = _writer(org), make_loop(org)
    ada = member(org, email="ada@alpha.test")
    stage = loop.guide_version.stages.first()
    starts = timezone.now() + timedelta(days=2)
    body = {
        "stage_id": stage.pk,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        "interviewer_emails": ["ADA@alpha.test"],
    }
    url = f"/api/v1/loops/{loop.pk}/interviews"
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["interviewers"] == [{"name": ada.display_name, "email": ada.email}]
    assert Interview.objects.get().scorecards.get().interviewer == ada
    stranger = {**body, "interviewer_emails": ["nobody@elsewhere.test"]}
    response = client.post(url, stranger, content_type="application/json")
    assert response.status_code == 422 and "nobody@elsewhere.test" in response.content.decode()
    backwards = {**body, "ends_at": (starts - timedelta(hours=1)).isoformat()}
    assert client.post(url, backwards, content_type="application/json").status_code == 422


def test_a_loop_is_rejected_with_its_reason_then_refuses_to_end_again(org):
    client, loop = _writer(org), make_loop(org)
    url = f"/api/v1/loops/{loop.pk}/reject"
    response = client.post(url, {"reason": "Not senior enough"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "rejected"
    assert response.json()["rejection_reason"] == "Not senior enough"
    again = client.post(f"/api/v1/loops/{loop.pk}/withdraw", {}, content_type="application/json")
    assert again.status_code == 409


def test_bad_bodies_are_422_with_the_fields(org):
    client = _writer(org)
    for body in ('{"name": ""}', "not json", '{"name": "N", "email": "not-an-email"}', "[]"):
        response = client.post("/api/v1/candidates", body, content_type="application/json")
        assert response.status_code in (400, 422), body
        assert response.json()["error"]["code"] in ("invalid", "bad_request")
    assert not Candidate.objects.exists()


def test_another_organizations_candidate_or_job_is_404(org, other_org):
    theirs = make_loop(other_org)
    body = {"candidate_id": theirs.candidate_id, "job_id": make_job(org).pk}
    response = _writer(org).post("/api/v1/loops", body, content_type="application/json")
    assert response.status_code == 404
