"""The API through the real URL configuration: keys, errors, pagination, rules 2 and 3."""

from django.core.management import call_command
from django.utils import timezone

from accounts.models import Role
from api.keys import revoke
from api.models import ApiKey
from candidates.erasure import erase_candidate
from tests.api.conftest import ApiClient, make_key
from tests.factories import (
    CandidateFactory,
    make_job,
    make_loop,
    member,
    reveal,
    schedule,
    submit,
)


def test_it_refuses_a_request_without_a_key_or_with_a_wrong_one(org):
    for client in (ApiClient(), ApiClient("rbk_not-a-key"), ApiClient("nonsense")):
        response = client.get("/api/v1/jobs")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthorized"
        assert response["WWW-Authenticate"] == "Bearer"


def test_a_revoked_key_is_refused_and_a_used_one_says_when(org):
    token = make_key(org)
    client = ApiClient(token)
    assert client.get("/api/v1/jobs").status_code == 200
    key = ApiKey.objects.get()
    assert key.last_used_at is not None
    assert token not in str(ApiKey.objects.values().get())  # only its hash is kept
    revoke(key=key)
    assert client.get("/api/v1/jobs").status_code == 401


def test_it_lists_jobs_a_page_at_a_time_from_a_cursor(org, api):
    jobs = [make_job(org, title=f"Job {n}") for n in range(5)]
    first = api.get("/api/v1/jobs", {"limit": 2}).json()
    assert [j["title"] for j in first["data"]] == ["Job 0", "Job 1"]
    assert first["data"][0]["guide_version"]["number"] == 1
    second = api.get("/api/v1/jobs", {"limit": 2, "cursor": first["next_cursor"]}).json()
    third = api.get("/api/v1/jobs", {"limit": 2, "cursor": second["next_cursor"]}).json()
    assert [j["id"] for j in second["data"] + third["data"]] == [j.pk for j in jobs[2:]]
    assert third["next_cursor"] is None


def test_updated_since_lists_only_what_changed(org, api):
    old, new = make_job(org, title="Old"), make_job(org, title="New")
    type(old).objects.filter(pk=old.pk).update(
        updated_at=timezone.now() - timezone.timedelta(days=2)
    )
    since = (timezone.now() - timezone.timedelta(days=1)).isoformat()
    data = api.get("/api/v1/jobs", {"updated_since": since}).json()["data"]
    assert [j["id"] for j in data] == [new.pk]


