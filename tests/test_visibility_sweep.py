"""Rule 2 of DESIGN.md, tried on every URL pattern of an organization.

In every loop, interviewer Ada has submitted her scorecard, and so has Lin, who shadows the
interview, and the reader has a draft (on the panel, or shadowing it too). Whatever the reader
asks for (a page, its HTMX partial, a form sent back empty), no response holds Ada's or Lin's
notes, summary, scores or recommendation: their texts never appear, and changing their scores
and recommendations changes no byte of what the reader gets.
"""

import io
import re
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Role
from candidates.models import Loop
from debriefs.models import Debrief, DebriefNote
from guides.models import Recommendation
from references.models import ReferenceCheck
from scorecards.models import QuestionNote, Rating, Scorecard
from tests.factories import member, reveal, schedule, submit
from tests.sweep import URL_CASES, all_routes, url_for

pytestmark = pytest.mark.django_db

ORG_ROUTES = [r for r in all_routes() if r.in_organization]
# Ada's note for the next interviewers too: it crosses rule 2 only to later stages of the loop
# (tests/scorecards/test_handoff.py), never to an interviewer of her own stage.
SECRETS = (
    "Ada-secret-note",
    "Ada-secret-summary",
    "Ada-secret-question-note",
    "Ada-secret-handoff-note",
)
# What others wrote in the loop's debrief and reference calls: hidden alike until one's own
# feedback is in.
LOOP_SECRETS = ("Ada-secret-debrief-note", "Reference-secret-answer", "Reference-secret-reason")


def held_yesterday(loop, interviewers, shadows=()):
    """An interview of the loop held yesterday, on a stage it has not held yet."""
    taken = loop.interviews.values_list("stage", flat=True)
    stage = loop.guide_version.stages.exclude(pk__in=taken).first()
    return schedule(
        loop,
        stage=stage,
        interviewers=interviewers,
        shadows=shadows,
        starts_at=timezone.now() - timedelta(days=1),
    )


def share_a_loop_with_ada(org, reader, *, reader_shadows=False):
    """In each loop of `org`, an interview held yesterday on a stage still free: Ada's
    scorecard and Lin's (a shadow's) submitted with the secrets, and the reader's a draft, on
    the panel or (`reader_shadows`) shadowing it."""
    ada = member(org, Role.INTERVIEWER, full_name="Ada Submitted")
    lin = member(org, Role.INTERVIEWER, full_name="Lin Shadowing")
    panel, shadows = ([ada], [reader, lin]) if reader_shadows else ([ada, reader], [lin])
    for loop in Loop.objects.filter(job__organization=org):
        interview = held_yesterday(loop, panel, shadows)
        stage = interview.stage
        for author in (ada, lin):
            card = submit(
                interview.scorecards.get(interviewer=author),
                recommendation=Recommendation.STRONG_HIRE,
                summary=SECRETS[1],
                score=4,
            )
            card.ratings.update(note=SECRETS[0])
            Scorecard.objects.filter(pk=card.pk).update(next_note=SECRETS[3])
            for question in stage.questions.all():
                QuestionNote.objects.create(scorecard=card, question=question, text=SECRETS[2])
        debrief, _ = Debrief.objects.get_or_create(loop=loop)
        for question in loop.guide_version.debrief_questions.all():
            DebriefNote.objects.create(
                debrief=debrief, question=question, author=ada, text=LOOP_SECRETS[0]
            )
        check = ReferenceCheck.objects.create(
            loop=loop, name="Ref", rehire_score=9, rehire_reason=LOOP_SECRETS[2]
        )
        check.write(
            {
                f"answer-{question.pk}": LOOP_SECRETS[1]
                for question in loop.guide_version.reference_questions.all()
            }
        )
    return ada


