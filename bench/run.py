"""Benchmarks: pages served by gunicorn (2 workers) on PostgreSQL and Redis, as ratios to a
baseline measured in the same run. Not a test: it prints a table and asserts nothing.

    make bench            # or: .venv/bin/python bench/run.py --requests 400
    .venv/bin/python bench/run.py --scale 100   # the pages again beside 99 copies of Acme

The baseline is /healthz: the same middleware stack, one query and a cache round trip, no
session. A page's ratio says how many times slower than that it is, so that runs on different
machines compare.
"""

import argparse
import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# A database of its own on the server that DATABASE_URL names, dropped afterwards.
DATABASE = f"rubric_bench_{os.getpid()}"
SERVER = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/rubric").rsplit("/", 1)[
    0
]
ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DEBUG": "false",
    "HTTPS": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "127.0.0.1",
    "DATABASE_URL": f"{SERVER}/{DATABASE}",
    "CACHE_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    "EMAIL_URL": "consolemail://",
    "API_RATE_LIMIT": "1000000",
}
MEMBERS = 150
# Every session holds this CSRF token in its cookie, as a browser does once it has seen a page.
CSRF_TOKEN = secrets.token_hex(16)


class Page(NamedTuple):
    name: str
    path: str
    cookie: str | None = None  # whose session; the admin's when None
    form: str | None = None  # POSTed with the CSRF token when given, else a GET


def manage(*args):
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**os.environ, **ENV}, check=True
    )


def admin_sql(statement):
    import psycopg

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(statement)


def scopes_off(function):
    """Run `function` as the bench's set-up does: across organizations."""

    def run(*args, **kwargs):
        from django_scopes import scopes_disabled

        with scopes_disabled():
            return function(*args, **kwargs)

    return run


def prepare_database():
    """A fresh database with Acme grown to a realistic size; returns the admin's cookie."""
    admin_sql(f"CREATE DATABASE {DATABASE}")
    manage("migrate", "--noinput", "-v0")
    manage("collectstatic", "--noinput", "-v0")
    manage("seed_demo")

    os.environ.update(ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django_scopes import scopes_disabled

    from accounts.models import Invitation, Membership, Organization, Role, User

    with scopes_disabled():
        acme = Organization.objects.get(slug="acme")
        users = User.objects.bulk_create(
            User(email=f"bench{n}@acme.test", full_name=f"Bench Person {n}") for n in range(MEMBERS)
        )
        Membership.objects.bulk_create(
            Membership(organization=acme, user=user, role=Role.INTERVIEWER) for user in users
        )
        invitations = [
            Invitation(organization=acme, email=f"invitee{n}@acme.test") for n in range(30)
        ]
        for invitation in invitations:
            invitation.new_token()
        Invitation.objects.bulk_create(invitations)
        admin = User.objects.get(email="admin@acme.test")
        # The largest guide Acme has (the seed's, when it is beside the project), with a draft.
        from guides import versions
        from guides.models import Guide, Question

        guide = max(
            Guide.objects.filter(organization=acme),
            key=lambda g: Question.objects.filter(stage__version__guide=g).count(),
        )
        draft = versions.start_draft(guide=guide, user=admin)
        questions = Question.objects.filter(stage__version=draft).count()
        largest_stage = max(draft.stages.all(), key=lambda stage: stage.questions.count())
        PAGES.extend(
            [
                ("guide list", "/o/acme/guides/"),
                (f"guide builder ({questions} questions)", f"/o/acme/guides/{guide.pk}/edit/"),
                (
                    "stage editor (its largest stage)",
                    f"/o/acme/guides/{guide.pk}/edit/stages/{largest_stage.pk}/",
                ),
                ("guide read & print view", f"/o/acme/guides/{guide.pk}/v1/"),
            ]
        )
        PAGES.extend(grow_pipeline(acme, admin, users, guide))
        PAGES.extend(interview_kit(acme))
        PAGES.extend(debrief_and_references(acme, admin, users[-6:], guide))
        packet_rendering(acme, admin, users[10:20])
        PAGES.extend(api_lists(acme))
        PAGES.extend(insights_job(acme, users[30:60]))
    return login(admin)


FILLED = []  # (organizations, loops, seconds to copy, [(table, rows, bytes)] largest first)


@scopes_off
def fill(scale):
    """`scale - 1` copies of Acme as it now is, every row and its members (tests/copies.py),
    analysed; then what the database holds, table by table (bytes with indexes and TOAST)."""
    from django.db import connection

    from accounts.models import Organization
    from candidates.models import Loop
    from tests.copies import copy_organization

    began = time.perf_counter()
    if scale > 1:
        copy_organization(Organization.objects.get(slug="acme"), scale - 1, check_keys=False)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        seconds = time.perf_counter() - began
        cursor.execute(
            "SELECT relname, n_live_tup, pg_total_relation_size(relid) FROM pg_stat_user_tables "
            "ORDER BY 3 DESC"
        )
        FILLED.append((scale, Loop.objects.count(), seconds, cursor.fetchall()))


def login(user):
    """The cookie of a new session of the user's."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return (
        f"{settings.SESSION_COOKIE_NAME}={session.session_key}; "
        f"{settings.CSRF_COOKIE_NAME}={CSRF_TOKEN}"
    )


def grow_pipeline(acme, admin, interviewers, guide):
    """A job with 200 loops among 2,000 candidates, and 50 interviews of the admin's."""
    from datetime import timedelta

    from django.utils import timezone

    from candidates import scheduling
    from candidates.models import Candidate, Job, Loop
    from guides.models import GuideVersion

    version = GuideVersion.objects.filter(guide=guide, status="published").first()
    job = Job.objects.create(organization=acme, title="Bench Engineer", guide_version=version)
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=acme, name=f"Bench Candidate {n}", email=f"c{n}@bench.test")
        for n in range(2000)
    )
    loops = Loop.objects.bulk_create(
        Loop(candidate=candidate, job=job, guide_version=version) for candidate in candidates[:200]
    )
    stages = list(version.stages.all())
    start = timezone.now() - timedelta(days=20)
    for n, loop in enumerate(loops[:100]):
        when = start + timedelta(hours=9 * n)
        scheduling.schedule(
            loop=loop,
            stage=stages[n % len(stages)],
            slot=scheduling.Slot(starts_at=when, ends_at=when + timedelta(hours=1)),
            interviewers=[admin, interviewers[n % len(interviewers)]]
            if n % 2
            else [interviewers[n]],
            user=admin,
        )
    return [
        ("job pipeline (200 loops)", f"/o/acme/jobs/{job.pk}/"),
        ("candidate list (2,000, page 2)", "/o/acme/candidates/?page=2"),
        ("my interviews (50)", "/o/acme/my-interviews/"),
    ]


