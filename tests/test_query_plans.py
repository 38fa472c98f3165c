"""Every query of the main pages can be answered through an index led by the organization or
the parent it is reached through, so that a page costs the same with one organization as with
thousands (DESIGN.md, "Stack").

The organization that the pages are read in, which holds a few rows of every kind, is copied
until the database holds 1,000 organizations like it (`tests/copies.py`, in SQL: a few
seconds), and analysed. Each page's queries are captured and explained (`EXPLAIN (FORMAT
JSON)`) with sequential scans switched off, so that the planner reads a table whole only where
no index can serve the query; with the statistics of 1,000 organizations it picks the index it
would pick at that size. A plan fails on, for a table of at least a row per organization:
- a sequential scan;
- a whole read of an index, partial ones included (the open drafts or the scheduled interviews
  of every organization are many);
- an index condition that leaves the index's leading column free (PostgreSQL then walks every
  organization's entries to find the few that match), or an index led by a column that is no
  key (a status, a time).

Left out: GIN indexes (the search's trigrams and words), which have no leading column; the
planner combines them with the organization's index. `interviewer_id IS NULL` counts as a key's
condition (the API key, which is nobody, asks for its own scorecards: those of no one).
"""

import re
from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from api.keys import create_key
from candidates.models import Packet, Qualification
from debriefs import meeting
from debriefs.models import DebriefNote
from exercises import sending
from references import calls
from scorecards.models import QuestionNote
from tests.copies import copy_organization
from tests.factories import (
    InvitationFactory,
    make_guide,
    make_job,
    make_loop,
    member,
    reveal,
    schedule,
    submit,
)

pytestmark = pytest.mark.django_db

ORGANIZATIONS = 1000
# A table or index of fewer rows is not judged: it holds less than a row per organization, and
# the test's organization has none of it.
SMALL = ORGANIZATIONS


def keys() -> dict[str, set[str]]:
    """Per table, the columns that may lead an index that a page reads: its primary key, its
    foreign keys (the organization, the parent) and its columns unique on their own."""
    return {
        model._meta.db_table: {
            field.column
            for field in model._meta.concrete_fields
            if field.primary_key or field.is_relation or field.unique
        }
        for model in apps.get_models(include_auto_created=True)
    }


def indexes() -> dict[str, tuple[str, str, bool, str | None]]:
    """Per index: its table, its access method, whether it is partial, and its leading column
    (None for an expression)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, am.amname,
                i.indpred IS NOT NULL, a.attname
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
            JOIN pg_am am ON am.oid = c.relam
            LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]"""
        )
        return {name: rest for name, *rest in cursor}


def sizes() -> dict[str, float]:
    """Rows per table and entries per index, as ANALYZE counted them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT oid::regclass::text, reltuples FROM pg_class WHERE relkind IN ('r', 'i')"
        )
        return dict(cursor.fetchall())


def unindexed_reads(sql: str, index_of, key_columns, size) -> set[str]:
    """What the query's plan reads beyond the organization's (or the parent's) share of a
    table, sequential scans switched off: a sequential scan, a whole index, or an index
    whose leading column the condition leaves free, or which a column that leads to no
    parent (a status, a time) leads."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")

    def walk(node):
        index = node.get("Index Name")
        if node["Node Type"] == "Seq Scan" and size[node["Relation Name"]] >= SMALL:
            yield f"{node['Relation Name']} (sequential scan)"
        elif index and index_of[index][1] == "btree" and size[index] >= SMALL:
            table, _, partial, leading = index_of[index]
            condition = node.get("Index Cond", "")
            # `(slug)::text = 'acme'`, `(user_id = 7)`, `(loop_id = ANY (...))`
            equal = rf"\b{leading}\b\)?(::[\w ]+)?\s*(=|IS NULL)"
            if not condition:
                yield f"{table} (all of {'partial ' if partial else ''}index {index})"
            elif leading is None:  # an expression: lower(email)
                pass
            elif not re.search(equal, condition):
                yield f"{table} ({index}: {condition} leaves {leading} free)"
            elif leading not in key_columns[table]:
                yield f"{table} ({index} is led by {leading})"
        for child in node.get("Plans", []):
            yield from walk(child)

    return set(walk(plan["Plan"]))