def ada_changes_her_mind(ada):
    """Ada, and Lin who shadows beside her, change every score and recommendation."""
    cards = Scorecard.objects.filter(
        interviewer__full_name__in=["Ada Submitted", "Lin Shadowing"],
        interviewer__memberships__organization__in=ada.memberships.values("organization"),
    )
    cards.update(recommendation=Recommendation.STRONG_NO_HIRE)
    Rating.objects.filter(scorecard__in=cards).update(score=1)


def responses(client, url):
    """What the reader gets for the URL (see `comparable`), each request rolled back so that
    none changes the next."""
    answers = []
    for method, headers in (
        (client.get, {}),
        (client.get, {"HX-Request": "true"}),
        (client.post, {}),
        (client.post, {"HX-Request": "true"}),
    ):
        with transaction.atomic():
            response = method(url, headers=headers)
            transaction.set_rollback(True)
        answers.append(comparable(response))
    return answers


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if response.get("Content-Type") == "application/pdf":
        # What a reader of the PDF sees: two renders of the same text differ in their bytes.
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return content.decode(errors="replace")


def comparable(response) -> str:
    """The response without what differs between two requests anyway: tokens, the clock, and
    the messages that an earlier request left for the next page."""
    # A redirect to a new object names an id that the rolled-back sequence does not give again.
    location = re.sub(r"\d+", "N", response.get("Location", ""))
    text = f"{response.status_code} {location} {body(response)}"
    text = re.sub(r'(csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]+"', r"\1", text)
    text = re.sub(r"<time[^>]*>.*?</time>", "<time>", text)
    text = re.sub(r"Saved \d\d:\d\d", "Saved", text)
    text = re.sub(r"DTSTAMP:\w+", "DTSTAMP:", text)
    text = re.sub(r'<div id="flash".*?</div>', "", text, flags=re.S)
    return re.sub(r"(overdue by|due in) [^<.]*", r"\1", text)


@pytest.mark.parametrize("reader", ["admin", "interviewer", "shadow"])
@pytest.mark.parametrize("route", ORG_ROUTES, ids=lambda r: r.name)
def test_a_drafting_interviewer_learns_nothing_of_a_submitted_scorecard(
    route, reader, client, org, alice, bob
):
    # Alice (the admin, who reads every loop's feedback) and Bob (an interviewer, on the panel
    # or shadowing it) each read with a draft of their own in every loop.
    shadows = reader == "shadow"
    reader = alice if reader == "admin" else bob
    kwargs = URL_CASES[route.name].make(org) if route.object_params else {}
    ada = share_a_loop_with_ada(org, reader, reader_shadows=shadows)
    url = url_for(route, org_slug=org.slug, **kwargs)
    client.force_login(reader)
    before = responses(client, url)
    for answer in before:
        assert not any(secret in answer for secret in SECRETS + LOOP_SECRETS), url
    ada_changes_her_mind(ada)
    after = responses(client, url)
    for first, second in zip(before, after, strict=True):
        assert first == second, f"{url} shows Ada's scores"


def test_the_sweep_would_see_a_leak(client, org, alice):
    """The control: once the reader's own feedback is in, Ada's shows, so the checks above
    look at pages that would hold it."""
    make = URL_CASES["candidates:loop-detail"].make
    loop_pk = make(org)["pk"]
    ada = share_a_loop_with_ada(org, alice)
    client.force_login(alice)
    for card in Scorecard.objects.filter(interviewer=alice, interview__loop=loop_pk):
        submit(card)
    reveal(Loop.objects.get(pk=loop_pk))
    loop_page = client.get(f"/o/{org.slug}/loops/{loop_pk}/")
    assert "Strong Hire" in loop_page.text
    interview = Scorecard.objects.get(interviewer=ada, interview__loop=loop_pk).interview
    kit = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert all(secret in kit.text for secret in SECRETS)
    before = comparable(kit)
    ada_changes_her_mind(ada)
    assert comparable(client.get(f"/o/{org.slug}/interviews/{interview.pk}/")) != before
    debrief = client.get(f"/o/{org.slug}/loops/{loop_pk}/debrief/")
    assert all(secret in debrief.text for secret in LOOP_SECRETS)