def interview_kit(acme):
    """The seed's Backend Developer interview with the most criteria and an open draft (Grace's,
    half filled in), as its interviewer: the kit, and autosaving its summary as the page does,
    with the text the page last knew (`base`) so that the save is checked against it."""
    from urllib.parse import urlencode

    from scorecards.models import Scorecard

    drafts = Scorecard.objects.filter(
        interview__loop__job__organization=acme,
        interview__loop__job__title="Backend Developer",
        status=Scorecard.Status.DRAFT,
        archived_at__isnull=True,
    ).select_related("interviewer", "interview__stage")
    draft = max(
        drafts, key=lambda card: (card.interview.stage.criteria.count(), card.ratings.count())
    )
    stage = draft.interview.stage
    criteria, questions = stage.criteria.count(), stage.questions.count()
    cookie = login(draft.interviewer)
    summary = "Calm under pressure."
    Scorecard.objects.filter(pk=draft.pk).update(summary=summary)
    return [
        Page(
            f"interview kit ({criteria} criteria, {questions} questions)",
            f"/o/acme/interviews/{draft.interview_id}/",
            cookie,
        ),
        Page(
            "autosave one field",
            f"/o/acme/scorecards/{draft.pk}/field/",
            cookie,
            urlencode({"summary": summary, "base": summary, "revision": 0}),
        ),
    ]