@pytest.fixture
def pages(org, alice):
    """The main pages of the bench (bench/run.py), each with whom it is read as, over a small
    organization with every kind of row."""
    interviewers = [member(org, Role.INTERVIEWER) for _ in range(3)]
    job = make_job(org)
    stages = list(job.guide_version.stages.all())
    loops = [make_loop(org, job=job) for _ in range(4)]
    held = timezone.now() - timedelta(days=1)
    for n, loop in enumerate(loops):
        interview = schedule(
            loop, interviewers=interviewers[:2], stage=stages[n % 2], starts_at=held
        )
        if n % 2:
            for card in interview.scorecards.all():
                submit(card)
    kit_interview = loops[0].interviews.first()
    draft = kit_interview.scorecards.get(interviewer=interviewers[0])
    decided = loops[1]
    debrief = reveal(decided, by=alice)
    version = job.guide_version
    card = decided.interviews.first().scorecards.select_related("interview__stage").first()
    QuestionNote.objects.bulk_create(
        QuestionNote(scorecard=card, question=question, text="Walked through it.")
        for question in card.interview.stage.questions.all()
    )
    meeting.change_recommendation(
        debrief=debrief, scorecard=card, user=card.interviewer, recommendation=4, reason="Heard."
    )
    DebriefNote.objects.create(
        debrief=debrief, question=version.debrief_questions.first(), author=alice, text="Agreed."
    )
    debrief.other_jobs.add(make_job(org, version=version, title="Analytics Engineer"))
    check = calls.add(loop=decided, user=alice, details={"name": "Ref", "relationship": "Manager"})
    calls.save_call(
        check=check,
        values={
            **{f"score-{c.pk}": 3 for c in version.criteria.filter(stage__isnull=True)},
            **{f"answer-{q.pk}": "Reliable." for q in version.reference_questions.all()},
            "rehire_score": 8,
        },
    )
    Packet.objects.create(loop=decided, requested_by=alice)
    take_home = schedule(
        loops[0], interviewers=interviewers[:1], stage=stages[-1], starts_at=held, minutes=60 * 72
    )
    sending.hand_in(exercise=take_home.exercise, repository_url="https://example.com/repo")
    Qualification.objects.create(
        guide=version.guide, stage_name=stages[0].name, user=interviewers[2], granted_by=alice
    )
    InvitationFactory(organization=org)
    guide = make_guide(org, publish=True, title="Plans")
    draft_guide = make_guide(org, title="Drafted")
    stage = draft_guide.stages.first()
    _, token = create_key(organization=org, name="Plans", can_write=False, user=None)
    o = f"/o/{org.slug}"
    admin, interviewer = alice, interviewers[0]
    return [
        ("home", admin, f"{o}/", None),
        ("members", admin, f"{o}/members/", None),
        ("settings", admin, f"{o}/settings/", None),
        ("guide list", admin, f"{o}/guides/", None),
        ("guide builder", admin, f"{o}/guides/{draft_guide.guide_id}/edit/", None),
        (
            "stage editor",
            admin,
            f"{o}/guides/{stage.version.guide_id}/edit/stages/{stage.pk}/",
            None,
        ),
        ("guide read", admin, f"{o}/guides/{guide.guide_id}/v1/", None),
        ("job pipeline", admin, f"{o}/jobs/{job.pk}/", None),
        ("job list", admin, f"{o}/jobs/", None),
        ("candidate list", admin, f"{o}/candidates/", None),
        ("candidate", admin, f"{o}/candidates/{decided.candidate_id}/", None),
        ("loop", admin, f"{o}/loops/{decided.pk}/", None),
        ("debrief", admin, f"{o}/loops/{decided.pk}/debrief/", None),
        ("references", admin, f"{o}/loops/{decided.pk}/references/", None),
        ("my interviews", interviewer, f"{o}/my-interviews/", None),
        ("interview kit", interviewer, f"{o}/interviews/{kit_interview.pk}/", None),
        (
            "autosave",
            interviewer,
            f"{o}/scorecards/{draft.pk}/field/",
            {"summary": "Calm.", "base": "", "revision": 0},
        ),
        ("job insights", admin, f"{o}/jobs/{job.pk}/insights/", None),
        ("organization insights", admin, f"{o}/insights/", None),
        ("search", admin, f"{o}/search/?q={decided.candidate.name.split()[0]}", None),
        ("API loops", token, "/api/v1/loops?limit=100", None),
        ("API scorecards", token, "/api/v1/scorecards?limit=100", None),
    ]


def test_every_query_of_the_main_pages_can_use_an_index(client, org, pages):
    import time

    t = time.time()
    copy_organization(org, ORGANIZATIONS - 1)
    print("copy", time.time() - t)
    t = time.time()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print("analyze", time.time() - t)
    t = time.time()
    index_of, key_columns, size = indexes(), keys(), sizes()
    missing = {}
    for name, who, path, form in pages:
        headers = {}
        if isinstance(who, str):
            headers["Authorization"] = f"Bearer {who}"
            client.logout()
        else:
            client.force_login(who)
        with CaptureQueriesContext(connection) as captured:
            if form is None:
                response = client.get(path, headers=headers)
            else:
                response = client.post(path, form, headers=headers)
        assert response.status_code == 200, (name, response.status_code)
        for query in captured.captured_queries:
            sql = query["sql"]
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            for table in unindexed_reads(sql, index_of, key_columns, size):
                missing.setdefault(f"{name}: {table}", sql)
    print("pages", time.time() - t)
    assert not missing, "\n\n".join(f"{where}\n{sql}" for where, sql in missing.items())
