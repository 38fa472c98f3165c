"""Every query of the main pages can be answered through an index, so that a page costs the
same with one organization as with thousands (DESIGN.md, "Stack").

Each page's queries are captured and explained (`EXPLAIN (FORMAT JSON)`) with sequential scans
switched off. The planner then reads a table whole only where no index can serve the query: a
plan with a sequential scan names a missing index whatever the table's size. That judges a
small test database as a large one would, rather than filling millions of rows so that the
planner's own choice (reading a table of a few rows whole is right) would say the same.

Left out: tables that stay small however many organizations there are (CONSTANT).
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role
from api.keys import create_key
from references import calls
from tests.factories import make_guide, make_job, make_loop, member, reveal, schedule, submit

pytestmark = pytest.mark.django_db

# Tables whose size does not grow with the organizations: Django's own catalogue.
CONSTANT = {"django_content_type", "auth_permission", "django_migrations"}


def whole_reads(sql: str) -> set[str]:
    """The tables that the query's plan reads whole, sequential scans switched off: by a
    sequential scan, or through the whole of an index (no condition on it). Partial indexes
    are left out: they hold a share of their table (open drafts, scheduled interviews, the
    current scorecards), which the planner reads whole while it is small, as in the tests, and
    goes around through the parent's index once it is not."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexrelid::regclass::text FROM pg_index WHERE indpred IS NOT NULL")
        partial = {name for (name,) in cursor.fetchall()}
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()[0]
        cursor.execute("SET LOCAL enable_seqscan = on")

    def walk(node):
        table = node.get("Relation Name")
        if node["Node Type"] == "Seq Scan":
            yield table
        elif (
            "Index" in node["Node Type"]
            and "Index Cond" not in node
            and node["Index Name"] not in partial
        ):
            yield f"{table or 'an index'} (all of {node['Index Name']})"
        for child in node.get("Plans", []):
            yield from walk(child)

    return {table for table in walk(plan["Plan"]) if table.split()[0] not in CONSTANT}


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
    decided = loops[1]
    reveal(decided, by=alice)
    calls.add(loop=decided, user=alice, details={"name": "Ref One", "relationship": "Manager"})
    kit_interview = loops[0].interviews.first()
    draft = kit_interview.scorecards.get(interviewer=interviewers[0])
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
        ("API loops", token, "/api/v1/loops?limit=100", None),
        ("API scorecards", token, "/api/v1/scorecards?limit=100", None),
    ]


def test_every_query_of_the_main_pages_can_use_an_index(client, pages):
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
            for table in whole_reads(sql):
                missing.setdefault(f"{name}: {table}", sql)
    assert not missing, "\n\n".join(f"{where}\n{sql}" for where, sql in missing.items())