def debrief_and_references(acme, admin, interviewers, guide):
    """A loop of the largest guide held in full by `interviewers`, two to each of its three
    interview stages with the most criteria, every scorecard submitted with every criterion
    rated; the debrief revealed, with notes and a changed recommendation; five reference calls
    with every rating and answer. As the admin, who facilitates: the debrief and the summary
    of the references."""
    from datetime import timedelta

    from django.utils import timezone

    from candidates import scheduling
    from candidates.models import Candidate, Job, Loop
    from debriefs import meeting
    from debriefs.models import Debrief, DebriefNote
    from guides.models import Criterion, GuideVersion
    from references import calls
    from scorecards import submission
    from scorecards.models import Scorecard

    version = GuideVersion.objects.filter(guide=guide, status="published").first()
    job = Job.objects.create(organization=acme, title="Bench Debrief", guide_version=version)
    candidate = Candidate.objects.filter(
        organization=acme, email__endswith="@bench.test", loops__isnull=True
    ).first()
    loop = Loop.objects.create(candidate=candidate, job=job, guide_version=version)
    stages = sorted(
        version.stages.filter(kind="interview").prefetch_related("criteria", "questions"),
        key=lambda stage: -len(stage.criteria.all()),
    )[:3]
    start = timezone.now() - timedelta(days=3)
    for n, stage in enumerate(stages):
        when = start + timedelta(days=n)
        scheduling.schedule(
            loop=loop,
            stage=stage,
            slot=scheduling.Slot(starts_at=when, ends_at=when + timedelta(hours=1)),
            interviewers=interviewers[2 * n : 2 * n + 2],
            user=admin,
        )
    cards = list(
        Scorecard.objects.filter(interview__loop=loop)
        .select_related("interview__stage")
        .order_by("pk")
    )
    for m, card in enumerate(cards):
        stage = card.interview.stage
        values = {"recommendation": 1 + m % 4, "summary": "Solid overall."}
        for k, criterion in enumerate(stage.criteria.all()):
            values[f"score-{criterion.pk}"] = 1 + (m + k) % 4
            values[f"note-{criterion.pk}"] = "Clear examples."
        for question in stage.questions.all():
            values[f"question-{question.pk}"] = "Walked through it."
        submission.submit(scorecard=card, user=card.interviewer, values=values)
    debrief = Debrief.objects.create(loop=loop)
    meeting.reveal(debrief=debrief, user=admin)
    for question in version.debrief_questions.all():
        DebriefNote.objects.bulk_create(
            DebriefNote(debrief=debrief, question=question, author=person, text="Agreed on it.")
            for person in [admin, *interviewers]
        )
    meeting.change_recommendation(
        debrief=debrief,
        scorecard=cards[0],
        user=cards[0].interviewer,
        recommendation=4,
        reason="The discussion convinced me.",
    )
    criteria = list(Criterion.objects.filter(version=version, stage__isnull=True))
    questions = list(version.reference_questions.all())
    for n in range(5):
        check = calls.add(
            loop=loop,
            user=admin,
            details={"name": f"Bench Reference {n}", "relationship": "Manager"},
        )
        calls.save_call(
            check=check,
            values={
                **{f"score-{c.pk}": (n + k) % 5 for k, c in enumerate(criteria)},
                **{f"note-{c.pk}": "Saw it daily." for c in criteria},
                **{f"answer-{q.pk}": "A thoughtful answer." for q in questions},
                "rehire_score": 6 + n,
                "rehire_reason": "Dependable.",
            },
        )
    counts = sorted({len(stage.criteria.all()) for stage in stages})
    per_card = "–".join(str(count) for count in (counts[0], counts[-1])[: len(counts)])
    return [
        (
            f"debrief, {len(cards)} interviewers × {per_card} criteria (revealed)",
            f"/o/acme/loops/{loop.pk}/debrief/",
        ),
        ("reference summary, 5 references", f"/o/acme/loops/{loop.pk}/references/"),
    ]


def api_lists(acme):
    """Through the API with a read key: 100 loops with their stages and interviews, and 100
    submitted scorecards with their ratings' anchors (as many as there are)."""
    from api.keys import create_key

    _, token = create_key(organization=acme, name="Bench", can_write=False, user=None)
    return [
        Page("API: 100 loops", "/api/v1/loops?limit=100", f"Bearer {token}"),
        Page("API: submitted scorecards (100)", "/api/v1/scorecards?limit=100", f"Bearer {token}"),
    ]


