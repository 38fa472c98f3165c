"""Webhooks, delivered to a real HTTP receiver on this machine and checked as a receiver would,
with the Standard Webhooks reference library and by hand."""

import base64
import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.utils import timezone
from standardwebhooks.webhooks import Webhook

from accounts.models import Role
from api import webhooks
from api.models import Delivery, Event, WebhookEndpoint
from config.celery import app
from tests.factories import make_loop, member, reveal, schedule, submit


class Receiver:
    """An HTTP server on 127.0.0.1 that keeps what it is sent and answers `statuses` in turn
    (200 once they run out)."""

    def __init__(self, statuses=()):
        self.received: list[tuple[dict, bytes]] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.end_headers()
                self.wfile.write(b"thanks")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/rubric?team=1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    receiver = Receiver()
    yield receiver
    receiver.server.shutdown()


@pytest.fixture
def eager():
    """Tasks run in-process, as in the demo."""
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


def local():
    """The receiver is on this machine, over plain HTTP."""
    return override_settings(WEBHOOK_ALLOW_HTTP=True, WEBHOOK_ALLOW_PRIVATE_ADDRESSES=True)


def _endpoint(org, url, events=tuple(Event.values)):
    with local():
        return webhooks.create_endpoint(organization=org, url=url, events=list(events), user=None)


def _submitted(org, django_capture_on_commit_callbacks):
    ada, grace = member(org), member(org)
    loop = make_loop(org)
    held = schedule(loop, interviewers=[ada, grace], starts_at=timezone.now() - timedelta(hours=2))
    cards = {c.interviewer: c for c in held.scorecards.all()}
    cards[grace].summary = "Grace's unfinished draft"
    cards[grace].save()
    with django_capture_on_commit_callbacks(execute=True):
        submit(cards[ada], recommendation=4, summary="Ada's feedback")
    return loop, cards


