"""The pages' query counts, pinned at realistic sizes: no N+1."""

import re

import pytest

from accounts.models import Role
from tests.factories import InvitationFactory, make_job, make_loop, member, schedule, submit

pytestmark = pytest.mark.django_db

# The user, and the user's memberships with their organizations (the one of the page's
# organization, and the header's switcher): every page under /o/<slug>/ starts with these. The
# session comes from Redis.
BASE = 2


@pytest.mark.parametrize("size", [5, 150])
def test_the_members_page_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    for _ in range(size):
        member(org, Role.INTERVIEWER)
    for _ in range(size // 5):
        InvitationFactory(organization=org)
    client.force_login(alice)
    # + memberships with users, invitations with inviters
    with django_assert_num_queries(BASE + 2):
        response = client.get(f"/o/{org.slug}/members/")
    assert response.text.count('<tr id="member-') == size + 1


def test_the_home_page_costs_one_query_per_list(client, org, alice, django_assert_num_queries):
    client.force_login(alice)
    # + an admin's eleven to-do lists (tests/workspace/test_home.py shows the count does not
    # grow with them), the twelfth, training, with no open job
    with django_assert_num_queries(BASE + 12):
        client.get(f"/o/{org.slug}/")


@pytest.mark.parametrize("size", [3, 40])
def test_the_search_costs_one_query_per_kind_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    job = make_job(org, title="Search Engineer")
    for _ in range(size):
        loop = make_loop(org, job=job)
        schedule(loop, interviewers=[alice])
    client.force_login(alice)
    # + candidates, jobs, guides, loops
    with django_assert_num_queries(BASE + 4):
        page = client.get(f"/o/{org.slug}/search/", {"q": "engineer"})
    assert "Search Engineer" in page.text
    # As one types: the same four.
    with django_assert_num_queries(BASE + 4):
        client.get(f"/o/{org.slug}/search/", {"q": "candidate"}, headers={"HX-Request": "true"})


@pytest.mark.parametrize(("loops", "interviewers"), [(2, 1), (5, 3)])
def test_comparing_candidates_costs_the_same_for_any_number_of_them(
    client, org, alice, loops, interviewers, django_assert_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from tests.factories import reveal

    job = make_job(org)
    panel = [member(org) for _ in range(interviewers)]
    picked = []
    for n in range(loops):
        loop = make_loop(org, job=job)
        interview = schedule(loop, interviewers=panel, starts_at=timezone.now() - timedelta(1))
        for card in interview.scorecards.all():
            submit(card)
        if n % 2:
            reveal(loop, by=alice)
        picked.append(str(loop.pk))
    client.force_login(alice)
    # + the job, its loops; what the viewer owes, the debriefs, the readable cards with ratings,
    # notes and amendments, the changed recommendations; the guide's competencies and outcomes
    with django_assert_num_queries(BASE + 2 + 2 + 4 + 1 + 2):
        page = client.get(f"/o/{org.slug}/jobs/{job.pk}/compare/", {"loop": picked})
    assert page.status_code == 200


def test_a_role_change_costs_a_fixed_number_of_queries(
    client, org, alice, bob, django_assert_num_queries
):
    from accounts.models import Membership

    pk = Membership.objects.get(user=bob).pk
    client.force_login(alice)
    # + the membership; savepoint, lock the admins, update, release
    with django_assert_num_queries(BASE + 5):
        response = client.post(
            f"/o/{org.slug}/members/{pk}/role/",
            {"role": "recruiter"},
            headers={"HX-Request": "true"},
        )
    assert response.status_code == 200


GUIDE_PAGES = {
    "builder": "edit/",
    "stage editor": "edit/stages/{stage}/",
    "read and print": "v1/",
    "publish checks": "edit/publish/",
    "versions": "",
}


@pytest.mark.parametrize("page", GUIDE_PAGES)
def test_the_guide_pages_cost_the_same_for_any_guide_size(client, org, alice, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_guide

    small = make_guide(org, stages=1, questions=1)
    large = make_guide(org, stages=6, questions=8)
    client.force_login(alice)
    counts = []
    for version in (small, large):
        path = GUIDE_PAGES[page].format(stage=version.stages.first().pk)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/o/{org.slug}/guides/{version.guide_id}/{path}")
        assert response.status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], f"{page}: {counts}"
    assert counts[1] == BASE + PINNED[page], f"{page}: {counts[1]} queries"


# Beyond BASE: the guide (and the draft), the version and its eleven kinds of parts; a stage's
# editor reads only its stage's parts. The builder reads the draft once and its eleven kinds
# of parts.
PINNED = {
    "builder": 13,
    "stage editor": 11,
    "read and print": 13,
    "publish checks": 14,
    "versions": 2,
}


def test_a_published_guide_reads_without_its_parts_once_rendered(
    client, org, alice, django_assert_num_queries
):
    from tests.factories import make_guide

    client.force_login(alice)
    for size in (1, 6):
        version = make_guide(org, publish=True, stages=size, questions=size)
        path = f"/o/{org.slug}/guides/{version.guide_id}/v1/"
        first = client.get(path).text
        # + the guide, the version: its document was kept.
        with django_assert_num_queries(BASE + 2):
            again = client.get(path).text
        document = first.index('<header class="doc-head">')
        assert again[document:] == first[document:]


@pytest.mark.parametrize("size", [3, 60])
def test_the_guide_list_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    from tests.factories import make_guide

    for n in range(size):
        make_guide(org, title=f"Role {n}", stages=1, questions=1)
    client.force_login(alice)
    # + the count for the pager, the page's guides with their editors
    with django_assert_num_queries(BASE + 2):
        response = client.get(f"/o/{org.slug}/guides/")
    assert response.text.count("/edit/") == 0 and response.text.count("<tr>") == min(size, 50) + 1


def _pipeline(org, size):
    from datetime import timedelta

    from django.utils import timezone

    interviewers = [member(org) for _ in range(3)]
    job = make_job(org)
    stages = list(job.guide_version.stages.all())
    for n in range(size):
        loop = make_loop(org, job=job)
        if n % 2:
            when = timezone.now() + timedelta(days=(n % 5) - 3)
            interview = schedule(
                loop, interviewers=interviewers[:2], stage=stages[n % 2], starts_at=when
            )
            if n % 3 == 0:
                submit(interview.scorecards.first())
    return job, interviewers


@pytest.mark.parametrize("size", [3, 200])
def test_the_job_pipeline_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    job, _ = _pipeline(org, size)
    client.force_login(alice)
    # + job, loops with progress, their stages, interviews, scorecards, progress counts
    with django_assert_num_queries(BASE + 6):
        response = client.get(f"/o/{org.slug}/jobs/{job.pk}/")
    assert response.text.count('<tr id="loop-') == min(size, 50)


@pytest.mark.parametrize("size", [10, 2000])
def test_the_candidate_list_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    from candidates.models import Candidate

    candidates = Candidate.objects.bulk_create(
        Candidate(organization=org, name=f"Person {n}", email=f"p{n}@example.test")
        for n in range(size)
    )
    job = make_job(org)
    for candidate in candidates[::3]:
        make_loop(org, job=job, candidate=candidate)
    client.force_login(alice)
    # + count, page of candidates, their loops with jobs
    with django_assert_num_queries(BASE + 3):
        response = client.get(f"/o/{org.slug}/candidates/", {"page": "2"} if size > 50 else {})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [5, 50])
def test_my_interviews_costs_the_same_at_any_size(
    client, org, alice, size, django_assert_num_queries
):
    _, interviewers = _pipeline(org, size * 2)
    client.force_login(interviewers[0])
    # + upcoming, owed, submitted; the calibration: the loops the
    # member owes feedback in (insights.access.owed_loops), then the organization's ratings in
    # one sum, the member's loops' ratings (2) unless they are cached from an earlier visit
    with django_assert_num_queries(BASE + 6):
        response = client.get(f"/o/{org.slug}/my-interviews/")
    assert response.text.count("/interviews/") >= size // 2
    # Then kept, until what it counts changes.
    with django_assert_num_queries(BASE + 4):
        again = client.get(f"/o/{org.slug}/my-interviews/")
    assert again.text.split("My calibration")[1] == response.text.split("My calibration")[1]


def test_the_loop_and_interview_pages_cost_a_fixed_number_of_queries(
    client, org, alice, django_assert_max_num_queries
):
    job, interviewers = _pipeline(org, 4)
    loop = job.loops.filter(interviews__isnull=False).first()
    interview = loop.interviews.first()
    client.force_login(alice)
    # + the submitted feedback with its ratings, notes and amendments (4); the debrief and the
    # reference calls (2); the reminders sent (1); the member's packet (1); the take-home's
    # hand-ins (1)
    with django_assert_max_num_queries(BASE + 15):
        client.get(f"/o/{org.slug}/loops/{loop.pk}/")
    # The kit: + the notes for the next interviewers and the loop's take-homes (2); the guide
    # panel's competencies, outcomes and FAQ, the questions' tags (4)
    with django_assert_max_num_queries(BASE + 19):
        client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    # The candidate: + the readable scorecards with their ratings, the guides' competencies
    # and outcomes, for the summary per competency (4)
    with django_assert_max_num_queries(BASE + 10):
        client.get(f"/o/{org.slug}/candidates/{loop.candidate.pk}/")


def _stage_of_size(org, criteria: int, questions: int, interviewers, *, fill=True):
    """An interview held an hour ago on a stage grown to `criteria` and `questions`, each
    interviewer's scorecard half filled in (`fill`)."""
    from datetime import timedelta

    from django.utils import timezone

    from guides.models import Criterion, Question, QuestionPoint
    from scorecards.models import QuestionNote, Rating

    loop = make_loop(org)
    stage = loop.guide_version.stages.first()
    for n in range(criteria - stage.criteria.count()):
        Criterion.objects.create(
            version=stage.version,
            stage=stage,
            name=f"Extra {n}",
            **{f"anchor_{s}": f"Anchor {s}" for s in range(5)},
        )
    for n in range(questions - stage.questions.count()):
        question = Question.objects.create(stage=stage, text=f"Extra question {n}?")
        QuestionPoint.objects.create(question=question, text="An area", kind="area")
    interview = schedule(
        loop, interviewers=interviewers, starts_at=timezone.now() - timedelta(hours=1)
    )
    for card in interview.scorecards.all() if fill else []:
        for criterion in stage.criteria.all()[: criteria // 2]:
            Rating.objects.create(scorecard=card, criterion=criterion, score=2, note="Fine.")
        for question in stage.questions.all()[: questions // 2]:
            QuestionNote.objects.create(scorecard=card, question=question, text="Said so.")
    return interview


@pytest.mark.parametrize(("criteria", "questions"), [(2, 2), (10, 6)])
def test_the_kit_and_an_autosave_cost_the_same_at_any_size(
    client, org, bob, criteria, questions, django_assert_num_queries
):
    ada = member(org, Role.INTERVIEWER)
    interview = _stage_of_size(org, criteria, questions, [bob, ada])
    card = interview.scorecards.get(interviewer=bob)
    client.force_login(bob)
    # + the interview, the stage with its questions, points and criteria (4), the
    # interviewers' scorecards, the loop's feedback, my ratings and question notes, the notes
    # for the next interviewers and the loop's take-homes; the guide panel's competencies,
    # outcomes and FAQ, the questions' competencies (4); Bob's drafts for the loop's other
    # interviews, which keep the others' feedback hidden too (1)
    with django_assert_num_queries(BASE + 16):
        response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert response.text.count('type="radio"') == criteria * 5 + 4
    # A published version never changes: the stage, its questions and criteria with what they
    # probe and measure, and the guide panel come from the cache after the first (8).
    with django_assert_num_queries(BASE + 8):
        again = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    csrf_token = re.compile(r'(?<=csrfmiddlewaretoken" value=")[^"]+|(?<="X-CSRFToken": ")[^"]+')
    assert csrf_token.sub("", again.text) == csrf_token.sub("", response.text)
    criterion = interview.stage.criteria.last()
    written = card.ratings.filter(criterion=criterion).values_list("note", flat=True).first()
    # + savepoint, the locked scorecard, the stage's criteria and questions (the first time),
    # the note (to compare with the page's base), the rating to change, its insert or update,
    # the scorecard, release
    with django_assert_num_queries(BASE + 9):
        response = client.post(
            f"/o/{org.slug}/scorecards/{card.pk}/field/",
            {f"note-{criterion.pk}": "Calm.", "base": written or ""},
        )
    assert response.status_code == 200
    # A summary is the scorecard's own: + savepoint, the locked scorecard, its update, release
    with django_assert_num_queries(BASE + 4):
        response = client.post(
            f"/o/{org.slug}/scorecards/{card.pk}/field/", {"summary": "Calm.", "base": ""}
        )
    assert response.status_code == 200


@pytest.mark.parametrize("criteria", [2, 10])
def test_reading_submitted_feedback_costs_the_same_at_any_size(
    client, org, alice, bob, criteria, django_assert_num_queries
):
    ada = member(org, Role.INTERVIEWER)
    interview = _stage_of_size(org, criteria, 6, [bob, ada], fill=False)
    for card in interview.scorecards.all():
        submit(card)
    client.force_login(bob)
    # The kit with Bob's own feedback and Ada's: + both with their ratings, notes, amendments;
    # the notes for the next interviewers and the loop's take-homes; the guide panel and the
    # questions' competencies (4)
    with django_assert_num_queries(BASE + 17):
        response = client.get(f"/o/{org.slug}/interviews/{interview.pk}/")
    assert "Amend" in response.text
    client.force_login(alice)
    card = interview.scorecards.get(interviewer=ada)
    # + the scorecard with its contents (4), the debrief's phase for rule 3 (1), the loop (1)
    with django_assert_num_queries(BASE + 6):
        client.get(f"/o/{org.slug}/scorecards/{card.pk}/")


def _debrief_of_size(org, alice, *, stages: int, per_stage: int, criteria: int, references: int):
    """A loop with `stages` interviews held, each by `per_stage` interviewers who submitted a
    scorecard rating all `criteria` of its stage (named alike across stages, so that the
    "across stages" table shows too); every interviewer's notes on each debrief question, a
    recommendation changed after the reveal, `references` reference calls with every rating
    and answer filled in; the debrief revealed. Answers the loop and its interviewers."""
    from datetime import timedelta

    from django.utils import timezone

    from debriefs.models import DebriefNote, RecommendationChange
    from guides.models import Criterion, DebriefQuestion, ReferenceQuestion
    from references.models import ReferenceCheck
    from tests.factories import make_guide, reveal

    anchors = {f"anchor_{s}": f"Anchor {s}" for s in range(5)}
    version = make_guide(org, publish=True, stages=stages)
    loop = make_loop(org, job=make_job(org, version=version))
    interviewers = []
    for n, stage in enumerate(version.stages.filter(kind="interview")):
        for k in range(criteria - stage.criteria.count()):
            Criterion.objects.create(
                version=version, stage=stage, name=f"Shared {k}", position=10 + k, **anchors
            )
        people = [member(org) for _ in range(per_stage)]
        interviewers += people
        interview = schedule(
            loop,
            interviewers=people,
            stage=stage,
            starts_at=timezone.now() - timedelta(days=stages - n),
        )
        for m, card in enumerate(interview.scorecards.order_by("pk")):
            submit(card, recommendation=1 + (m + n) % 4, score=1 + (m + n) % 4)
    debrief = reveal(loop)
    for n in range(references - 1):
        DebriefQuestion.objects.create(version=version, text=f"Extra debrief question {n}?")
        ReferenceQuestion.objects.create(version=version, text=f"Extra reference question {n}?")
        Criterion.objects.create(version=version, name=f"Reference extra {n}", **anchors)
    for question in DebriefQuestion.objects.filter(version=version):
        for person in [alice, *interviewers]:
            DebriefNote.objects.create(
                debrief=debrief, question=question, author=person, text=f"{person.pk} thinks so."
            )
    first = interviewers[0].scorecards.get()
    RecommendationChange.objects.create(
        debrief=debrief,
        scorecard=first,
        author=interviewers[0],
        before=first.recommendation,
        after=4,
        reason="The discussion convinced me.",
    )
    reference_criteria = Criterion.objects.filter(version=version, stage=None)
    reference_questions = ReferenceQuestion.objects.filter(version=version)
    for n in range(references):
        check = ReferenceCheck.objects.create(
            loop=loop, name=f"Reference {n}", relationship="Manager", called_by=alice
        )
        check.write(
            {
                **{f"score-{c.pk}": (n + c.pk) % 5 for c in reference_criteria},
                **{f"note-{c.pk}": f"Note {n}." for c in reference_criteria},
                **{f"answer-{q.pk}": f"Answer {n}." for q in reference_questions},
                "rehire_score": 8,
                "rehire_reason": "Dependable.",
            }
        )
    return loop, interviewers


DEBRIEF_SIZES = {
    "2 interviewers × 2 criteria, 1 reference": dict(
        stages=1, per_stage=2, criteria=2, references=1
    ),
    "6 interviewers × 10 criteria, 2 references": dict(
        stages=3, per_stage=2, criteria=10, references=2
    ),
}


def _score_cells(stages, per_stage, criteria, references):
    """The scored cells the revealed debrief shows: each stage's interviewers × criteria; the
    same again across stages, where each criterion is in one row (its competency's, or its own
    name's); the references' criteria (1 + references - 1) × references."""
    across = stages * per_stage * criteria
    return stages * per_stage * criteria + across + references * references


# Beyond BASE, on the revealed debrief: the loop with whether the reader interviews in it, the
# debrief, the loop's feedback (rule 2, with the debrief's phase), the roster's scorecards, the
# debrief questions; the readable scorecards with their ratings, question notes and amendments
# (4); the reference summary: checks, their ratings, their answers, the reference criteria (4);
# the debrief's notes with authors, the recommendation changes; the guide's competencies and
# outcomes (the rows across stages, the role's summary), however many there are. The
# facilitator's decision form adds the debrief's chosen other jobs (debriefs.forms.other_jobs),
# and in the template whether other open jobs exist and the jobs themselves to tick (the
# organization has some here). A reader of the job's insights adds the loops they owe feedback
# in (insights.access.owed_loops) and, unless cached, the ratings it counts.
DEBRIEF_PINNED = {"admin": 22, "interviewer": 17}


@pytest.mark.parametrize("reader", DEBRIEF_PINNED)
def test_the_revealed_debrief_costs_the_same_at_any_size(
    client, org, alice, reader, django_assert_num_queries
):
    make_job(org, title="Analyst")  # another open job to consider the candidate for
    counts = []
    for shape in DEBRIEF_SIZES.values():
        loop, interviewers = _debrief_of_size(org, alice, **shape)
        client.force_login(alice if reader == "admin" else interviewers[0])
        with django_assert_num_queries(BASE + DEBRIEF_PINNED[reader]) as captured:
            response = client.get(f"/o/{org.slug}/loops/{loop.pk}/debrief/")
        counts.append(len(captured))
        assert response.status_code == 200
        text = response.text
        assert text.count('<td class="cell"') == _score_cells(**shape)
        assert 'id="recommendations"' in text and "The discussion convinced me." in text
        assert "Reference calls" in text and f"Reference {shape['references'] - 1}" in text
        assert ("Record the decision" in text) == (reader == "admin")
        assert ("Change my recommendation" in text) == (reader == "interviewer")
    assert counts[0] == counts[1], counts


def _references(org, alice, count: int, *, extra_parts: int = 0):
    """A loop with `count` reference calls, every rating and answer filled in, its guide given
    `extra_parts` more reference criteria and questions."""
    from guides.models import Criterion, ReferenceQuestion
    from references.models import ReferenceCheck

    loop = make_loop(org)
    version = loop.guide_version
    for n in range(extra_parts):
        ReferenceQuestion.objects.create(version=version, text=f"Extra reference question {n}?")
        Criterion.objects.create(version=version, name=f"Reference extra {n}")
    criteria = list(Criterion.objects.filter(version=version, stage=None))
    questions = list(ReferenceQuestion.objects.filter(version=version))
    checks = []
    for n in range(count):
        check = ReferenceCheck.objects.create(loop=loop, name=f"Reference {n}", called_by=alice)
        check.write(
            {
                **{f"score-{c.pk}": 3 for c in criteria},
                **{f"note-{c.pk}": "Fine." for c in criteria},
                **{f"answer-{q.pk}": "Said so." for q in questions},
                "rehire_score": 7,
                "rehire_reason": "Reliable.",
            }
        )
        checks.append(check)
    return loop, checks


def test_the_reference_summary_costs_the_same_for_any_number_of_references(
    client, org, alice, django_assert_num_queries
):
    client.force_login(alice)
    counts = []
    for size in (1, 5):
        loop, _ = _references(org, alice, size)
        # + the loop, the loop's feedback (rule 2), the reference checks, their ratings with
        # criteria, their answers with questions, the reference criteria
        with django_assert_num_queries(BASE + 6) as captured:
            response = client.get(f"/o/{org.slug}/loops/{loop.pk}/references/")
        counts.append(len(captured))
        assert response.text.count("<strong>7</strong>/10") == size
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("extra_parts", [0, 8])
def test_a_reference_call_and_its_autosave_cost_a_fixed_number_of_queries(
    client, org, alice, extra_parts, django_assert_num_queries
):
    _, (check,) = _references(org, alice, 1, extra_parts=extra_parts)
    client.force_login(alice)
    # + savepoint, the check with its loop, the loop's feedback (rule 2), the reference
    # questions, the reference criteria, the check's ratings, its answers, release
    with django_assert_num_queries(BASE + 8):
        response = client.get(f"/o/{org.slug}/references/{check.pk}/")
    assert response.text.count('type="radio"') == (1 + extra_parts) * 5 + 10
    criterion = check.ratings.first().criterion_id
    # + savepoint, the locked check, the loop's feedback, the reference questions and criteria
    # (for the form), the rating to change, its update, the check's update, release
    with django_assert_num_queries(BASE + 9):
        response = client.post(
            f"/o/{org.slug}/references/{check.pk}/field/",
            {f"score-{criterion}": "1", "revision": str(check.revision)},
        )
    assert response.status_code == 200
    assert check.ratings.get(criterion_id=criterion).score == 1


def test_the_loop_page_with_references_costs_a_fixed_number_of_queries(
    client, org, alice, django_assert_max_num_queries
):
    client.force_login(alice)
    for shape in DEBRIEF_SIZES.values():
        loop, _ = _debrief_of_size(org, alice, **shape)
        # + the loop, the loop's feedback, the readable feedback with its ratings, notes and
        # amendments (4), the interviews with their scorecards (2), the stages, the debrief,
        # the reference summary (4), the reminders sent, the member's packet
        with django_assert_max_num_queries(BASE + 16):
            response = client.get(f"/o/{org.slug}/loops/{loop.pk}/")
        assert "References side by side" in response.text


def test_the_packet_card_and_its_poll_cost_the_same_at_any_size(
    client, org, alice, django_assert_num_queries
):
    """The card the loop page polls every second while a packet renders, and the one that
    offers a ready packet (which also asks whether the loop changed since)."""
    from django.utils import timezone

    from candidates.models import Packet

    client.force_login(alice)
    for shape in DEBRIEF_SIZES.values():
        loop, _ = _debrief_of_size(org, alice, **shape)
        packet = Packet.objects.create(loop=loop, requested_by=alice)
        # + the loop, the loop's feedback (rule 2), the member's latest packet
        with django_assert_num_queries(BASE + 3):
            response = client.get(
                f"/o/{org.slug}/loops/{loop.pk}/packet/", headers={"HX-Request": "true"}
            )
        assert "every 1s" in response.text
        Packet.objects.filter(pk=packet.pk).update(
            status="ready", file="packets/x.pdf", pages=12, content_as_of=timezone.now()
        )
        # + the loop's latest change
        with django_assert_num_queries(BASE + 4):
            response = client.get(
                f"/o/{org.slug}/loops/{loop.pk}/packet/", headers={"HX-Request": "true"}
            )
        assert "Download the packet" in response.text


# The insights pages: + the job (on the job's page), the guide versions to filter by, the loops
# the member owes feedback in (insights.access.owed_loops), the ratings, the scorecards with
# their interviews, loops and debriefs (insights.reports). The figures are worked out in numpy
# from those, and cached with the filters' HTML: a second visit reads none of the ratings, the
# scorecards or the versions.
INSIGHTS_PINNED = 4


@pytest.mark.parametrize("loops", [3, 12])
def test_the_insights_pages_cost_the_same_however_many_loops(
    client, org, alice, loops, django_assert_num_queries
):
    from datetime import timedelta

    from django.utils import timezone

    from debriefs import meeting
    from tests.factories import reveal
    from tests.html import visible_text

    ada, grace = member(org, Role.INTERVIEWER), member(org, Role.INTERVIEWER)
    job = make_job(org, hiring_manager=alice)
    held = timezone.now() - timedelta(days=2)
    for n in range(loops):
        loop = make_loop(org, job=job)
        interview = schedule(loop, interviewers=[ada, grace], starts_at=held)
        submit(interview.scorecards.get(interviewer=ada), score=1 + n % 4)
        submit(interview.scorecards.get(interviewer=grace), score=1 + (n + 1) % 4)
        debrief = reveal(loop, by=alice)
        values = debrief.decision_values() | {"decision": "hire", "rationale": "Good."}
        meeting.decide(debrief=debrief, user=alice, values=values)
    client.force_login(alice)
    with django_assert_num_queries(BASE + INSIGHTS_PINNED):
        response = client.get(f"/o/{org.slug}/insights/")
    assert f"Agreement over {loops} loops" in visible_text(response)
    with django_assert_num_queries(BASE + INSIGHTS_PINNED - 3):
        again = client.get(f"/o/{org.slug}/insights/")
    assert visible_text(again) == visible_text(response)
    # The job's page: + the job.
    with django_assert_num_queries(BASE + INSIGHTS_PINNED + 1):
        response = client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/")
    assert f"Agreement over {loops} loops" in visible_text(response)
    with django_assert_num_queries(BASE + INSIGHTS_PINNED + 1 - 3):
        client.get(f"/o/{org.slug}/jobs/{job.pk}/insights/")
