"""The capability table is DESIGN.md's roles table as data: the two must say the same."""

import re

import pytest
from django.conf import settings

from accounts.access import CAPABILITIES, Action, Reach, refusal
from accounts.models import Role

DESIGN = settings.BASE_DIR.parent / "shared" / "DESIGN.md"

# The rows of DESIGN.md's table that are capabilities of a role. The others follow from a
# seat (one's own kit, taking part in a debrief) or belong to capabilities not built yet.
ROWS = {
    "members, roles, org settings": Action.MANAGE_ORGANIZATION,
    "build and publish guides": Action.BUILD_GUIDES,
    "jobs, candidates, loops, scheduling": Action.MANAGE_JOBS,
    "read submitted scorecards of a loop": Action.READ_FEEDBACK,
    "run the debrief and decide": Action.RUN_DEBRIEF,
    "reference checks": Action.CALL_REFERENCES,
    "export the candidate packet": Action.EXPORT_PACKETS,
    "send take-home exercises": Action.SEND_EXERCISES,
    "API keys, webhooks": Action.MANAGE_INTEGRATIONS,
    "insights: agreement, leniency": Action.READ_INSIGHTS,
    "compare a job's candidates": Action.COMPARE_CANDIDATES,
}
COLUMNS = [Role.ADMIN, Role.HIRING_MANAGER, Role.RECRUITER, Role.INTERVIEWER]


def design_roles_table() -> dict[str, dict[Role, Reach]]:
    rows = {}
    text = DESIGN.read_text()
    table = text[text.index("| action | admin |") :].split("\n\n", 1)[0]
    for line in table.splitlines()[2:]:
        name, *cells = [cell.strip() for cell in line.strip("|").split("|")]
        reaches = {}
        for role, cell in zip(COLUMNS, cells, strict=True):
            cell = re.sub(r"[¹²³]", "", cell)
            if cell == "yes":
                reaches[role] = Reach.ALL
            elif cell == "own jobs":
                reaches[role] = Reach.OWN_JOBS
        rows[name] = reaches
    return rows


@pytest.mark.parametrize("row", ROWS)
def test_each_capability_says_what_the_design_roles_table_says(row):
    assert CAPABILITIES[ROWS[row]] == design_roles_table()[row]


def test_a_refusal_names_the_roles_that_may():
    assert refusal(Action.MANAGE_JOBS) == "Only admins, hiring managers and recruiters can do this."
    assert refusal(Action.MANAGE_ORGANIZATION) == "Only admins can do this."
    assert refusal(Action.ERASE_CANDIDATES) == "Only admins and recruiters can do this."
