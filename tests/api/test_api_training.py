"""Interviewer training through the API: seating shadows, reading a member's qualifications."""

from datetime import timedelta

from django.utils import timezone

from candidates import training
from scorecards.models import Scorecard
from tests.api.conftest import ApiClient, make_key
from tests.factories import make_loop, member, schedule, submit


def _interview(loop, **emails):
    stage = loop.guide_version.stages.first()
    starts = timezone.now() + timedelta(days=2)
    return {
        "stage_id": stage.pk,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
        **emails,
    }


def test_a_shadow_is_seated_beside_the_panel(org):
    client, loop = ApiClient(make_key(org, can_write=True)), make_loop(org)
    ada = member(org, email="ada@alpha.test")
    grace = member(org, email="grace@alpha.test")
    url = f"/api/v1/loops/{loop.pk}/interviews"
    body = _interview(
        loop, interviewer_emails=["ada@alpha.test"], shadow_emails=["GRACE@alpha.test"]
    )
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 201
    seats = {seat["interviewer"]["email"]: seat["kind"] for seat in response.json()["seats"]}
    assert seats == {ada.email: "panel", grace.email: "shadow"}
    assert Scorecard.objects.get(interviewer=grace).seat == Scorecard.Seat.SHADOW

    both = _interview(loop, interviewer_emails=[ada.email], shadow_emails=[ada.email])
    response = client.post(url, both, content_type="application/json")
    assert response.status_code == 409 and "cannot both" in response.json()["error"]["message"]
    stranger = _interview(loop, interviewer_emails=[ada.email], shadow_emails=["x@else.test"])
    response = client.post(url, stranger, content_type="application/json")
    assert response.status_code == 422 and "x@else.test" in response.json()["error"]["message"]
    only_shadows = _interview(loop, interviewer_emails=[], shadow_emails=[grace.email])
    assert client.post(url, only_shadows, content_type="application/json").status_code == 422


def test_a_member_s_qualifications_are_read_by_e_mail(org, alice, api):
    loop = make_loop(org)
    stage = loop.guide_version.stages.first()
    ada, grace = member(org, email="ada@alpha.test"), member(org, email="grace@alpha.test")
    held = timezone.now() - timedelta(days=1)
    interview = schedule(loop, interviewers=[ada], shadows=[grace], starts_at=held, stage=stage)
    submit(interview.scorecards.get(interviewer=grace), score=3)
    guide = loop.guide_version.guide

    response = api.get("/api/v1/qualifications", {"email": "Grace@alpha.test"})
    assert response.status_code == 200
    [graces] = response.json()
    assert graces["member"]["email"] == grace.email
    row = next(r for r in graces["stages"] if r["stage"] == stage.name)
    assert row["guide_id"] == guide.pk and row["shadow_seats"] == 1
    assert row["panel_seats"] == 0 and not row["qualified_by_admin"]

    training.qualify(guide=guide, stage_name=stage.name, user=grace, by=alice)
    everyone = {m["member"]["email"]: m["stages"] for m in api.get("/api/v1/qualifications").json()}
    assert {ada.email, grace.email, alice.email} <= everyone.keys()
    row = next(r for r in everyone[grace.email] if r["stage"] == stage.name)
    assert row["qualified_by_admin"] and row["qualified"]
    assert next(r for r in everyone[ada.email] if r["stage"] == stage.name)["panel_seats"] == 0


def test_another_organization_s_member_is_not_found(org, other_org, api):
    outsider = member(other_org, email="olga@beta.test")
    response = api.get("/api/v1/qualifications", {"email": outsider.email})
    assert response.status_code == 404
    assert api.get("/api/v1/qualifications", {"email": "nobody@alpha.test"}).status_code == 404
    everyone = api.get("/api/v1/qualifications").json()
    assert outsider.email not in {m["member"]["email"] for m in everyone}
