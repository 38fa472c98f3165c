"""The candidate's side of an exercise: their time zone, the link the recruiter revokes, gives
more time or sends again, and the safety of the private page."""

import io
import re
import zipfile
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from candidates.models import Candidate
from exercises import emails
from exercises.models import Exercise
from exercises.views import PAGE_LIMIT
from tests.exercises.test_exercises import loop, sent  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    """The page as the candidate reads it: without the form token that each answer masks anew."""
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", response.content.decode())


def test_a_new_candidates_time_zone_is_suggested_from_the_organization(client, alice, org):
    org.time_zone = "Europe/Lisbon"
    org.save()
    client.force_login(alice)
    page = client.get("/o/alpha/candidates/new/").text
    assert 'value="Europe/Lisbon"' in page
    assert '<option value="Asia/Tokyo">' in page  # the list of zones we know
    response = client.post(
        "/o/alpha/candidates/new/",
        {"name": "Kenji", "email": "kenji@example.com", "time_zone": "Asia/Tokyo"},
    )
    assert response.status_code == 302
    assert Candidate.objects.get(email="kenji@example.com").time_zone == "Asia/Tokyo"


def test_a_bad_time_zone_gets_a_clear_400(client, alice):
    client.force_login(alice)
    response = client.post(
        "/o/alpha/candidates/new/",
        {"name": "Kenji", "email": "kenji@example.com", "time_zone": "Mars/Olympus"},
    )
    assert response.status_code == 400
    assert "“Mars/Olympus” is not a time zone we know" in response.text
    assert not Candidate.objects.filter(email="kenji@example.com").exists()


def test_the_page_and_the_link_give_the_due_time_in_the_candidates_zone(client, sent):  # noqa: F811
    candidate = sent.interview.loop.candidate
    candidate.time_zone = "Pacific/Auckland"
    candidate.save()
    local = timezone.localtime(sent.due_at, candidate.zone)
    page = client.get(f"/exercise/{sent.token()}/").text
    assert f"{local:%H:%M}" in page and "Pacific/Auckland" in page
    emails.send_exercise_emails()
    (link,) = mail.outbox
    assert f"{local:%H:%M} (Pacific/Auckland)" in link.body


def test_the_recruiter_revokes_the_link_and_it_answers_as_a_wrong_one(client, alice, sent):  # noqa: F811
    token = sent.token()
    wrong = client.get(f"/exercise/{'0' * 64}/")
    client.force_login(alice)
    assert "Revoke the link" in client.get(f"/o/alpha/loops/{sent.interview.loop_id}/").text
    assert client.post(f"/o/alpha/exercises/{sent.pk}/revoke/").status_code == 302
    page = client.get(f"/o/alpha/loops/{sent.interview.loop_id}/").text
    assert "was revoked" in page and sent.link not in page
    client.logout()
    revoked = client.get(f"/exercise/{token}/")
    assert revoked.status_code == 404 and _page(revoked) == _page(wrong)
    post = client.post(f"/exercise/{token}/", {"repository_url": "https://a.example"})
    assert post.status_code == 404


def test_sending_again_after_a_revoke_gives_a_new_link(client, alice, sent):  # noqa: F811
    emails.send_exercise_emails()
    old = sent.token()
    client.force_login(alice)
    client.post(f"/o/alpha/exercises/{sent.pk}/revoke/")
    client.post(f"/o/alpha/exercises/{sent.pk}/resend/")
    sent.refresh_from_db()
    assert sent.token() != old and sent.revoked_at is None
    assert emails.send_exercise_emails() == 1
    assert sent.link in mail.outbox[-1].body
    client.logout()
    assert client.get(f"/exercise/{old}/").status_code == 404
    assert client.get(f"/exercise/{sent.token()}/").status_code == 200


def test_more_time_reopens_an_expired_link(client, alice, sent):  # noqa: F811
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(hours=49))
    assert client.get(f"/exercise/{sent.token()}/").status_code == 404
    client.force_login(alice)
    client.post(f"/o/alpha/exercises/{sent.pk}/extend/", {"hours": "48"})
    client.logout()
    assert client.get(f"/exercise/{sent.token()}/").status_code == 200


def test_an_interviewer_may_not_revoke(client, bob, charlie, sent):  # noqa: F811
    client.force_login(bob)
    assert client.post(f"/o/alpha/exercises/{sent.pk}/revoke/").status_code == 403
    client.force_login(charlie)
    assert client.post(f"/o/bravo/exercises/{sent.pk}/revoke/").status_code == 404
    sent.refresh_from_db()
    assert sent.revoked_at is None


def test_wrong_expired_and_revoked_links_get_the_very_same_answer(client, sent):  # noqa: F811
    wrong = client.get(f"/exercise/{'f' * 64}/")
    Exercise.objects.filter(pk=sent.pk).update(due_at=timezone.now() - timedelta(days=5))
    expired = client.get(f"/exercise/{sent.token()}/")
    Exercise.objects.filter(pk=sent.pk).update(
        due_at=timezone.now() + timedelta(days=1), revoked_at=timezone.now()
    )
    revoked = client.get(f"/exercise/{sent.token()}/")
    assert {wrong.status_code, expired.status_code, revoked.status_code} == {404}
    assert _page(wrong) == _page(expired) == _page(revoked)


@pytest.fixture
def limit_left_behind():
    yield
    cache.delete("exercise-page:127.0.0.1")  # the test client's address, for the next tests


def test_the_candidates_page_is_rate_limited(client, sent, limit_left_behind):  # noqa: F811
    for _ in range(PAGE_LIMIT):
        client.get(f"/exercise/{'a' * 64}/")
    response = client.get(f"/exercise/{sent.token()}/")
    assert response.status_code == 429
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "Too many" in response.text or "too many" in response.text


def test_the_page_leaks_no_referrer_and_takes_a_hand_in_from_a_browser_sending_none(sent):  # noqa: F811
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(f"/exercise/{sent.token()}/")
    assert page["Referrer-Policy"] == "no-referrer"
    assert '<meta name="robots"' in page.text or page["X-Robots-Tag"] == "noindex, nofollow"
    # Under no-referrer a browser posts the form with "Origin: null" and no Referer.
    response = browser.post(
        f"/exercise/{sent.token()}/",
        {"repository_url": "https://git.example.com/me/api"},
        headers={"Origin": "null"},
    )
    assert response.status_code == 200
    assert "Received, thank you." in response.text


def test_a_hand_ins_file_is_served_with_the_resumes_headers(client, bob, sent):  # noqa: F811
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("a.py", "x = 1\n")
    client.post(
        f"/exercise/{sent.token()}/", {"file": SimpleUploadedFile("w.zip", buffer.getvalue())}
    )
    hand_in = sent.hand_ins.get()
    client.force_login(bob)
    response = client.get(f"/o/alpha/hand-ins/{hand_in.pk}/file/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    client.logout()
    assert client.get(f"/o/alpha/hand-ins/{hand_in.pk}/file/").status_code in (302, 404)