@local()
def test_a_submitted_scorecard_arrives_signed_without_its_sealed_recommendation(
    org, receiver, eager, django_capture_on_commit_callbacks
):
    endpoint = _endpoint(org, receiver.url)
    _submitted(org, django_capture_on_commit_callbacks)
    ((headers, body),) = receiver.received
    # The reference library verifies it…
    payload = Webhook(endpoint.secret).verify(body, headers)
    # …and so does the algorithm written out: HMAC-SHA256 of id.timestamp.body, in base64.
    key = base64.b64decode(endpoint.secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.{body.decode()}".encode()
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert headers["webhook-signature"] == f"v1,{expected}"
    assert payload["type"] == "scorecard.submitted"
    card = payload["data"]["scorecard"]
    assert card["summary"] == "Ada's feedback"
    assert card["recommendation"] is None and card["recommendation_sealed"] is True
    assert "unfinished draft" not in body.decode()
    assert Delivery.objects.get().status == Delivery.Status.SUCCEEDED


@local()
def test_the_last_scorecard_in_tells_the_loop_is_complete_and_the_reveal_unseals(
    org, receiver, eager, django_capture_on_commit_callbacks
):
    _endpoint(org, receiver.url)
    loop, cards = _submitted(org, django_capture_on_commit_callbacks)
    grace = next(user for user, card in cards.items() if card.is_open)
    for hours, stage in enumerate(loop.guide_version.stages.order_by("position")[1:], 3):
        earlier = timezone.now() - timedelta(hours=hours)
        interview = schedule(loop, interviewers=[grace], stage=stage, starts_at=earlier)
        with django_capture_on_commit_callbacks(execute=True):
            submit(interview.scorecards.get())
    with django_capture_on_commit_callbacks(execute=True):
        submit(cards[grace], recommendation=2)
    with django_capture_on_commit_callbacks(execute=True):
        reveal(loop, by=member(org, Role.HIRING_MANAGER))
    types = [json.loads(body)["type"] for _, body in receiver.received]
    assert types == [
        *["scorecard.submitted"] * loop.guide_version.stages.count(),
        "scorecard.submitted",
        "loop.feedback_complete",
        "debrief.revealed",
    ]
    revealed = json.loads(receiver.received[-1][1])["data"]
    assert revealed["debrief"]["phase"] == "revealed"


@local()
def test_an_endpoint_gets_only_the_events_it_asked_for(
    org, receiver, eager, django_capture_on_commit_callbacks
):
    _endpoint(org, receiver.url, events=[Event.DEBRIEF_DECIDED])
    _submitted(org, django_capture_on_commit_callbacks)
    assert receiver.received == [] and not Delivery.objects.exists()


@local()
def test_a_delivery_answered_500_is_tried_again_with_the_same_id(
    org, receiver, eager, django_capture_on_commit_callbacks
):
    receiver.statuses = [500]
    _endpoint(org, receiver.url, events=[Event.SCORECARD_SUBMITTED])
    _submitted(org, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.response_status == 500
    assert delivery.next_attempt_at > timezone.now()
    assert webhooks.attempt(delivery_id=delivery.pk) is None
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SUCCEEDED and delivery.attempts == 2
    first, second = (headers["webhook-id"] for headers, _ in receiver.received)
    assert first == second == delivery.message_id


@local()
@override_settings(WEBHOOK_RETRY_SECONDS=[0])
def test_a_delivery_is_given_up_and_an_endpoint_failing_for_a_day_turned_off(
    org, alice, receiver, eager, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 500]
    endpoint = _endpoint(org, receiver.url, events=[Event.SCORECARD_SUBMITTED])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        failing_since=timezone.now() - timedelta(days=1, minutes=1)
    )
    _submitted(org, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == Delivery.Status.FAILED
    assert not endpoint.is_active and "a day" in endpoint.disabled_reason
    (message,) = mail.outbox
    assert message.to == ["alice@alpha.test"] and receiver.url in message.body


@pytest.mark.parametrize(
    "url",
    [
        "http://hooks.example.com/",
        "https://127.0.0.1/",
        "https://10.1.2.3/",
        "https://192.168.0.5/",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/",
        "https://localhost/",
    ],
)
def test_a_webhook_url_must_be_public_https(url):
    with pytest.raises(ValidationError):
        webhooks.check_url(url)


def test_a_public_https_url_is_taken():
    assert webhooks.check_url("https://hooks.example.com/rubric") is None  # no refusal raised


def test_the_address_is_checked_again_when_sending(org, receiver, eager):
    """A name that resolved to a public address when added and to this machine now (DNS
    rebinding) is refused at delivery, and nothing reaches it."""
    endpoint = _endpoint(org, receiver.url.replace("127.0.0.1", "localhost"))
    delivery = Delivery.objects.create(
        endpoint=endpoint, message_id="msg_1", event=Event.PACKET_READY, subject_id=1, payload={}
    )
    with override_settings(WEBHOOK_ALLOW_HTTP=True):
        webhooks.attempt(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert "loopback, private or link-local" in delivery.error
    assert receiver.received == []


@local()
def test_an_admin_adds_an_endpoint_sees_its_secret_once_and_sends_a_delivery_again(
    client, org, alice, receiver, eager, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    page = client.post(
        "/o/alpha/webhooks/", {"url": receiver.url, "events": ["scorecard.submitted"]}
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret in page.content.decode()
    detail = f"/o/alpha/webhooks/{endpoint.pk}/"
    assert endpoint.secret not in client.get("/o/alpha/webhooks/").content.decode()
    _submitted(org, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert "HTTP 200" in client.get(detail).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/o/alpha/webhook-deliveries/{delivery.pk}/resend/")
    assert len(receiver.received) == 2


def test_a_plain_http_endpoint_is_refused_with_a_message(client, org, alice):
    client.force_login(alice)
    page = client.post(
        "/o/alpha/webhooks/", {"url": "http://hooks.example.com/", "events": ["packet.ready"]}
    )
    assert page.status_code == 400
    assert "https://" in page.content.decode() and not WebhookEndpoint.objects.exists()


def test_only_admins_see_webhooks(client, org, bob):
    client.force_login(bob)
    assert client.get("/o/alpha/webhooks/").status_code == 403