def test_bad_input_is_a_4xx_in_one_error_shape(org, api):
    response = api.get("/api/v1/jobs", {"cursor": "%%%"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_cursor"
    response = api.get("/api/v1/jobs", {"limit": 1000, "updated_since": "yesterday"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and {"limit", "updated_since"} <= set(error["fields"])
    response = api.get("/api/v1/jobs/99999999")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "There is no such object.", "fields": {}}
    }


def _loop_with_feedback(org):
    ada, grace = member(org, email="ada@alpha.test"), member(org, email="grace@alpha.test")
    loop = make_loop(org)
    interview = schedule(loop, interviewers=[ada, grace])
    cards = {card.interviewer: card for card in interview.scorecards.all()}
    submit(cards[ada], recommendation=4, summary="Clear thinker.")
    cards[grace].summary = "Half-written draft"
    cards[grace].save()
    return loop, cards[ada]


def test_scorecards_carry_anchor_texts_and_stay_sealed_until_the_reveal(org, api):
    loop, card = _loop_with_feedback(org)
    data = api.get("/api/v1/scorecards", {"loop_id": loop.pk}).json()["data"]
    assert [c["id"] for c in data] == [card.pk]  # the draft is never served (rule 2)
    (read,) = data
    assert read["recommendation"] is None and read["recommendation_sealed"] is True
    rating = read["ratings"][0]
    assert (
        rating["score"] == 3
        and rating["anchor"]
        and rating["anchor"]
        in str(card.ratings.get(criterion=rating["criterion_id"]).criterion.anchor(3))
    )
    assert "Half-written draft" not in api.get(f"/api/v1/loops/{loop.pk}").content.decode()
    reveal(loop, by=member(org, Role.HIRING_MANAGER))
    read = api.get(f"/api/v1/scorecards/{card.pk}").json()
    assert read["recommendation"] == 4 and read["recommendation_sealed"] is False


def test_a_draft_scorecard_is_404(org, api):
    loop, card = _loop_with_feedback(org)
    draft = card.interview.scorecards.exclude(pk=card.pk).get()
    assert api.get(f"/api/v1/scorecards/{draft.pk}").status_code == 404


def test_loops_show_stages_interviews_and_the_debrief(org, api):
    loop, card = _loop_with_feedback(org)
    read = api.get(f"/api/v1/loops/{loop.pk}").json()
    assert [s["name"] for s in read["stages"]] == [
        s.name for s in loop.guide_version.stages.order_by("position")
    ]
    assert {p["email"] for p in read["interviews"][0]["interviewers"]} == {
        "ada@alpha.test",
        "grace@alpha.test",
    }
    assert api.get(f"/api/v1/loops/{loop.pk}/debrief").status_code == 404
    reveal(loop, by=member(org, Role.HIRING_MANAGER))
    assert api.get(f"/api/v1/loops/{loop.pk}/debrief").json()["phase"] == "revealed"


def test_a_seats_kind_shows_on_interviews_and_scorecards(org, api):
    ada, lin = member(org, email="ada@alpha.test"), member(org, email="lin@alpha.test")
    loop = make_loop(org)
    interview = schedule(loop, interviewers=[ada], shadows=[lin])
    read = api.get(f"/api/v1/loops/{loop.pk}").json()
    assert {(s["interviewer"]["email"], s["kind"]) for s in read["interviews"][0]["seats"]} == {
        ("ada@alpha.test", "panel"),
        ("lin@alpha.test", "shadow"),
    }
    for card in interview.scorecards.all():
        submit(card)
    data = api.get("/api/v1/scorecards", {"loop_id": loop.pk}).json()["data"]
    assert {(c["interviewer"]["email"], c["seat"]) for c in data} == {
        ("ada@alpha.test", "panel"),
        ("lin@alpha.test", "shadow"),
    }


def test_an_erased_candidate_reads_as_erased(org, api):
    candidate = CandidateFactory(organization=org, name="Nina Secret", email="nina@x.test")
    erase_candidate(candidate=candidate, user=None)
    body = api.get(f"/api/v1/candidates/{candidate.pk}").content.decode()
    assert "Nina Secret" not in body and "nina@x.test" not in body
    assert '"erased":true' in body.replace(" ", "")


def test_guide_versions_read_in_the_export_shape(org, api):
    job = make_job(org)
    version = job.guide_version
    read = api.get(f"/api/v1/guides/{version.guide_id}/versions/{version.number}").json()
    assert read["format"] == "rubric-guide" and read["title"] == version.title


def test_the_openapi_document_and_its_reference_page_need_no_key(db):
    client = ApiClient()
    document = client.get("/api/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    assert "/api/v1/scorecards" in document["paths"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert b"cdn" not in page.content.lower()


def test_an_admin_creates_a_key_shown_once_and_revokes_it(client, org, alice):
    client.force_login(alice)
    url = "/o/alpha/api-keys/"
    page = client.post(url, {"name": "Greenhouse", "can_write": "on"})
    key = ApiKey.objects.get()
    token = page.context["new_key"]
    assert token.startswith(key.prefix) and token in page.content.decode()
    assert key.can_write
    again = client.get(url).content.decode()
    assert "Greenhouse" in again and token not in again
    assert ApiClient(token).get("/api/v1/jobs").status_code == 200
    client.post(f"/o/alpha/api-keys/{key.pk}/revoke/")
    assert ApiClient(token).get("/api/v1/jobs").status_code == 401


def test_only_admins_manage_keys(client, org, bob):
    client.force_login(bob)
    assert client.get("/o/alpha/api-keys/").status_code == 403


def test_create_api_key_prints_the_key_last(org, capsys):
    call_command("create_api_key", "--organization", "alpha", "--name", "Lever", "--write")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    assert ApiClient(token).get("/api/v1/jobs").status_code == 200
    assert ApiKey.objects.get().can_write