def insights_job(acme, interviewers, loops=500, stages=5, criteria=10):
    """A job of `loops` past loops, each through `stages` interview stages of `criteria`
    criteria, two of `interviewers` on each, every scorecard submitted and every loop decided:
    bulk-created, as a workflow per scorecard would take an hour. Its insights page as the
    admin (tests/test_query_counts.py pins its queries, the same for any number of loops)."""
    import random
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone

    from candidates.models import Candidate, Interview, Job, Loop
    from debriefs.models import Debrief
    from guides.models import Criterion
    from scorecards.models import Rating, Scorecard
    from tests.factories import make_guide

    rng = random.Random(17)  # noqa: S311 (made-up scores)
    version = make_guide(acme, publish=True, title="Bench Insights", stages=stages)
    held_stages = list(version.stages.filter(kind="interview").order_by("position"))[:stages]
    competencies = list(version.competencies.all())
    for stage in held_stages:
        have = stage.criteria.count()
        Criterion.objects.bulk_create(
            Criterion(
                version=version,
                stage=stage,
                name=f"{stage.name} criterion {n}",
                position=n,
                measures_competency=competencies[n % len(competencies)],
            )
            for n in range(have, criteria)
        )
    per_stage = {stage.pk: list(stage.criteria.all()) for stage in held_stages}
    job = Job.objects.create(organization=acme, title="Bench Insights", guide_version=version)
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=acme, name=f"Insights Candidate {n}") for n in range(loops)
    )
    hired = [rng.random() < 0.25 for _ in candidates]
    made = Loop.objects.bulk_create(
        Loop(
            candidate=candidate,
            job=job,
            guide_version=version,
            status=Loop.Status.OFFER if hire else Loop.Status.REJECTED,
        )
        for candidate, hire in zip(candidates, hired, strict=True)
    )
    start = timezone.now() - timedelta(days=400)
    interviews = Interview.objects.bulk_create(
        Interview(
            loop=loop,
            stage=stage,
            starts_at=start + timedelta(hours=n * 3 + k),
            ends_at=start + timedelta(hours=n * 3 + k + 1),
        )
        for n, loop in enumerate(made)
        for k, stage in enumerate(held_stages)
    )
    cards = Scorecard.objects.bulk_create(
        (
            Scorecard(
                interview=interview,
                interviewer=person,
                status=Scorecard.Status.SUBMITTED,
                recommendation=rng.randint(1, 4),
                due_at=interview.ends_at + timedelta(hours=24),
                submitted_at=interview.ends_at + timedelta(hours=rng.uniform(1, 30)),
            )
            for interview in interviews
            for person in rng.sample(interviewers, 2)
        ),
        batch_size=2000,
    )
    strength = {loop.pk: rng.gauss(2.5, 0.8) for loop in made}
    stage_of = {interview.pk: interview for interview in interviews}
    Rating.objects.bulk_create(
        (
            Rating(
                scorecard=card,
                criterion=criterion,
                score=min(
                    4,
                    max(
                        0, round(strength[stage_of[card.interview_id].loop_id] + rng.gauss(0, 0.7))
                    ),
                ),
            )
            for card in cards
            for criterion in per_stage[stage_of[card.interview_id].stage_id]
        ),
        batch_size=5000,
    )
    decided = start + timedelta(days=200)
    Debrief.objects.bulk_create(
        Debrief(
            loop=loop,
            phase=Debrief.Phase.DECIDED,
            decision=Debrief.Decision.HIRE if hire else Debrief.Decision.NO_HIRE,
            revealed_at=decided,
            decided_at=decided,
        )
        for loop, hire in zip(made, hired, strict=True)
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    path = f"/o/acme/jobs/{job.pk}/insights/"
    ratings = Rating.objects.filter(scorecard__interview__loop__job=job).count()
    return [
        (
            f"job insights ({loops} loops × {stages} stages × 2 × {criteria}: {ratings:,} ratings)",
            path,
        )
    ]


PACKET_RUNS = 5
RENDERS = []  # (name, pages, median s, peak bytes), the plain document first: the baseline


def packet_rendering(acme, admin, interviewers):
    """The candidate packet of a loop of five interview stages, two interviewers each, every
    scorecard submitted with a few sentences per criterion and a note per question, rendered
    in this process as the admin; then a plain document of as many pages (paragraphs, page
    breaks) through WeasyPrint alone. Times are medians of PACKET_RUNS after a warm-up; the
    peak is tracemalloc's, on a run of its own: Python's heap, not Pango's C allocations."""
    import tracemalloc
    from datetime import timedelta

    from django.utils import timezone
    from django_scopes import scope
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    from accounts.models import Membership
    from candidates import scheduling
    from candidates.models import Candidate, Job, Loop
    from candidates.packets import render_packet
    from scorecards import submission
    from scorecards.models import Scorecard
    from tests.factories import make_guide

    version = make_guide(acme, publish=True, title="Bench Packet", stages=5, questions=4)
    job = Job.objects.create(organization=acme, title="Bench Packet", guide_version=version)
    candidate = Candidate.objects.create(organization=acme, name="Bench Packet Candidate")
    loop = Loop.objects.create(candidate=candidate, job=job, guide_version=version)
    stages = list(version.stages.filter(kind="interview").order_by("position"))
    start = timezone.now() - timedelta(days=10)
    for n, stage in enumerate(stages):
        when = start + timedelta(days=n)
        scheduling.schedule(
            loop=loop,
            stage=stage,
            slot=scheduling.Slot(starts_at=when, ends_at=when + timedelta(hours=1)),
            interviewers=interviewers[2 * n : 2 * n + 2],
            user=admin,
        )
    said = [
        "She framed the problem before touching the keyboard and asked who used the report.",
        "When the first approach stalled she named the trade-off and changed course calmly.",
        "Her example of the billing backfill had numbers: 40 million rows, two nights, no loss.",
        "She was vague on how the team caught the regression, even when I asked twice.",
        "Tests came first for the edge cases; the happy path she left for last on purpose.",
        "She credited her colleagues by name and was precise about her own part.",
    ]
    cards = list(Scorecard.objects.filter(interview__loop=loop).select_related("interview__stage"))
    for m, card in enumerate(cards):
        stage = card.interview.stage
        values = {
            "recommendation": 1 + m % 4,
            "summary": " ".join(said[(m + i) % len(said)] for i in range(4)),
        }
        for k, criterion in enumerate(stage.criteria.all()):
            values[f"score-{criterion.pk}"] = 1 + (m + k) % 4
            values[f"note-{criterion.pk}"] = " ".join(
                said[(m + k + i) % len(said)] for i in range(3)
            )
        for k, question in enumerate(stage.questions.all()):
            values[f"question-{question.pk}"] = (
                f"{said[(m + k) % len(said)]}\n- {said[(m + k + 3) % len(said)]}"
            )
        submission.submit(scorecard=card, user=card.interviewer, values=values)
    membership = Membership.objects.get(organization=acme, user=admin)

    def packet():
        with scope(organization=acme.pk):
            return render_packet(loop, membership).pages

    pages = packet()  # warm-up: fonts, templates, connections
    # A page nearly full of text, as the packet's are.
    paragraphs = "".join(f"<p>{' '.join(said[i:] + said[:i])}</p>" for i in range(7))
    plain = (
        f"<style>@page {{ size: {'A4' if acme.paper_size == 'a4' else 'letter'}; "
        "margin: 22mm 18mm 20mm } html { font: 9.5pt/1.4 'DejaVu Sans', sans-serif } "
        "section { break-after: page } section:last-child { break-after: auto }</style>"
        + f"<section>{paragraphs}</section>"
        * pages
    )

    def document():
        html = HTML(string=plain, url_fetcher=URLFetcher(allowed_protocols=["data"]))
        rendered = html.render()
        rendered.write_pdf()
        return len(rendered.pages)

    if document() != pages:
        raise SystemExit("The plain document does not come out at the packet's page count")

    def median_and_peak(render):
        times = []
        for _ in range(PACKET_RUNS):
            began = time.perf_counter()
            render()
            times.append(time.perf_counter() - began)
        tracemalloc.start()
        render()
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return statistics.median(times), peak

    RENDERS.append(("baseline: plain WeasyPrint document", pages, *median_and_peak(document)))
    RENDERS.append(
        (
            f"packet for {len(stages)} stages × 2 interviewers ({len(cards)} submitted scorecards)",
            pages,
            *median_and_peak(packet),
        )
    )


def serve(pages, admin, args):
    """Each page's (name, req/s, p95 ms) from a gunicorn of its own, after a warm-up that
    checks that every page answers 200."""
    port = free_port()
    server = start_gunicorn(port)
    try:
        for _, path, cookie, form in pages:
            measure(port, path, cookie or admin, 20, 2, form)
        return [
            (name, *measure(port, path, cookie or admin, args.requests, args.concurrency, form))
            for name, path, cookie, form in pages
        ]
    finally:
        server.terminate()
        try:
            server.wait(timeout=60)  # a busy machine's workers take a while to finish
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


REMINDERS = []  # (name, e-mails sent, batches of BATCH_SIZE, s, queries)
REMINDER_BATCH = []  # notifications.BATCH_SIZE, once Django is set up


@scopes_off
def reminder_runs(overdue=10_000):
    """`overdue` drafts a day past due, ten per interview of ten of the bench's members,
    reminded by one run of the periodic task into the in-memory outbox; then the run right
    after, which finds nothing to send. After the pages, so that their data stays as it was."""
    from datetime import timedelta

    from django.conf import settings
    from django.core import mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import Organization, User
    from candidates.models import Candidate, Interview, Job, Loop
    from scorecards import notifications
    from scorecards.models import Scorecard
    from tests.factories import make_guide

    acme = Organization.objects.get(slug="acme")
    interviewers = list(User.objects.filter(email__startswith="bench").order_by("pk")[20:30])
    version = make_guide(acme, publish=True, title="Bench Reminders", stages=1)
    stage = version.stages.first()
    job = Job.objects.create(organization=acme, title="Bench Reminders", guide_version=version)
    per_interview = len(interviewers)
    candidates = Candidate.objects.bulk_create(
        Candidate(organization=acme, name=f"Reminder Candidate {n}", email=f"r{n}@bench.test")
        for n in range(overdue // per_interview)
    )
    loops = Loop.objects.bulk_create(
        Loop(candidate=candidate, job=job, guide_version=version) for candidate in candidates
    )
    held = timezone.now() - timedelta(days=2)
    interviews = Interview.objects.bulk_create(
        Interview(loop=loop, stage=stage, starts_at=held, ends_at=held + timedelta(hours=1))
        for loop in loops
    )
    Scorecard.objects.bulk_create(
        (
            Scorecard(interview=interview, interviewer=person, due_at=held + timedelta(days=1))
            for interview in interviews
            for person in interviewers
        ),
        batch_size=2000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon: plans for the tables' real sizes
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    mail.outbox = []
    REMINDER_BATCH.append(notifications.BATCH_SIZE)
    for name in (f"reminders for {overdue:,} overdue scorecards", "the run right after"):
        with CaptureQueriesContext(connection) as captured:
            began = time.perf_counter()
            sent = notifications.send_feedback_reminders()
            seconds = time.perf_counter() - began
        batches = -(-sent // notifications.BATCH_SIZE)
        REMINDERS.append((name, sent, batches, seconds, len(captured)))
    # The demo's own overdue drafts (Grace's) are reminded too.
    if not overdue <= len(mail.outbox) == REMINDERS[0][1] or REMINDERS[1][1]:
        raise SystemExit(f"{len(mail.outbox)} reminders went out, for {overdue} overdue")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(port):
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env={**os.environ, **ENV},
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("gunicorn did not start")


TIMEOUT = [10]  # seconds a request may take, --timeout


def measure(port, path, cookie, requests, concurrency, form=None):
    """Sends `requests` GETs (POSTs of `form`, when given) over `concurrency` connections;
    answers (req/s, p95 ms). Any answer but 200 ends the bench."""
    latencies, errors, lock = [], [], threading.Lock()
    per_thread = requests // concurrency
    headers = {"Cookie": cookie, "Host": "127.0.0.1"}
    if cookie.startswith("Bearer "):  # an API key, not a session
        headers = {"Authorization": cookie, "Host": "127.0.0.1"}
    if form:
        headers |= {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": CSRF_TOKEN,
        }

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT[0])
        for _ in range(per_thread):
            start = time.perf_counter()
            conn.request("POST" if form else "GET", path, body=form, headers=headers)
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(response.status)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    if errors:
        raise SystemExit(f"{path} answered {sorted(set(errors))}")
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    return len(latencies) / wall, p95


PAGES = [  # (name, path) as the admin, or a Page
    ("baseline: /healthz", "/healthz"),
    ("organization home", "/o/acme/"),
    (f"members page ({MEMBERS + 6} members)", "/o/acme/members/"),
    ("organization settings", "/o/acme/settings/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=400, help="per page (bounded)")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument(
        "--overdue", type=int, default=10_000, help="overdue scorecards for the reminder run"
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="WORDS",
        help="measure only the pages whose name holds one of these (the baseline always)",
    )
    parser.add_argument(
        "--scale",
        type=int,
        default=1,
        help="then copy Acme until there are this many organizations like it, and measure the "
        "pages again",
    )
    parser.add_argument("--timeout", type=float, default=10, help="seconds, per request")
    parser.add_argument(
        "--keep",
        action="store_true",
        help="keep the database afterwards, for a profiler (its name and the pages are printed)",
    )
    args = parser.parse_args()
    TIMEOUT[0] = args.timeout

    try:
        admin = prepare_database()
        pages = [Page(*page) for page in PAGES]
        if args.pages:
            pages = pages[:1] + [
                page for page in pages[1:] if any(words in page.name for words in args.pages)
            ]
        fill(1)
        tables = [serve(pages, admin, args)]
        if args.scale > 1:
            fill(args.scale)
            tables.append(serve(pages, admin, args))
        reminder_runs(args.overdue)
    finally:
        if not args.keep:
            admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    if args.keep:
        print(f"Kept: DATABASE_URL={ENV['DATABASE_URL']} SECRET_KEY={ENV['SECRET_KEY']}")
        for name, path, cookie, form in pages:
            print(f"{name}\t{path}\t{cookie or admin}" + (f"\t{form}" if form else ""))

    for organizations, loops, seconds, sizes in FILLED:
        total = sum(size for _, _, size in sizes)
        print(
            f"\n{organizations} organization(s) like Acme, {loops:,} loops: "
            f"{total / 2**20:,.0f} MiB, {total / 2**20 / loops * 1000:.1f} MiB per 1,000 loops"
            + (f" (copied and analysed in {seconds:.0f} s)" if organizations > 1 else "")
        )
        print(f"{'table':40} {'rows':>10} {'MiB':>8} {'rows/loop':>10} {'MiB/1,000 loops':>16}")
        for table, rows_held, size in sizes[:10]:
            print(
                f"{table:40} {rows_held:10,} {size / 2**20:8.1f} {rows_held / loops:10.1f} "
                f"{size / 2**20 / loops * 1000:16.2f}"
            )

    rows = tables[-1]
    base_rps, base_p95 = rows[0][1], rows[0][2]
    print(f"\n{args.requests} requests per page, {args.concurrency} at a time, gunicorn 2 workers")
    if args.scale > 1:
        print(f"among {args.scale} organizations like Acme")
    width = max(40, *(len(name) for name, _, _ in rows))
    print(f"{'page':{width}} {'req/s':>8} {'p95 ms':>8} {'time ×base':>11} {'p95 ×base':>10}")
    for name, rps, p95 in rows:
        print(f"{name:{width}} {rps:8.0f} {p95:8.1f} {base_rps / rps:11.2f} {p95 / base_p95:10.2f}")

    if args.scale > 1:
        print(
            f"\nTime ×base with 1 organization and with {args.scale}, measured one after the other"
        )
        print(f"{'page':{width}} {'1 org':>8} {f'{args.scale} orgs':>9} {'growth':>7}")
        for (name, *one), (_, *many) in zip(*tables, strict=True):
            alone, among = tables[0][0][1] / one[0], base_rps / many[0]
            print(f"{name:{width}} {alone:8.2f} {among:9.2f} {among / alone:6.2f}×")

    base_time = RENDERS[0][2]
    width = max(width, *(len(name) for name, *_ in RENDERS))
    print(
        f"\nPDF rendering in process, median of {PACKET_RUNS} runs; "
        "peak: tracemalloc's, Python's heap only"
    )
    print(f"{'document':{width}} {'pages':>8} {'ms':>8} {'time ×base':>11} {'peak MiB':>10}")
    for name, pages, seconds, peak in RENDERS:
        print(
            f"{name:{width}} {pages:8} {seconds * 1000:8.0f} {seconds / base_time:11.2f} "
            f"{peak / 2**20:10.1f}"
        )

    print(
        f"\nReminders in process, e-mail to memory, batches of {REMINDER_BATCH[0]}; "
        "q/batch leaves out the one query for organizations"
    )
    print(f"{'run':{width}} {'sent':>8} {'s':>8} {'ms/batch':>11} {'q/batch':>10} {'queries':>8}")
    for name, sent, batches, seconds, queries in REMINDERS:
        per_batch = seconds * 1000 / batches if batches else 0
        queries_per_batch = (queries - 1) / batches if batches else 0
        print(
            f"{name:{width}} {sent:8} {seconds:8.2f} {per_batch:11.0f} "
            f"{queries_per_batch:10.1f} {queries:8}"
        )


if __name__ == "__main__":
    main()
